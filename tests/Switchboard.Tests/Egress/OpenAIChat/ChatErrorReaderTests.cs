using System.Text;
using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat;

namespace Switchboard.Tests.Egress.OpenAIChat;

public sealed class ChatErrorReaderTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static Exception Translate(int status, string body, string? retryAfter = null) =>
        ChatErrorReader.Translate(status, Encoding.UTF8.GetBytes(body), "gpu-box", retryAfter);

    public static TheoryData<int, string, int?, int?, int?> ContextErrors => new()
    {
        {
            400,
            """{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (3000 in the messages, 2000 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}""",
            3000, 4096, 2000
        },
        {
            400,
            """{"error":{"message":"This model's maximum context length is 40960 tokens. However, your request has 50000 input tokens. Please reduce the length of the input messages.","type":"BadRequestError","param":null,"code":400}}""",
            50000, 40960, null
        },
        {
            400,
            """{"error":{"message":"'max_tokens' or 'max_completion_tokens' is too large: 32000. This model's maximum context length is 40960 tokens and your request has 25000 input tokens (32000 > 40960 - 25000).","type":"BadRequestError","param":null,"code":400}}""",
            25000, 40960, 32000
        },
        {
            400,
            """{"error":{"message":"This model's maximum context length is 4096 tokens. However, you requested 2000 output tokens and your prompt contains at least 3001 input tokens, for a total of at least 5001 tokens. Please reduce the length of the input prompt or the number of requested output tokens.","type":"BadRequestError","code":400}}""",
            3001, 4096, 2000
        },
        {
            400,
            """{"object":"error","message":"Requested token count exceeds the model's maximum context length of 4096 tokens. You requested a total of 5000 tokens: 3000 tokens from the input messages and 2000 tokens for the completion. Please reduce the number of tokens in the input messages or the completion to fit within the limit.","type":"BadRequestError","param":null,"code":400}""",
            3000, 4096, 2000
        },
        {
            400,
            """{"object":"error","message":"The input (5000 tokens) is longer than the model's context length (4096 tokens).","type":"BadRequestError","param":null,"code":400}""",
            5000, 4096, null
        },
        {
            400,
            """{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":5120,"n_ctx":4096}}""",
            5120, 4096, null
        },
        {
            // Older llama.cpp said it with a 500 and no numbers.
            500,
            """{"error":{"code":500,"message":"the request exceeds the available context size, try increasing it","type":"server_error"}}""",
            null, null, null
        },
        {
            400,
            """{"error":{"message":"This model's maximum context length is 128,000 tokens. However, your messages resulted in 130,512 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""",
            130512, 128000, null
        },
        {
            422,
            """{"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 3000 `inputs` tokens and 2000 `max_new_tokens`","error_type":"validation"}""",
            3000, 4096, 2000
        },
        { 400, """{"error":"prompt exceeds the model's context window"}""", null, null, null },
        { 400, """{"error":{"message":"Too long.","type":"invalid_request_error","code":"context_length_exceeded"}}""", null, null, null },
        { 400, "Context length exceeded", null, null, null },
    };

    [Theory]
    [MemberData(nameof(ContextErrors))]
    public void Context_length_errors_carry_their_numbers(int status, string body, int? prompt, int? context, int? output)
    {
        var error = Assert.IsType<ContextWindowExceededException>(Translate(status, body));

        Assert.Equal((prompt, context, output), (error.PromptTokens, error.ContextLength, error.RequestedOutputTokens));
        Assert.False(string.IsNullOrEmpty(error.Message));
    }

    [Fact]
    public void Context_error_keeps_the_upstream_message()
    {
        var error = Translate(400, """{"error":{"message":"This model's maximum context length is 40960 tokens. However, your request has 50000 input tokens.","code":400}}""");

        Assert.Equal("This model's maximum context length is 40960 tokens. However, your request has 50000 input tokens.", error.Message);
    }

    public static TheoryData<int, ApiErrorKind, string> Statuses => new()
    {
        { 400, ApiErrorKind.InvalidRequest, "Upstream 'gpu-box' rejected the request: temperature must be positive" },
        { 422, ApiErrorKind.InvalidRequest, "Upstream 'gpu-box' rejected the request: temperature must be positive" },
        { 401, ApiErrorKind.Api, "Upstream 'gpu-box' refused Switchboard's credentials (HTTP 401)" },
        { 403, ApiErrorKind.Api, "Upstream 'gpu-box' refused Switchboard's credentials (HTTP 403)" },
        { 404, ApiErrorKind.NotFound, "Upstream 'gpu-box' does not know this model: temperature must be positive" },
        { 408, ApiErrorKind.Timeout, "Upstream 'gpu-box' timed out (HTTP 408): temperature must be positive" },
        { 504, ApiErrorKind.Timeout, "Upstream 'gpu-box' timed out (HTTP 504): temperature must be positive" },
        { 413, ApiErrorKind.RequestTooLarge, "Upstream 'gpu-box' says the request is too large: temperature must be positive" },
        { 429, ApiErrorKind.RateLimit, "Upstream 'gpu-box' is rate limiting requests: temperature must be positive" },
        { 503, ApiErrorKind.Overloaded, "Upstream 'gpu-box' is overloaded (HTTP 503): temperature must be positive" },
        { 529, ApiErrorKind.Overloaded, "Upstream 'gpu-box' is overloaded (HTTP 529): temperature must be positive" },
        { 500, ApiErrorKind.Api, "Upstream 'gpu-box' failed (HTTP 500): temperature must be positive" },
        { 502, ApiErrorKind.Api, "Upstream 'gpu-box' failed (HTTP 502): temperature must be positive" },
        { 409, ApiErrorKind.InvalidRequest, "Upstream 'gpu-box' rejected the request (HTTP 409): temperature must be positive" },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Status_decides_the_error_kind(int status, ApiErrorKind kind, string message)
    {
        var error = Assert.IsType<ApiException>(Translate(status, """{"error":{"message":"temperature must be positive","type":"BadRequestError"}}"""));

        Assert.Equal((kind, message), (error.Error.Kind, error.Message));
    }

    public static TheoryData<string, string> Bodies => new()
    {
        { """{"error":{"message":"OpenAI style","type":"invalid_request_error","param":null,"code":null}}""", "OpenAI style" },
        { """{"object":"error","message":"older vLLM style","type":"BadRequestError","param":null,"code":400}""", "older vLLM style" },
        { """{"error":"model \"llama9\" not found, try pulling it first"}""", "model \"llama9\" not found, try pulling it first" },
        { """{"detail":"Not Found"}""", "Not Found" },
        {
            """{"detail":[{"type":"missing","loc":["body","messages"],"msg":"Field required","input":{}},{"type":"float_type","loc":["body","temperature"],"msg":"Input should be a valid number"}]}""",
            "body.messages: Field required; body.temperature: Input should be a valid number"
        },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Message_is_read_from_each_body_shape(string body, string message)
    {
        var error = Assert.IsType<ApiException>(Translate(500, body));

        Assert.Equal($"Upstream 'gpu-box' failed (HTTP 500): {message}", error.Message);
    }

    /// <summary>Text, HTML and unknown JSON are not a server's own reason: the client gets the status only.</summary>
    public static TheoryData<string> UnknownBodies => new()
    {
        """{"message":"gateway says no"}""",
        "upstream connect error or disconnect/reset before headers",
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>",
        "",
        """{"unexpected":true}""",
        "Traceback (most recent call last):\n  File \"/usr/lib/python3/site-packages/vllm/engine.py\", line 12\nRuntimeError: CUDA out of memory at 10.0.3.7:8000",
    };

    [Theory]
    [MemberData(nameof(UnknownBodies))]
    public void Unknown_bodies_are_never_relayed(string body)
    {
        var error = Assert.IsType<ApiException>(Translate(500, body));

        Assert.Equal("Upstream 'gpu-box' failed (HTTP 500)", error.Message);
    }

    [Fact]
    public void Long_messages_are_cut_short()
    {
        var words = string.Join(' ', Enumerable.Repeat("word", 1000));
        var error = Assert.IsType<ApiException>(Translate(502, $$$"""{"error":{"message":"{{{words}}}"}}"""));

        Assert.Equal($"Upstream 'gpu-box' failed (HTTP 502): {words[..UpstreamText.MaxClientLength]}…", error.Message);
    }

    [Theory]
    [InlineData("7", 7)]
    [InlineData(" 1.5 ", 2)]
    [InlineData("-3", 0)]
    [InlineData("Wed, 21 Oct 2026 07:28:30 GMT", 30)]
    [InlineData("Wed, 21 Oct 2026 07:27:00 GMT", 0)]
    [InlineData("soon", null)]
    [InlineData(null, null)]
    public void Rate_limit_passes_on_retry_after(string? header, int? seconds)
    {
        var now = new DateTimeOffset(2026, 10, 21, 7, 28, 0, TimeSpan.Zero);

        var error = ChatErrorReader.Translate(429, """{"error":{"message":"slow down"}}"""u8, "gpu-box", header, new FixedTime(now));

        var api = Assert.IsType<ApiException>(error);
        Assert.Equal((ApiErrorKind.RateLimit, seconds), (api.Error.Kind, api.Error.RetryAfterSeconds));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(429)]
    public void Statuses_with_their_own_meaning_are_never_context_errors(int status)
    {
        Assert.IsType<ApiException>(Translate(status, """{"error":"context length exceeded"}"""));
    }
}

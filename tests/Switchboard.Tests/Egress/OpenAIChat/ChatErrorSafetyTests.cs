using System.Text;
using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat;

namespace Switchboard.Tests.Egress.OpenAIChat;

/// <summary>What a client may learn from an upstream's error answer, and whether it should try again.</summary>
public sealed class ChatErrorSafetyTests
{
    private static ApiException Translate(int status, string body) =>
        Assert.IsType<ApiException>(ChatErrorReader.Translate(status, Encoding.UTF8.GetBytes(body), "gpu-box", null));

    [Theory]
    [InlineData(500, """{"error":{"code":500,"message":"image input is not supported - hint: if this is unexpected, you may need to provide the mmproj","type":"server_error"}}""", "image input is not supported")]
    [InlineData(500, """{"error":{"code":500,"message":"Conversation roles must alternate user/assistant/user/assistant/...","type":"server_error"}}""", "roles must alternate")]
    [InlineData(500, """{"error":{"message":"jinja2.exceptions.TemplateError: System message not supported","type":"InternalServerError"}}""", "TemplateError")]
    [InlineData(422, """{"detail":[{"loc":["body","messages"],"msg":"Field required"}]}""", "body.messages: Field required")]
    [InlineData(400, """{"error":{"message":"temperature must be positive","type":"BadRequestError","code":400}}""", "temperature must be positive")]
    public void Answers_that_can_never_succeed_are_invalid_requests_with_the_reason(int status, string body, string reason)
    {
        var error = Translate(status, body);

        Assert.Equal((ApiErrorKind.InvalidRequest, 400, false), (error.Error.Kind, error.Error.HttpStatus, error.Error.ShouldRetry));
        Assert.StartsWith("Upstream 'gpu-box' ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_server_error_stays_a_retryable_server_error()
    {
        var error = Translate(500, """{"error":{"message":"EngineCore encountered an issue","type":"InternalServerError"}}""");

        Assert.Equal((ApiErrorKind.Api, true), (error.Error.Kind, error.Error.ShouldRetry));
        Assert.Equal("Upstream 'gpu-box' failed (HTTP 500): EngineCore encountered an issue", error.Message);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public void Refused_upstream_credentials_are_a_server_error_without_the_body(int status)
    {
        var error = Translate(status, """{"error":{"message":"Incorrect API key provided: sk-upstream-0123456789abcdef","type":"invalid_request_error","code":"invalid_api_key"}}""");

        Assert.Equal((ApiErrorKind.Api, 500, false), (error.Error.Kind, error.Error.HttpStatus, error.Error.ShouldRetry));
        Assert.Equal($"Upstream 'gpu-box' refused Switchboard's credentials (HTTP {status})", error.Message);
    }

    [Fact]
    public void A_known_shape_still_loses_its_credentials_and_addresses()
    {
        var error = Translate(400, """{"error":{"message":"Invalid header Authorization: Bearer sk-upstream-0123456789abcdef sent to http://10.1.2.3:8000/v1","type":"BadRequestError"}}""");

        Assert.DoesNotContain("sk-upstream", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("10.1.2.3", error.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_context_error_relays_only_the_sanitised_wording()
    {
        var exceeded = Assert.IsType<ContextWindowExceededException>(ChatErrorReader.Translate(400,
            """{"error":{"message":"prompt is too long for the context window; api_key=abcdef123456 at /srv/vllm/engine.py","code":400}}"""u8, "gpu-box", null));

        Assert.DoesNotContain("abcdef123456", exceeded.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/srv/vllm", exceeded.Message, StringComparison.Ordinal);
        Assert.Contains("context window", exceeded.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, ApiErrorKind.RateLimit, true)]
    [InlineData(503, ApiErrorKind.Overloaded, true)]
    [InlineData(504, ApiErrorKind.Timeout, false)]
    [InlineData(502, ApiErrorKind.Api, true)]
    [InlineData(404, ApiErrorKind.NotFound, false)]
    public void Each_status_has_its_retry_advice(int status, ApiErrorKind kind, bool retry)
    {
        var error = Translate(status, """{"error":{"message":"x"}}""");

        Assert.Equal((kind, retry), (error.Error.Kind, error.Error.ShouldRetry));
    }

    [Theory]
    [InlineData(UpstreamFailureKind.Refused, ApiErrorKind.BadGateway, false)]
    [InlineData(UpstreamFailureKind.Unreachable, ApiErrorKind.BadGateway, false)]
    [InlineData(UpstreamFailureKind.Reset, ApiErrorKind.BadGateway, true)]
    [InlineData(UpstreamFailureKind.TimedOutBeforeHeaders, ApiErrorKind.Timeout, false)]
    [InlineData(UpstreamFailureKind.TimedOutMidStream, ApiErrorKind.Timeout, false)]
    [InlineData(UpstreamFailureKind.RateLimited, ApiErrorKind.RateLimit, true)]
    [InlineData(UpstreamFailureKind.Overloaded, ApiErrorKind.Overloaded, true)]
    [InlineData(UpstreamFailureKind.BadResponse, ApiErrorKind.BadGateway, false)]
    [InlineData(UpstreamFailureKind.ContextExceeded, ApiErrorKind.InvalidRequest, false)]
    [InlineData(UpstreamFailureKind.Rejected, ApiErrorKind.InvalidRequest, false)]
    [InlineData(UpstreamFailureKind.Unauthorized, ApiErrorKind.Api, false)]
    public void Each_failure_kind_has_one_client_kind_and_retry_advice(UpstreamFailureKind kind, ApiErrorKind clientKind, bool retry)
    {
        var error = UpstreamFailure.Create(kind, "m").Error;

        Assert.Equal((clientKind, retry), (error.Kind, error.ShouldRetry));
    }
}

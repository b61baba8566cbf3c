using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Canonical;
using Switchboard.Ingress;
using Switchboard.Ingress.Anthropic;

namespace Switchboard.Tests.Ingress;

public sealed class OpenAIErrorsTests
{
    private static string Body(IErrorDialect dialect, ApiError error)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            dialect.WriteBody(json, error, "req_01");
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Body_has_the_openai_error_shape()
    {
        Assert.Equal(
            """{"error":{"message":"Not found: GET /v1/chat/completions","type":"invalid_request_error","param":null,"code":"not_found"}}""",
            Body(OpenAIErrors.Instance, new ApiError(ApiErrorKind.NotFound, "Not found: GET /v1/chat/completions")));
    }

    [Fact]
    public void An_errors_own_param_and_code_win()
    {
        Assert.Equal(
            """{"error":{"message":"too long","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""",
            Body(OpenAIErrors.Instance, new ApiError(ApiErrorKind.InvalidRequest, "too long") { Param = "messages", Code = "context_length_exceeded" }));
    }

    [Theory]
    [InlineData(ApiErrorKind.Authentication, "invalid_request_error", "invalid_api_key")]
    [InlineData(ApiErrorKind.RateLimit, "rate_limit_error", "rate_limit_exceeded")]
    [InlineData(ApiErrorKind.Overloaded, "server_error", "server_is_overloaded")]
    [InlineData(ApiErrorKind.BadGateway, "server_error", "server_is_overloaded")]
    public void Kinds_use_openais_types_and_codes(ApiErrorKind kind, string type, string? code)
    {
        var error = JsonDocument.Parse(Body(OpenAIErrors.Instance, new ApiError(kind, "m"))).RootElement.GetProperty("error");

        Assert.Equal((type, code), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
    }

    [Theory]
    [InlineData("/v1/chat/completions", "openai")]
    [InlineData("/v1/completions", "openai")]
    [InlineData("/v1/responses", "openai")]
    [InlineData("/v1/responses/resp_1/cancel", "openai")]
    [InlineData("/v1/embeddings", "openai")]
    [InlineData("/v1/responsesx", "anthropic")]
    [InlineData("/v1/messages", "anthropic")]
    [InlineData("/v1/messages/count_tokens", "anthropic")]
    [InlineData("/v1/foo.json", "anthropic")]
    [InlineData("/", "anthropic")]
    public void The_path_decides_the_dialect_where_no_endpoint_declares_one(string path, string dialect)
    {
        var dialects = new ErrorDialects(AnthropicErrors.Dialect,
            new[] { "/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/embeddings" }.Select(p => KeyValuePair.Create(p, (IErrorDialect)OpenAIErrors.Instance)));

        Assert.Equal(dialect, dialects.For(new PathString(path)).Name);
    }

    [Fact]
    public async Task A_written_error_carries_status_advice_and_request_id()
    {
        var context = new DefaultHttpContext { TraceIdentifier = "req_7" };
        context.Response.Body = new MemoryStream();

        await ErrorResponse.WriteAsync(context, OpenAIErrors.Instance, new ApiError(ApiErrorKind.BadGateway, "Upstream 'gpu' is unreachable"));

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("false", context.Response.Headers["x-should-retry"].ToString());
        Assert.Equal("req_7", context.Response.Headers["request-id"].ToString());
        Assert.Equal("application/json", context.Response.ContentType);
    }
}

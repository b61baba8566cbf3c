using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Ingress;
using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;

namespace Switchboard.Tests.Ingress.Anthropic;

public sealed class AnthropicErrorsTests
{
    [Theory]
    [InlineData(ApiErrorKind.InvalidRequest, 400, "invalid_request_error", false)]
    [InlineData(ApiErrorKind.Authentication, 401, "authentication_error", false)]
    [InlineData(ApiErrorKind.Permission, 403, "permission_error", false)]
    [InlineData(ApiErrorKind.NotFound, 404, "not_found_error", false)]
    [InlineData(ApiErrorKind.RequestTooLarge, 413, "request_too_large", false)]
    [InlineData(ApiErrorKind.RateLimit, 429, "rate_limit_error", true)]
    [InlineData(ApiErrorKind.Api, 500, "api_error", true)]
    [InlineData(ApiErrorKind.Timeout, 504, "timeout_error", true)]
    [InlineData(ApiErrorKind.Overloaded, 529, "overloaded_error", true)]
    public void Each_kind_has_its_status_wire_type_and_retry_advice(ApiErrorKind kind, int status, string wireType, bool retry)
    {
        Assert.Equal(status, AnthropicErrors.StatusCode(kind));
        Assert.Equal(wireType, AnthropicErrors.WireType(kind));
        Assert.Equal(retry, AnthropicErrors.ShouldRetry(kind));
    }

    [Fact]
    public void Every_kind_is_mapped()
    {
        foreach (var kind in Enum.GetValues<ApiErrorKind>())
        {
            // A failed gateway is a server-side failure in Anthropic's vocabulary too.
            Assert.True(kind is ApiErrorKind.Api or ApiErrorKind.BadGateway || AnthropicErrors.WireType(kind) != "api_error", $"{kind} has no wire type");
        }
    }

    [Fact]
    public void Body_has_the_anthropic_error_shape()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, ClientJson.Writer))
        {
            AnthropicErrors.WriteBody(json, new ApiError(ApiErrorKind.InvalidRequest, "messages.1.content.0.type: Field required"), "req_01");
        }

        Assert.Equal(
            """{"type":"error","error":{"type":"invalid_request_error","message":"messages.1.content.0.type: Field required"},"request_id":"req_01"}""",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public async Task Response_has_status_headers_and_body()
    {
        var context = NewContext();
        var error = new ApiError(ApiErrorKind.RateLimit, "Slow down") { RetryAfterSeconds = 7 };

        await AnthropicErrors.WriteResponseAsync(context, error);

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal("true", context.Response.Headers["x-should-retry"].ToString());
        Assert.Equal("7", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal(
            """{"type":"error","error":{"type":"rate_limit_error","message":"Slow down"},"request_id":"req_trace"}""",
            Body(context));
    }

    [Fact]
    public async Task Client_errors_say_not_to_retry_and_carry_no_retry_after()
    {
        var context = NewContext();

        await AnthropicErrors.WriteResponseAsync(context, new ApiError(ApiErrorKind.NotFound, "model: nope"));

        Assert.Equal(404, context.Response.StatusCode);
        Assert.Equal("false", context.Response.Headers["x-should-retry"].ToString());
        Assert.False(context.Response.Headers.ContainsKey("retry-after"));
        using var body = JsonDocument.Parse(Body(context));
        Assert.Equal("not_found_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Started_response_is_left_alone()
    {
        var context = NewContext();
        context.Features.Set<IHttpResponseFeature>(new StartedResponseFeature());
        context.Response.StatusCode = 200;

        await AnthropicErrors.WriteResponseAsync(context, new ApiError(ApiErrorKind.Api, "late"));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("x-should-retry"));
        Assert.Equal("", Body(context));
    }

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext { TraceIdentifier = "req_trace" };
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    private sealed class StartedResponseFeature : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }
}

using System.Text;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Canonical;
using Switchboard.Egress.Anthropic;

namespace Switchboard.Tests.Egress.Anthropic;

public sealed class AnthropicErrorReaderTests
{
    private static ApiError Translate(int status, string body, string? retryAfter = null) =>
        AnthropicErrorReader.Translate(status, Encoding.UTF8.GetBytes(body), "claude", retryAfter, new FakeTimeProvider()).Error;

    [Theory]
    [InlineData(400, "invalid_request_error", ApiErrorKind.InvalidRequest)]
    [InlineData(404, "not_found_error", ApiErrorKind.NotFound)]
    [InlineData(413, "request_too_large", ApiErrorKind.RequestTooLarge)]
    [InlineData(429, "rate_limit_error", ApiErrorKind.RateLimit)]
    [InlineData(529, "overloaded_error", ApiErrorKind.Overloaded)]
    [InlineData(504, "timeout_error", ApiErrorKind.Timeout)]
    [InlineData(500, "api_error", ApiErrorKind.Api)]
    [InlineData(401, "authentication_error", ApiErrorKind.Api)]
    [InlineData(402, "billing_error", ApiErrorKind.Api)]
    [InlineData(403, "permission_error", ApiErrorKind.Api)]
    public void The_messages_error_type_decides_the_kind(int status, string type, ApiErrorKind kind)
    {
        var error = Translate(status, """{"type":"error","error":{"type":"TYPE","message":"Because. key=sk-ant-api03-abcdefghijklmnopqrstuvwx"}}""".Replace("TYPE", type, StringComparison.Ordinal));

        Assert.Equal(kind, error.Kind);
        Assert.DoesNotContain("sk-ant", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Upstream 'claude'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_of_another_shape_falls_back_to_the_status_and_retry_after_is_kept_for_rate_limits()
    {
        Assert.Equal(ApiErrorKind.Overloaded, Translate(503, "<html>busy</html>").Kind);
        Assert.Equal(ApiErrorKind.InvalidRequest, Translate(400, """{"error":{"message":"bad","type":"BadRequestError"}}""").Kind);
        Assert.Equal(12, Translate(429, """{"type":"error","error":{"type":"rate_limit_error","message":"slow"}}""", "12").RetryAfterSeconds);
    }

    [Fact]
    public void Credentials_refused_are_not_the_clients_and_not_retryable()
    {
        var error = Translate(401, """{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}""");

        Assert.Equal("Upstream 'claude' refused Switchboard's credentials or account (HTTP 401)", error.Message);
        Assert.False(error.ShouldRetry);
    }
}

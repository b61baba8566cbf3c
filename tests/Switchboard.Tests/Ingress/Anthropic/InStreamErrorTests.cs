using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;

namespace Switchboard.Tests.Ingress.Anthropic;

public sealed class InStreamErrorTests
{
    [Theory]
    [InlineData(ApiErrorKind.Api, false, ApiErrorKind.Overloaded)]
    [InlineData(ApiErrorKind.Timeout, false, ApiErrorKind.Overloaded)]
    [InlineData(ApiErrorKind.Overloaded, false, ApiErrorKind.Overloaded)]
    [InlineData(ApiErrorKind.RateLimit, false, ApiErrorKind.RateLimit)]
    [InlineData(ApiErrorKind.InvalidRequest, false, ApiErrorKind.InvalidRequest)]
    [InlineData(ApiErrorKind.NotFound, false, ApiErrorKind.NotFound)]
    [InlineData(ApiErrorKind.Api, true, ApiErrorKind.Api)]
    [InlineData(ApiErrorKind.Timeout, true, ApiErrorKind.Timeout)]
    [InlineData(ApiErrorKind.InvalidRequest, true, ApiErrorKind.InvalidRequest)]
    public void Server_failures_before_any_content_are_reported_as_overloaded(ApiErrorKind kind, bool contentSent, ApiErrorKind expected)
    {
        var failure = new ApiError(kind, "Upstream 'gpu' failed (HTTP 500): engine core died");

        var reported = InStreamError.For(failure, contentSent);

        Assert.Equal(expected, reported.Kind);
        Assert.Equal(failure.Message, reported.Message);
    }

    [Fact]
    public void A_failure_a_retry_cannot_help_keeps_its_type_before_content()
    {
        var refused = new ApiError(ApiErrorKind.Timeout, "Upstream 'gpu' did not answer within 600 s") { Retryable = false };

        Assert.Equal(ApiErrorKind.Timeout, InStreamError.For(refused, contentSent: false).Kind);
    }
}

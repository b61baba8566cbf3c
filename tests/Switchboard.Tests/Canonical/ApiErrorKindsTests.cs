using Switchboard.Canonical;

namespace Switchboard.Tests.Canonical;

public sealed class ApiErrorKindsTests
{
    [Theory]
    [InlineData(ApiErrorKind.InvalidRequest, 400, false)]
    [InlineData(ApiErrorKind.Authentication, 401, false)]
    [InlineData(ApiErrorKind.Permission, 403, false)]
    [InlineData(ApiErrorKind.NotFound, 404, false)]
    [InlineData(ApiErrorKind.MethodNotAllowed, 405, false)]
    [InlineData(ApiErrorKind.RequestTimeout, 408, true)]
    [InlineData(ApiErrorKind.RequestTooLarge, 413, false)]
    [InlineData(ApiErrorKind.UriTooLong, 414, false)]
    [InlineData(ApiErrorKind.RateLimit, 429, true)]
    [InlineData(ApiErrorKind.HeadersTooLarge, 431, false)]
    [InlineData(ApiErrorKind.Api, 500, true)]
    [InlineData(ApiErrorKind.BadGateway, 502, false)]
    [InlineData(ApiErrorKind.Timeout, 504, true)]
    [InlineData(ApiErrorKind.Overloaded, 529, true)]
    public void Each_kind_carries_its_status_and_retryability(ApiErrorKind kind, int status, bool retryable)
    {
        Assert.Equal((status, retryable), (kind.HttpStatus(), kind.IsRetryable()));
        Assert.Equal(kind, ApiErrorKinds.FromStatus(status));
    }

    [Theory]
    [InlineData(405, ApiErrorKind.MethodNotAllowed)]
    [InlineData(414, ApiErrorKind.UriTooLong)]
    [InlineData(431, ApiErrorKind.HeadersTooLarge)]
    [InlineData(505, ApiErrorKind.Api)]
    [InlineData(418, ApiErrorKind.InvalidRequest)]
    [InlineData(503, ApiErrorKind.Overloaded)]
    public void A_bare_status_maps_back_to_a_kind(int status, ApiErrorKind kind)
    {
        Assert.Equal(kind, ApiErrorKinds.FromStatus(status));
    }

    [Fact]
    public void An_error_can_overrule_its_kinds_retryability()
    {
        var reset = new ApiError(ApiErrorKind.BadGateway, "reset") { Retryable = true };
        var plain = new ApiError(ApiErrorKind.BadGateway, "refused");

        Assert.Equal((true, false), (reset.ShouldRetry, plain.ShouldRetry));
    }
}

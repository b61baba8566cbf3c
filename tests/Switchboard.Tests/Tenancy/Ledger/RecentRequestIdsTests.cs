using Microsoft.Extensions.Time.Testing;
using Switchboard.Tenancy.Ledger;

namespace Switchboard.Tests.Tenancy.Ledger;

public sealed class RecentRequestIdsTests
{
    [Fact]
    public void An_id_is_claimed_once_for_at_least_one_generation_and_forgotten_after_two()
    {
        var time = new FakeTimeProvider();
        var ids = new RecentRequestIds(time);

        Assert.True(ids.TryClaim("req_a"));
        Assert.False(ids.TryClaim("req_a"));
        time.Advance(RecentRequestIds.Generation);
        Assert.False(ids.TryClaim("req_a"));
        time.Advance(RecentRequestIds.Generation);

        Assert.True(ids.TryClaim("req_a"));
    }
}

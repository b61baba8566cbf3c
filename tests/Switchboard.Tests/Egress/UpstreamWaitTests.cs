using Switchboard.Egress;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Egress;

public sealed class UpstreamWaitTests
{
    [Fact]
    public Task Overlapping_waits_count_once_and_time_between_waits_is_not_waiting() => Task.Run(() =>
    {
        var time = new ManualTimeProvider();
        var wait = UpstreamWait.Begin(time);

        time.Advance(TimeSpan.FromMilliseconds(5));             // Switchboard's own work: not waiting
        var count = UpstreamWait.Mark();                         // 5 ms: a token count starts
        time.Advance(TimeSpan.FromMilliseconds(10));
        var send = UpstreamWait.Mark();                          // 15 ms: the completion request starts beside it
        time.Advance(TimeSpan.FromMilliseconds(20));
        count.Dispose();                                         // 35 ms
        time.Advance(TimeSpan.FromMilliseconds(30));
        send.Dispose();                                          // 65 ms: waited 5..65
        time.Advance(TimeSpan.FromMilliseconds(7));

        Assert.Same(wait, UpstreamWait.Current);
        Assert.Equal(TimeSpan.FromMilliseconds(60), wait.Waited);
        Assert.Equal(2, wait.Waits);
    });

    [Fact]
    public Task A_wait_in_progress_counts_up_to_now() => Task.Run(() =>
    {
        var time = new ManualTimeProvider();
        var wait = UpstreamWait.Begin(time);
        using var reading = UpstreamWait.Mark();
        time.Advance(TimeSpan.FromMilliseconds(12));

        Assert.Equal(TimeSpan.FromMilliseconds(12), wait.Waited);
    });

    [Fact]
    public async Task The_clock_flows_into_calls_made_by_the_request_but_not_to_other_requests()
    {
        var time = new ManualTimeProvider();
        UpstreamWait? seenInside = null;
        var request = Task.Run(async () =>
        {
            var wait = UpstreamWait.Begin(time);
            await Task.Yield();
            seenInside = UpstreamWait.Current;
            using (UpstreamWait.Mark())
            {
                time.Advance(TimeSpan.FromMilliseconds(3));
            }

            return wait;
        });

        var mine = await request;
        var outside = await Task.Run(() => UpstreamWait.Current);

        Assert.Same(mine, seenInside);
        Assert.Equal(TimeSpan.FromMilliseconds(3), mine.Waited);
        Assert.Null(outside);
    }
}

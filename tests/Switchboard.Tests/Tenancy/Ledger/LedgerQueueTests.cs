using Switchboard.Pipeline;
using Switchboard.Telemetry;

namespace Switchboard.Tests.Tenancy.Ledger;

public sealed class LedgerQueueTests : IDisposable
{
    private readonly LedgerTestKit _kit = new(queueCapacity: 3);

    public void Dispose() => _kit.Dispose();

    private RequestRecord Record(string id) =>
        new() { RequestId = id, StartedAt = _kit.Time.GetUtcNow(), FrontDoor = "openai-chat", Model = "m", Status = 200, OutputTokens = 1 };

    [Fact]
    public void A_full_queue_drops_the_newest_rows_and_counts_them()
    {
        for (var i = 0; i < 5; i++)
        {
            _kit.Settlement.Settle(Record($"req_{i}"));
        }

        Assert.Equal(3, _kit.Queue.Count);
        Assert.Equal(3, _kit.Measured(LedgerMetrics.QueueDepth));
        Assert.Equal(2, _kit.Measured(LedgerMetrics.Dropped));
        var kept = new List<string>();
        while (_kit.Queue.Reader.TryRead(out var row))
        {
            kept.Add(row.RequestId);
        }

        Assert.Equal(["req_0", "req_1", "req_2"], kept);
        Assert.Equal(0, _kit.Measured(LedgerMetrics.QueueDepth));
    }
}

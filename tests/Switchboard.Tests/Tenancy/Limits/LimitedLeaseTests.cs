using Microsoft.Extensions.Time.Testing;
using Switchboard.Pipeline;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Limits;

namespace Switchboard.Tests.Tenancy.Limits;

public sealed class LimitedLeaseTests
{
    private static readonly KeyLimits Limits = new(60, 10_000, 1_000, 1);

    private readonly FakeTimeProvider _time = new();
    private readonly LocalLimitCounters _counters;

    public LimitedLeaseTests() => _counters = new LocalLimitCounters(_time);

    [Fact]
    public async Task Output_is_charged_as_it_is_produced_not_when_the_answer_ends()
    {
        var lease = await AdmitAsync(estimate: 100);

        lease.OnOutputTokens(120);
        var midway = await PeekAsync();
        lease.OnOutputTokens(300);
        lease.OnOutputTokens(250); // a total, never lower than before: ignored

        Assert.Equal(880, midway.OutputTokens);
        Assert.Equal(700, (await PeekAsync()).OutputTokens);
        Assert.Equal(300, lease.OutputCharged);
    }

    [Fact]
    public async Task Completion_charges_the_rest_of_the_output_and_corrects_the_input_estimate_to_the_real_count()
    {
        var lease = await AdmitAsync(estimate: 2_000);
        lease.OnOutputTokens(100);

        // 500 input tokens read from no cache, 300 written to one (they count), 4,000 read from one (they do not).
        lease.Complete(new RequestRecord { InputTokens = 500, CacheWriteTokens = 300, CacheReadTokens = 4_000, OutputTokens = 180 });
        var levels = await PeekAsync();

        Assert.Equal(10_000 - 800, levels.InputTokens);
        Assert.Equal(1_000 - 180, levels.OutputTokens);
        Assert.Equal(0, levels.InFlight);
    }

    [Fact]
    public async Task Completion_happens_once_however_often_it_is_called()
    {
        var first = await AdmitAsync(estimate: 100);
        var record = new RequestRecord { InputTokens = 100, OutputTokens = 50 };
        first.Complete(record);
        var second = await AdmitAsync(estimate: 100); // the one slot is free again

        first.Complete(record);
        first.Complete(record);
        first.OnOutputTokens(900); // after completion: nothing more is charged
        var levels = await PeekAsync();

        Assert.Equal(1, levels.InFlight); // the second request still holds its slot: the first was released once
        Assert.Equal(1_000 - 50, levels.OutputTokens);
        Assert.Equal(10_000 - 200, levels.InputTokens);
        second.Complete(record);
        Assert.Equal(0, (await PeekAsync()).InFlight);
    }

    [Fact]
    public async Task A_request_the_upstream_never_took_gives_its_input_estimate_back()
    {
        var lease = await AdmitAsync(estimate: 4_000);

        lease.Complete(new RequestRecord());

        Assert.Equal(10_000, (await PeekAsync()).InputTokens);
    }

    [Fact]
    public async Task The_final_output_count_replaces_the_estimate_charged_while_streaming()
    {
        var lease = await AdmitAsync(estimate: 0);
        lease.OnOutputTokens(400); // estimated from the characters sent

        lease.Complete(new RequestRecord { InputTokens = 0, OutputTokens = 320 }); // the upstream's own count

        Assert.Equal(1_000 - 320, (await PeekAsync()).OutputTokens);
    }

    [Fact]
    public async Task An_aborted_stream_is_charged_the_output_it_produced_and_releases_its_slot()
    {
        var lease = await AdmitAsync(estimate: 10);
        lease.OnOutputTokens(40);

        // What the pipeline settles for a client that left: the usage so far.
        lease.Complete(new RequestRecord { InputTokens = 10, OutputTokens = 55, ClientLeft = true });

        var levels = await PeekAsync();
        Assert.Equal((1_000 - 55, 0), (levels.OutputTokens, levels.InFlight));
    }

    [Fact]
    public async Task Output_charges_to_a_shared_store_are_batched_by_time_and_size()
    {
        var store = new RecordingStore(TimeSpan.FromSeconds(1));
        var ticket = new CounterTicket(store, "key", "lease", new KeyLimits(null, null, 2_000, null), null);
        var lease = new LimitedLease(ticket, 0, _time);

        lease.OnOutputTokens(10);
        lease.OnOutputTokens(50);
        _time.Advance(TimeSpan.FromSeconds(1));
        lease.OnOutputTokens(60);
        lease.OnOutputTokens(200); // a twentieth of the limit (100) waiting: sent at once
        lease.Complete(new RequestRecord { OutputTokens = 230 });

        Assert.Equal([(0L, 60L, false), (0L, 140L, false), (0L, 30L, false)], store.Charges);
    }

    private async Task<LimitedLease> AdmitAsync(long estimate)
    {
        var decision = await _counters.AcquireAsync(new CounterRequest("key", Limits, estimate, Guid.NewGuid().ToString("N")), default);
        Assert.True(decision.Admitted);
        return new LimitedLease(decision.Ticket, estimate, _time);
    }

    private ValueTask<CounterLevels> PeekAsync() => _counters.PeekAsync("key", Limits, default);

    private sealed class RecordingStore(TimeSpan interval) : ILimitCounterStore
    {
        public List<(long Input, long Output, bool Release)> Charges { get; } = [];

        public TimeSpan OutputChargeInterval => interval;

        public ValueTask<CounterDecision> AcquireAsync(CounterRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<CounterLevels> PeekAsync(string keyId, KeyLimits limits, CancellationToken cancellationToken) => throw new NotSupportedException();

        public void Charge(in CounterTicket ticket, long inputTokens, long outputTokens, bool release) => Charges.Add((inputTokens, outputTokens, release));
    }
}

using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Pipeline;
using Switchboard.Telemetry;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Budgets;

namespace Switchboard.Tests.Tenancy.Ledger;

public sealed class LedgerSettlementTests : IDisposable
{
    private static readonly ModelPrices Prices = new() { InputPerMillion = 3m, OutputPerMillion = 15m, CacheReadPerMillion = 0.3m };
    private readonly LedgerTestKit _kit = new(prices: Prices);

    public void Dispose() => _kit.Dispose();

    private RequestRecord Answered(string requestId, ICaller? caller = null) => new()
    {
        RequestId = requestId,
        StartedAt = _kit.Time.GetUtcNow(),
        Caller = caller,
        KeyId = caller?.KeyId,
        FrontDoor = "anthropic",
        Model = "m",
        Target = "gpu",
        UpstreamModel = "m-awq",
        Status = 200,
        InputTokens = 1000,
        CacheReadTokens = 2000,
        CacheWriteTokens = 0,
        OutputTokens = 100,
        ReasoningTokens = 30,
        TimeToFirstTokenMs = 12.5,
        DurationMs = 80,
        OverheadUs = 42,
    };

    private List<UsageRow> Queued()
    {
        var rows = new List<UsageRow>();
        while (_kit.Queue.Reader.TryRead(out var row))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public void A_model_name_the_client_made_up_is_clipped_in_the_row()
    {
        // A wildcard alias routes any name; a hostile client's 2 MB name must not become a 2 MB row and daily total.
        var record = Answered("req_long");
        record.Model = new string('m', 2_000_000);
        _kit.Settlement.Settle(record);

        var row = Assert.Single(Queued());
        Assert.InRange(row.Model!.Length, 1, LogValue.MaxLength + 16);
        Assert.StartsWith("mmmm", row.Model, StringComparison.Ordinal);
    }

    [Fact]
    public void A_finished_request_becomes_one_row_with_its_figures_and_cost()
    {
        _kit.Settlement.Settle(Answered("req_1", new KeyCaller("abcdefghijkl", null)));

        var row = Assert.Single(Queued());
        Assert.Equal(
            new UsageRow
            {
                Time = _kit.Time.GetUtcNow(), RequestId = "req_1", KeyId = "abcdefghijkl", FrontDoor = "anthropic", Model = "m", Upstream = "gpu",
                UpstreamModel = "m-awq", Status = 200, ErrorKind = null, InputTokens = 1000, CacheReadTokens = 2000, CacheWriteTokens = 0,
                OutputTokens = 100, ReasoningTokens = 30, CostMicros = 3000 + 600 + 1500, TimeToFirstTokenMs = 12.5, DurationMs = 80, OverheadUs = 42,
            },
            row);
    }

    [Fact]
    public async Task A_record_settled_twice_writes_one_row_and_charges_once()
    {
        var key = new ApiKeyRecord
        {
            Id = "abcdefghijkl", Name = "alice", SecretHash = "00", CreatedAt = DateTimeOffset.UnixEpoch,
            Budget = new KeyBudget(1_000_000, BudgetPeriod.Monthly),
        };
        var month = BudgetWindow.For(BudgetPeriod.Monthly, _kit.Time.GetUtcNow());
        Assert.Equal(0, await _kit.Spend.SpentAsync(key.Id, month, CancellationToken.None));
        var record = Answered("req_twice", new KeyCaller(key.Id, key));

        _kit.Settlement.Settle(record);
        _kit.Settlement.Settle(record);

        Assert.Single(Queued());
        Assert.Equal(5100, await _kit.Spend.SpentAsync(key.Id, month, CancellationToken.None));
    }

    [Fact]
    public void A_failed_request_is_recorded_with_its_error_kind()
    {
        var record = Answered("req_failed");
        record.Status = 502;
        record.ErrorKind = ApiErrorKind.BadGateway;
        record.InputTokens = null;
        record.CacheReadTokens = null;
        record.OutputTokens = null;
        record.ReasoningTokens = null;

        _kit.Settlement.Settle(record);

        var row = Assert.Single(Queued());
        Assert.Equal((502, "BadGateway", 0L, 0L, 0L), (row.Status, row.ErrorKind, row.InputTokens, row.OutputTokens, row.CostMicros));
    }

    [Fact]
    public void Token_counts_are_left_out_and_requests_that_never_reached_a_door_are_only_counted()
    {
        var count = Answered("req_count");
        count.TokenCountOnly = true;
        var unauthenticated = new RequestRecord { RequestId = "req_401", Status = 401 };
        var probe = new RequestRecord { RequestId = "req_probe", Status = 200 };

        _kit.Settlement.Settle(count);
        _kit.Settlement.Settle(unauthenticated);
        _kit.Settlement.Settle(probe);

        Assert.Empty(Queued());
        Assert.Equal(1, _kit.Measured(LedgerMetrics.Unrecorded));
    }

    [Fact]
    public void A_record_without_a_start_time_is_dated_when_it_settles()
    {
        var record = Answered("req_undated");
        record.StartedAt = default;

        _kit.Settlement.Settle(record);

        Assert.Equal(_kit.Time.GetUtcNow(), Assert.Single(Queued()).Time);
    }
}

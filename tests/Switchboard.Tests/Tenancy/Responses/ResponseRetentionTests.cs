using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Configuration;
using Switchboard.Storage;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Responses;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Tenancy.Responses;

public sealed class ResponseRetentionTests() : StoreTestBase(StoreDialect.Sqlite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 10, 12, 0, 0, TimeSpan.Zero));

    protected override TimeProvider Time => _time;

    private static SwitchboardOptions Options(int days) => new() { Storage = new StorageOptions { ResponseRetentionDays = days } };

    private StoredResponse Response(string id, TimeSpan age, string? keyId = "key-a") => new()
    {
        Id = id,
        KeyId = keyId,
        CreatedAt = _time.GetUtcNow() - age,
        ResponseJson = $$"""{"id":"{{id}}","output":[{"type":"message","id":"msg_{{id}}","role":"assistant","content":[]}]}""",
        InputItemsJson = "[]",
    };

    [Fact]
    public async Task Responses_older_than_the_retention_go_a_minute_after_start_and_then_every_hour()
    {
        await Store.Responses.SaveAsync(Response("resp_old", TimeSpan.FromDays(31)), CancellationToken.None);
        await Store.Responses.SaveAsync(Response("resp_recent", TimeSpan.FromDays(29)), CancellationToken.None);
        using var retention = new ResponseRetention(Store.Responses, Options(30), _time, NullLogger<ResponseRetention>.Instance);
        await retention.StartAsync(CancellationToken.None);

        var start = _time.GetUtcNow();
        while (await Store.Responses.FindAsync("resp_old", CancellationToken.None) is not null)
        {
            Assert.True(_time.GetUtcNow() - start < ResponseRetention.FirstDelay * 3, "no sweep within three minutes of start");
            _time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20);
        }

        Assert.True(_time.GetUtcNow() - start >= ResponseRetention.FirstDelay, "swept before the first delay");
        Assert.NotNull(await Store.Responses.FindAsync("resp_recent", CancellationToken.None));

        // The one that was 29 days old goes once it is past 30, swept hourly; stepped an hour at a time, since the
        // next sweep's delay is registered a moment after a sweep ends.
        for (var hours = 0; hours < 72 && await Store.Responses.FindAsync("resp_recent", CancellationToken.None) is not null; hours++)
        {
            _time.Advance(TimeSpan.FromHours(1));
            await Task.Delay(20);
        }

        Assert.Null(await Store.Responses.FindAsync("resp_recent", CancellationToken.None));
        await retention.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Zero_days_keeps_every_response()
    {
        await Store.Responses.SaveAsync(Response("resp_ancient", TimeSpan.FromDays(3650)), CancellationToken.None);
        using var retention = new ResponseRetention(Store.Responses, Options(0), _time, NullLogger<ResponseRetention>.Instance);
        await retention.StartAsync(CancellationToken.None);

        _time.Advance(ResponseRetention.FirstDelay + ResponseRetention.Interval);
        await Task.Delay(100);

        Assert.Equal(0, await retention.SweepAsync(CancellationToken.None));
        Assert.NotNull(await Store.Responses.FindAsync("resp_ancient", CancellationToken.None));
        var access = new ResponseAccess(Store.Responses, Options(0), _time);
        Assert.NotNull(await access.FindAsync("resp_ancient", "key-a", CancellationToken.None));
        await retention.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_caller_sees_only_its_own_keys_responses_and_none_past_retention_before_the_sweep()
    {
        await Store.Responses.SaveAsync(Response("resp_a", TimeSpan.FromDays(1)), CancellationToken.None);
        await Store.Responses.SaveAsync(Response("resp_open", TimeSpan.FromDays(1), keyId: null), CancellationToken.None);
        await Store.Responses.SaveAsync(Response("resp_stale", TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1)), CancellationToken.None);
        var access = new ResponseAccess(Store.Responses, Options(30), _time);

        Assert.Equal("resp_a", (await access.FindAsync("resp_a", "key-a", CancellationToken.None))?.Id);
        Assert.Null(await access.FindAsync("resp_a", "key-b", CancellationToken.None));
        Assert.Null(await access.FindAsync("resp_a", null, CancellationToken.None));
        Assert.Equal("resp_open", (await access.FindAsync("resp_open", null, CancellationToken.None))?.Id);
        Assert.Null(await access.FindAsync("resp_open", "key-a", CancellationToken.None));
        Assert.Null(await access.FindAsync("resp_stale", "key-a", CancellationToken.None));
        Assert.Null(await access.FindByItemAsync("msg_resp_stale", "key-a", CancellationToken.None));
        Assert.Equal("resp_a", (await access.FindByItemAsync("msg_resp_a", "key-a", CancellationToken.None))?.Id);

        Assert.False(await access.DeleteAsync("resp_a", "key-b", CancellationToken.None));
        Assert.NotNull(await Store.Responses.FindAsync("resp_a", CancellationToken.None));
        Assert.True(await access.DeleteAsync("resp_a", "key-a", CancellationToken.None));
        Assert.Null(await Store.Responses.FindAsync("resp_a", CancellationToken.None));
    }
}

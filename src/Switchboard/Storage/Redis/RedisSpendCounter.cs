using System.Collections.Concurrent;
using StackExchange.Redis;
using Switchboard.Configuration;
using Switchboard.Telemetry;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Budgets;

namespace Switchboard.Storage.Redis;

/// <summary>
/// Budget spend shared by every Switchboard process through Redis: one counter per key and budget window
/// (<c>switchboard:spend:{key}:{period}:{start}</c>), raised with <c>INCRBY</c> as each request settles, so every
/// process sees every other's spend on its next check. A counter that is absent (a new window, an expired or lost
/// key) is seeded from the ledger store first (<c>SET NX</c>, so concurrent seeds agree), and it expires a day after
/// its window ends. When Redis cannot be reached the in-process counter (<see cref="StoreSpendCounter"/>, re-read
/// from the store) stands in, with a warning; under <c>Storage:FailClosed</c> the failure is passed on and the
/// budget gate refuses. Raises that could not reach Redis are kept (summed per counter) and applied once it answers.
/// </summary>
public sealed partial class RedisSpendCounter(
    RedisConnection redis, StoreSpendCounter local, IUsageLedgerStore store, SwitchboardOptions options, TimeProvider time,
    ILogger<RedisSpendCounter> logger) : ISpendCounter
{
    /// <summary>Total budgets never end; their counter lives this long after its last raise and is then re-seeded.</summary>
    public static readonly TimeSpan TotalTtl = TimeSpan.FromDays(35);

    // Raises the counter only when it exists (else the caller seeds it first), and keeps its expiry ahead.
    private const string RaiseScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          local spent = redis.call('INCRBY', KEYS[1], ARGV[1])
          redis.call('EXPIRE', KEYS[1], ARGV[2])
          return spent
        end
        return false
        """;

    private readonly bool _failClosed = options.Storage.FailClosed;
    private readonly LogThrottle _warnings = new(time, TimeSpan.FromSeconds(30));
    private readonly ConcurrentDictionary<string, Missed> _missed = new(StringComparer.Ordinal);

    public async ValueTask<long> SpentAsync(string keyId, BudgetWindow window, CancellationToken cancellationToken)
    {
        if (redis.Current is not { } connection)
        {
            return await FallBackAsync(keyId, window, null, cancellationToken);
        }

        try
        {
            var db = connection.GetDatabase();
            var key = Key(keyId, window);
            var value = await db.StringGetAsync(key);
            if (value.HasValue)
            {
                return (long)value;
            }

            return await SeedAsync(db, key, keyId, window, cancellationToken);
        }
        catch (Exception failure) when (failure is RedisException or TimeoutException)
        {
            return await FallBackAsync(keyId, window, failure, cancellationToken);
        }
    }

    public void Add(string keyId, BudgetWindow window, string requestId, long micros)
    {
        local.Add(keyId, window, requestId, micros);
        if (micros > 0)
        {
            _ = RaiseAsync(keyId, window, micros);
        }
    }

    internal static RedisKey Key(string keyId, BudgetWindow window) =>
        $"switchboard:spend:{keyId}:{window.Period.ToString().ToLowerInvariant()}:{window.Start.ToUnixTimeSeconds()}";

    private async Task RaiseAsync(string keyId, BudgetWindow window, long micros)
    {
        var key = Key(keyId, window);
        try
        {
            var db = (redis.Current ?? throw new InvalidOperationException("Redis is not connected")).GetDatabase();
            await RaiseOrSeedAsync(db, key, keyId, window, micros);
            await ReplayMissedAsync(db);
        }
        catch (Exception failure)
        {
            _missed.AddOrUpdate((string)key!, _ => new Missed(keyId, window, micros), (_, m) => m with { Micros = m.Micros + micros });
            Warn(failure, "a settled cost could not be added to the shared budget counter; it is kept and added once Redis answers");
        }
    }

    private async Task RaiseOrSeedAsync(IDatabase db, RedisKey key, string keyId, BudgetWindow window, long micros)
    {
        var raised = await db.ScriptEvaluateAsync(RaiseScript, [key], [micros, TtlSeconds(window)]);
        if (raised.IsNull)
        {
            await SeedAsync(db, key, keyId, window, CancellationToken.None);
            await db.ScriptEvaluateAsync(RaiseScript, [key], [micros, TtlSeconds(window)]);
        }
    }

    private async Task ReplayMissedAsync(IDatabase db)
    {
        foreach (var (key, missed) in _missed)
        {
            if (_missed.TryRemove(key, out var taken))
            {
                try
                {
                    await RaiseOrSeedAsync(db, key, taken.KeyId, taken.Window, taken.Micros);
                }
                catch
                {
                    _missed.AddOrUpdate(key, taken, (_, m) => m with { Micros = m.Micros + taken.Micros });
                    throw;
                }
            }
        }
    }

    /// <summary>Starts an absent counter at the store's figure; the first process to seed wins.</summary>
    private async Task<long> SeedAsync(IDatabase db, RedisKey key, string keyId, BudgetWindow window, CancellationToken cancellationToken)
    {
        var stored = await store.SpentMicrosAsync(keyId, window.Start, cancellationToken);
        await db.StringSetAsync(key, stored, TimeSpan.FromSeconds(TtlSeconds(window)), When.NotExists);
        var value = await db.StringGetAsync(key);
        return value.HasValue ? (long)value : stored;
    }

    private long TtlSeconds(BudgetWindow window) =>
        (long)Math.Ceiling((window.End is { } end ? end - time.GetUtcNow() + TimeSpan.FromDays(1) : TotalTtl).TotalSeconds);

    private ValueTask<long> FallBackAsync(string keyId, BudgetWindow window, Exception? failure, CancellationToken cancellationToken)
    {
        if (_failClosed)
        {
            throw failure ?? new InvalidOperationException("Redis is not connected");
        }

        Warn(failure, "the shared budget counter cannot be reached; budgets are checked against this process's figure, re-read from the store");
        return local.SpentAsync(keyId, window, cancellationToken);
    }

    private void Warn(Exception? failure, string what)
    {
        if (_warnings.TryEnter(out var suppressed))
        {
            LogRedisFailed(logger, failure, what, suppressed);
        }
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Warning, Message = "Redis: {What} ({Suppressed} similar warnings not logged)")]
    private static partial void LogRedisFailed(ILogger logger, Exception? exception, string what, long suppressed);

    private sealed record Missed(string KeyId, BudgetWindow Window, long Micros);
}

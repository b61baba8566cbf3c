using Microsoft.Extensions.DependencyInjection;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Keys;

namespace Switchboard.EndToEnd.Tenancy;

/// <summary>
/// A real Switchboard with its usage ledger on a fresh store (SQLite or PostgreSQL), default prices of $3 input,
/// $15 output, $0.30 cache read per million tokens, and the ledger store to read back what it wrote.
/// </summary>
public sealed class LedgerHost : IAsyncDisposable
{
    public const decimal InputPrice = 3m;
    public const decimal OutputPrice = 15m;
    public const decimal CacheReadPrice = 0.3m;

    private LedgerHost(LedgerStorage storage, SwitchboardHost host)
    {
        Storage = storage;
        Host = host;
    }

    public LedgerStorage Storage { get; }

    public SwitchboardHost Host { get; }

    public IUsageLedgerStore Ledger => Host.App.Services.GetRequiredService<IUsageLedgerStore>();

    public static async Task<LedgerHost> StartAsync(string storageKind, IEnumerable<string>? args = null, FakeServerOptions? upstream = null)
    {
        var storage = await LedgerStorage.CreateAsync(storageKind);
        try
        {
            var host = await SwitchboardHost.StartAsync(upstream, args:
            [
                .. storage.Args,
                "--Switchboard:Tenancy:DefaultPrices:InputPerMillion=3",
                "--Switchboard:Tenancy:DefaultPrices:OutputPerMillion=15",
                "--Switchboard:Tenancy:DefaultPrices:CacheReadPerMillion=0.3",
                .. args ?? [],
            ]);
            return new LedgerHost(storage, host);
        }
        catch
        {
            await storage.DisposeAsync();
            throw;
        }
    }

    /// <summary>The cost of a row's tokens at the host's prices, in micro-USD (exact here: whole prices and tenths).</summary>
    public static long Cost(long input, long cacheRead, long output) =>
        (long)decimal.Round((input * InputPrice) + (cacheRead * CacheReadPrice) + (output * OutputPrice), 0, MidpointRounding.AwayFromZero);

    /// <summary>Creates a stored key through the server's key manager; returns its id and the key to present.</summary>
    public async Task<(string Id, string Key)> CreateKeyAsync(KeyChanges spec)
    {
        var (record, key) = await Host.App.Services.GetRequiredService<KeyManager>().CreateAsync(spec, CancellationToken.None);
        return (record.Id, key);
    }

    /// <summary>Waits until the ledger holds at least <paramref name="count"/> rows (of <paramref name="keyId"/>), and returns them all.</summary>
    public async Task<IReadOnlyList<UsageRow>> RowsAsync(int count, string? keyId = null, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var rows = await Ledger.RecentAsync(keyId, count + 1000, CancellationToken.None);
            if (rows.Count >= count || DateTime.UtcNow > until)
            {
                return rows;
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Storage.DisposeAsync();
    }
}

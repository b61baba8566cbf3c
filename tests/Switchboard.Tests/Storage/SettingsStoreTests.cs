using Switchboard.Storage;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Storage;

public abstract class SettingsStoreTests(StoreDialect dialect) : StoreTestBase(dialect)
{
    [Fact]
    public async Task The_first_value_stays_and_later_ones_get_it_back()
    {
        Assert.Equal("first", await Store.Settings.GetOrAddAsync("thinking", "first", CancellationToken.None));
        Assert.Equal("first", await Store.Settings.GetOrAddAsync("thinking", "second", CancellationToken.None));
        Assert.Equal("other", await Store.Settings.GetOrAddAsync("another", "other", CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_writers_from_several_stores_all_get_one_winner()
    {
        var stores = new List<SwitchboardStore> { Store };
        for (var i = 0; i < 3; i++)
        {
            stores.Add(await Storage.OpenAsync());
        }

        var values = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            Task.Run(() => stores[i % stores.Count].Settings.GetOrAddAsync("race", "value-" + i, CancellationToken.None))));

        var winner = Assert.Single(values.Distinct());
        Assert.StartsWith("value-", winner);
        Assert.Equal(winner, await Store.Settings.GetOrAddAsync("race", "late", CancellationToken.None));
    }
}

public sealed class SqliteSettingsStoreTests() : SettingsStoreTests(StoreDialect.Sqlite);

public sealed class PostgresSettingsStoreTests() : SettingsStoreTests(StoreDialect.PostgreSql);

using Switchboard.Configuration;
using Switchboard.Tenancy;

namespace Switchboard.Hosting.Cli;

/// <summary>
/// The stores a command works on, opened from the same settings the server reads (appsettings.json, environment,
/// <c>--config</c>, then <c>--data-dir</c> / <c>--postgres</c>): the SQLite database in the data directory, or PostgreSQL.
/// </summary>
internal sealed class CliStore(ServiceProvider services) : IAsyncDisposable
{
    public IKeyStore Keys { get; } = services.GetRequiredService<IKeyStore>();

    public IUsageLedgerStore Ledger { get; } = services.GetRequiredService<IUsageLedgerStore>();

    public static CliStore Open(SwitchboardOptions options)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(options);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddSingleton(TimeProvider.System);
        StoreSetupForCli.Add(services, options);
        return new CliStore(services.BuildServiceProvider());
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();
}

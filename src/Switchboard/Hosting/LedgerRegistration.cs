using Switchboard.Configuration;
using Switchboard.Pipeline;
using Switchboard.Storage.Redis;
using Switchboard.Telemetry;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Budgets;
using Switchboard.Tenancy.Ledger;
using Switchboard.Tenancy.Pricing;

namespace Switchboard.Hosting;

/// <summary>
/// Prices, budgets and the usage ledger: the settle stage's ledger consumer with its queue, writer and retention
/// sweep, and the budget gate over per-key spend (shared through Redis when <c>Storage:Redis</c> is set, else kept
/// in process and re-read from the store). The ledger store itself (<see cref="IUsageLedgerStore"/>) is the
/// storage registration's.
/// </summary>
internal static class LedgerRegistration
{
    public static IServiceCollection AddUsageLedger(this IServiceCollection services, SwitchboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<PriceList>();
        services.AddSingleton<LedgerMetrics>();
        services.AddSingleton<LedgerQueue>();
        services.AddSingleton<RecentRequestIds>();
        services.AddSingleton<IRequestSettlement, LedgerSettlement>();
        services.AddSingleton<LedgerWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<LedgerWriter>());
        services.AddHostedService<LedgerRetention>();

        services.AddSingleton<StoreSpendCounter>();
        if (string.IsNullOrWhiteSpace(options.Storage.Redis))
        {
            services.AddSingleton<ISpendCounter>(provider => provider.GetRequiredService<StoreSpendCounter>());
        }
        else
        {
            services.AddSingleton<ISpendCounter, RedisSpendCounter>();
        }

        services.AddSingleton<IBudgetGate, BudgetGate>();
        return services;
    }
}

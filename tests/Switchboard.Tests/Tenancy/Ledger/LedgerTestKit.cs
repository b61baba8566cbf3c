using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Routing;
using Switchboard.Telemetry;
using Switchboard.Tenancy.Budgets;
using Switchboard.Tenancy.Ledger;
using Switchboard.Tenancy.Pricing;

namespace Switchboard.Tests.Tenancy.Ledger;

/// <summary>The ledger's parts wired as the app wires them, over a <see cref="MemoryLedgerStore"/>, with a meter of its own to observe.</summary>
internal sealed class LedgerTestKit : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly MeterListener _listener;
    private readonly Dictionary<string, long> _counters = [];

    public LedgerTestKit(int queueCapacity = 100, ModelPrices? prices = null)
    {
        Options = new SwitchboardOptions { Models = [new ModelOptions { Name = "m", Prices = prices }] };
        Options.Upstreams["gpu"] = new UpstreamOptions { BaseUrl = "http://127.0.0.1:9/v1" };
        Options.Storage.LedgerQueueCapacity = queueCapacity;
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = _services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (_counters)
            {
                _counters[instrument.Name] = _counters.GetValueOrDefault(instrument.Name) + value;
            }
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            lock (_counters)
            {
                _counters[instrument.Name] = value;
            }
        });
        _listener.Start();

        Metrics = new LedgerMetrics(meters);
        Queue = new LedgerQueue(Options, Metrics, Time, NullLogger<LedgerQueue>.Instance);
        Spend = new StoreSpendCounter(Store, Time, NullLogger<StoreSpendCounter>.Instance);
        Settlement = new LedgerSettlement(Queue, new PriceList(new ModelCatalog(Options, new UpstreamRegistry(Options)), Options), Spend, Spend,
            new RecentRequestIds(Time), Metrics, Time);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-12-10T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public SwitchboardOptions Options { get; }

    public MemoryLedgerStore Store { get; } = new();

    public LedgerMetrics Metrics { get; }

    public LedgerQueue Queue { get; }

    public StoreSpendCounter Spend { get; }

    public LedgerSettlement Settlement { get; }

    public LedgerWriter Writer() => new(Queue, Store, Spend, Metrics, Time, NullLogger<LedgerWriter>.Instance);

    /// <summary>The sum of a counter's measurements, or a gauge's last observed value.</summary>
    public long Measured(string instrument)
    {
        _listener.RecordObservableInstruments();
        lock (_counters)
        {
            return _counters.GetValueOrDefault(instrument);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}

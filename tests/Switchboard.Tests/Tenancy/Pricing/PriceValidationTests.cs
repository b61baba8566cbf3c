using Microsoft.Extensions.Configuration;
using Switchboard.Configuration;
using Switchboard.Hosting;

namespace Switchboard.Tests.Tenancy.Pricing;

public sealed class PriceValidationTests
{
    private static IReadOnlyList<string> Problems(string json)
    {
        var commandLine = CommandLine.Parse([]);
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        return Assert.Throws<SwitchboardConfigurationException>(() => StartupConfiguration.Load(configuration, commandLine)).Problems;
    }

    [Fact]
    public void Negative_prices_and_a_queue_without_room_are_listed_with_the_other_problems()
    {
        var problems = Problems("""
            { "Switchboard": {
                "Upstreams": { "gpu": { "BaseUrl": "http://127.0.0.1:8000/v1" } },
                "Models": [ { "Name": "m", "Port": 1, "Prices": { "InputPerMillion": -1, "OutputPerMillion": 2, "CacheReadPerMillion": -0.5 } } ],
                "Tenancy": { "DefaultPrices": { "InputPerMillion": 1, "OutputPerMillion": -3 } },
                "Storage": { "LedgerQueueCapacity": 0, "LedgerRetentionDays": -1 } } }
            """);

        Assert.Contains("Switchboard:Models:0:Prices:InputPerMillion: -1 is negative; prices are US dollars per million tokens, 0 or more", problems);
        Assert.Contains("Switchboard:Models:0:Prices:CacheReadPerMillion: -0.5 is negative; prices are US dollars per million tokens, 0 or more", problems);
        Assert.Contains("Switchboard:Tenancy:DefaultPrices:OutputPerMillion: -3 is negative; prices are US dollars per million tokens, 0 or more", problems);
        Assert.Contains(problems, p => p.StartsWith("Switchboard:Storage:LedgerQueueCapacity: must be greater than 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Switchboard:Storage:LedgerRetentionDays: must be 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Switchboard:Models:0:Port: unknown setting", StringComparison.Ordinal));
    }
}

using Microsoft.Extensions.Configuration;
using Switchboard.Configuration;
using Switchboard.Hosting;

namespace Switchboard.Tests.Configuration;

public sealed class ResponseRetentionValidationTests
{
    private static SwitchboardOptions Load(string storage, out IReadOnlyList<string> problems)
    {
        var json = $$"""{ "Switchboard": { "Upstreams": { "gpu": { "BaseUrl": "http://127.0.0.1:8000/v1" } }, "Storage": {{storage}} } }""";
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        try
        {
            problems = [];
            return StartupConfiguration.Load(configuration, CommandLine.Parse([]));
        }
        catch (SwitchboardConfigurationException failure)
        {
            problems = failure.Problems;
            return null!;
        }
    }

    [Fact]
    public void Stored_responses_are_kept_30_days_unless_configured_and_a_negative_value_is_refused()
    {
        Assert.Equal(30, Load("{}", out _).Storage.ResponseRetentionDays);
        Assert.Equal(0, Load("""{ "ResponseRetentionDays": 0 }""", out _).Storage.ResponseRetentionDays);
        Assert.Equal(7, Load("""{ "ResponseRetentionDays": 7 }""", out _).Storage.ResponseRetentionDays);

        Load("""{ "ResponseRetentionDays": -1 }""", out var problems);
        Assert.Contains(problems, p => p.StartsWith("Switchboard:Storage:ResponseRetentionDays: must be 0 (keep every stored response) or a number of days", StringComparison.Ordinal));
    }
}

using Microsoft.Extensions.DependencyInjection;
using Switchboard.Configuration;
using Switchboard.Hosting;
using Switchboard.Pipeline;
using Switchboard.Tenancy.Limits;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Hosting;

/// <summary>The admit stage as the app registers it, and a Redis setting that cannot work refused at start.</summary>
public sealed class LimitsStartupTests
{
    [Fact]
    public async Task The_app_admits_through_the_per_key_limits_with_process_counters_by_default()
    {
        await using var app = SwitchboardApp.Create(["--port", "0", "--Logging:LogLevel:Default=None"]);

        Assert.IsType<KeyLimitsAdmission>(app.Services.GetRequiredService<IAdmissionPolicy>());
        Assert.False(app.Services.GetRequiredService<LimitCounters>().Shared);
    }

    [Fact]
    public async Task With_Redis_set_the_counters_are_shared()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var app = SwitchboardApp.Create(["--port", "0", "--Logging:LogLevel:Default=None", "--redis", redis.ConnectionString]);

        Assert.True(app.Services.GetRequiredService<LimitCounters>().Shared);
    }

    [Theory]
    [InlineData("a=b,password=hunter2", "Keyword 'a' is not supported")]
    [InlineData("host:notaport,password=hunter2", "it names no host:port")]
    public void A_Redis_connection_string_that_cannot_work_stops_start_up_without_repeating_it(string connection, string reason)
    {
        var failure = Assert.Throws<SwitchboardConfigurationException>(() => SwitchboardApp.Create(["--port", "0", "--redis", connection]));

        var problem = Assert.Single(failure.Problems);
        Assert.StartsWith("Switchboard:Storage:Redis: not a usable Redis connection string (", problem, StringComparison.Ordinal);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.EndToEnd.Pools;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.AnthropicUpstream;

/// <summary>
/// The start-up probe and the pool's health probe authenticate to an Anthropic-compatible upstream the way its
/// model requests do: the key as configured (<c>x-api-key</c> or Bearer), <c>anthropic-version</c>, extra headers.
/// </summary>
public sealed class ProbeCredentialTests
{
    private const string Key = AnthropicUpstreamHost.UpstreamKey;

    [Fact]
    public async Task The_start_up_probe_sends_the_key_as_x_api_key_with_anthropic_version()
    {
        var logs = new CapturedLogs();
        await using var host = await SwitchboardHost.StartAsync(
            new FakeServerOptions { ApiKey = Key, MessagesAuth = true },
            args: ["--Switchboard:Upstreams:default:Api=anthropic", "--upstream-key", Key, "--Logging:LogLevel:Switchboard=Information"],
            configure: b => b.Services.AddSingleton<ILoggerProvider>(logs));

        var line = await WaitForProbeLineAsync(logs);

        Assert.StartsWith($"Upstream default at {host.Upstream.BaseUrl} answers; it serves [fake-model", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_start_up_probe_sends_a_bearer_key_where_the_upstream_is_configured_for_one()
    {
        var logs = new CapturedLogs();

        // The fake's default check is vLLM's: Authorization: Bearer only (x-api-key only on /v1/messages).
        await using var host = await SwitchboardHost.StartAsync(
            new FakeServerOptions { ApiKey = Key },
            args: ["--Switchboard:Upstreams:default:Api=anthropic", "--Switchboard:Upstreams:default:KeyHeader=bearer", "--upstream-key", Key,
                "--Logging:LogLevel:Switchboard=Information"],
            configure: b => b.Services.AddSingleton<ILoggerProvider>(logs));

        var line = await WaitForProbeLineAsync(logs);

        Assert.StartsWith($"Upstream default at {host.Upstream.BaseUrl} answers; it serves [fake-model", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "x-api-key")]
    [InlineData(false, "bearer")]
    public async Task The_health_probe_of_a_pool_of_anthropic_upstreams_authenticates_as_configured(bool messagesAuth, string keyHeader)
    {
        await using var host = await PoolHost.StartAsync(2, replicaOptions: new FakeServerOptions { ApiKey = Key, MessagesAuth = messagesAuth }, args:
        [
            "--Switchboard:Upstreams:r0:Api=anthropic", "--Switchboard:Upstreams:r1:Api=anthropic",
            $"--Switchboard:Upstreams:r0:ApiKey={Key}", $"--Switchboard:Upstreams:r1:ApiKey={Key}",
            $"--Switchboard:Upstreams:r0:KeyHeader={keyHeader}", $"--Switchboard:Upstreams:r1:KeyHeader={keyHeader}",
            "--Switchboard:Upstreams:r0:ProbeIntervalSeconds=1", "--Switchboard:Upstreams:r1:ProbeIntervalSeconds=1",
        ]);

        // The start-up probe knows the pool's targets serve a model (it used to say no model routed to them).
        await PoolFailoverTests.WaitUntilAsync(() => host.Logs.Lines.Count(l => l.Category.EndsWith("UpstreamStartupProbe", StringComparison.Ordinal)) >= 2);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.StartsWith("No model routes to upstream", StringComparison.Ordinal));

        // Before any request, only the probe can move a target out of "unknown": a refused probe puts it down.
        await PoolFailoverTests.WaitUntilAsync(async () => await host.StateAsync("r0") != "unknown" && await host.StateAsync("r1") != "unknown", TimeSpan.FromSeconds(10));
        await Task.Delay(2500);

        Assert.Equal("healthy", await host.StateAsync("r0"));
        Assert.Equal("healthy", await host.StateAsync("r1"));

        // (A slow machine may time a probe out; a refused key would be HTTP 401.)
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains("HTTP 401", StringComparison.Ordinal));
    }

    private static async Task<string> WaitForProbeLineAsync(CapturedLogs logs)
    {
        for (var i = 0; i < 200; i++)
        {
            if (logs.Lines.FirstOrDefault(l => l.Category.EndsWith("UpstreamStartupProbe", StringComparison.Ordinal)) is { Message: { } found })
            {
                return found;
            }

            await Task.Delay(25);
        }

        Assert.Fail("the start-up probe logged nothing");
        return "";
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;
using Switchboard.Hosting;

namespace Switchboard.EndToEnd;

public sealed class UpstreamStartupProbeTests
{
    private static async Task<string> WaitForAsync(CapturedLogs logs, string category, string contains)
    {
        for (var i = 0; i < 200; i++)
        {
            if (logs.Lines.FirstOrDefault(l => l.Category.EndsWith(category, StringComparison.Ordinal) && l.Message.Contains(contains, StringComparison.Ordinal)) is { Message: { } found })
            {
                return found;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"no log line containing '{contains}'; got: {string.Join(" | ", logs.Lines.Select(l => l.Message))}");
        return "";
    }

    [Fact]
    public async Task A_base_url_without_v1_is_named_with_the_url_that_answers()
    {
        var logs = new CapturedLogs();
        await using var fake = await FakeModelServer.StartAsync(new FakeServerOptions());
        await using var app = SwitchboardApp.Create(
            ["--upstream", fake.RootUrl, "--model", "fake-model", "--port", "0", "--Logging:LogLevel:Default=Warning", TestDataRoot.FreshDirectoryArg()],
            b => b.Services.AddSingleton<ILoggerProvider>(logs));
        await app.StartAsync();

        var line = await WaitForAsync(logs, "UpstreamStartupProbe", "did you mean");

        Assert.Equal($"Upstream default at {fake.RootUrl} does not answer GET /models, but {fake.RootUrl}/v1 does: did you mean {fake.RootUrl}/v1 (--upstream, or Switchboard:Upstreams:default:BaseUrl)?", line);
        await app.StopAsync();
    }

    [Fact]
    public async Task An_unreachable_upstream_is_named_at_start()
    {
        var logs = new CapturedLogs();
        await using var host = await SwitchboardHost.StartAsync(upstreamUrl: "http://127.0.0.1:1/v1", configure: b => b.Services.AddSingleton<ILoggerProvider>(logs));

        var line = await WaitForAsync(logs, "UpstreamStartupProbe", "is not reachable");

        Assert.StartsWith("Upstream default at http://127.0.0.1:1/v1 is not reachable (ConnectionError)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reachable_upstream_is_listed_with_its_models()
    {
        var logs = new CapturedLogs();
        await using var host = await SwitchboardHost.StartAsync(configure: b => b.Services.AddSingleton<ILoggerProvider>(logs),
            args: ["--Logging:LogLevel:Switchboard=Information"]);

        var line = await WaitForAsync(logs, "UpstreamStartupProbe", "answers");

        Assert.StartsWith($"Upstream default at {host.Upstream.BaseUrl} answers; it serves [fake-model", line, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains("does not list model", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_the_upstream_does_not_list_is_named()
    {
        var logs = new CapturedLogs();
        await using var host = await SwitchboardHost.StartAsync(quickstartModel: false, args: ["--model", "missing-model"],
            configure: b => b.Services.AddSingleton<ILoggerProvider>(logs));

        var line = await WaitForAsync(logs, "UpstreamStartupProbe", "does not list");

        Assert.StartsWith($"Upstream default at {host.Upstream.BaseUrl} does not list model missing-model (configured for missing-model); it serves [fake-model", line, StringComparison.Ordinal);
    }
}

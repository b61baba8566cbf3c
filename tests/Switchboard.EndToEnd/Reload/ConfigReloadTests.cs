using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Reload;

/// <summary>
/// The configuration file is reloaded while Switchboard runs: new requests follow the new upstreams, models and
/// targets within moments of the save, a stream already running finishes on the upstream it started on, a broken edit
/// changes nothing and is reported, and the health probes follow the new pools.
/// </summary>
public sealed class ConfigReloadTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_saved_file_reroutes_new_requests_while_a_running_stream_finishes_on_its_old_upstream()
    {
        await using var host = await ReloadHost.StartAsync(2, s => ReloadHost.Config(s, ["s0"], [("alpha", ["s0"]), ("beta", ["s0"])]));
        var before = await host.AskAsync("alpha", "before-change");
        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal([0], host.ServersThatSaw("before-change"));

        // A stream of 30 chunks 100 ms apart (about 3 s) on s0, started before the file changes.
        host.Servers[0].Enqueue(new ScriptedReply { Content = new string('y', 60), ChunkSize = 2, ChunkDelayMs = 100 });
        var stream = Task.Run(async () =>
        {
            using var request = RawRequests.Post("/v1/messages", ReloadHost.Body("alpha", "long-stream", stream: true));
            using var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        });
        await ReloadHost.WaitUntilAsync(() => Task.FromResult(host.ServersThatSaw("long-stream").Count == 1), Bounded);

        // And a whole answer whose headers s0 holds back for 2.5 s: still waiting when the file changes.
        host.Servers[0].Enqueue(new ScriptedReply { Content = "late but whole", HeaderDelayMs = 2500 });
        var waiting = host.AskAsync("alpha", "waiting-for-headers");
        await ReloadHost.WaitUntilAsync(() => Task.FromResult(host.ServersThatSaw("waiting-for-headers").Count == 1), Bounded);

        // alpha moves to s1, beta goes, gamma comes; s0, where the stream runs, leaves the configuration.
        await host.ReplaceAsync(ReloadHost.Config(host.Servers, ["s1"], [("alpha", ["s1"]), ("gamma", ["s1"])]));

        var attempt = 0;
        await ReloadHost.WaitUntilAsync(async () =>
        {
            var marker = $"after-change-{attempt++}";
            await host.AskAsync("alpha", marker);
            return host.ServersThatSaw(marker).SequenceEqual([1]);
        }, Bounded);

        var gamma = await host.AskAsync("gamma", "new-model");
        Assert.Equal(HttpStatusCode.OK, gamma.Status);
        Assert.Equal([1], host.ServersThatSaw("new-model"));
        var beta = await host.AskAsync("beta", "removed-model");
        Assert.Equal(HttpStatusCode.NotFound, beta.Status);
        Assert.Contains("not_found_error", beta.Body, StringComparison.Ordinal);
        Assert.Empty(host.ServersThatSaw("removed-model"));
        var models = await host.Http.GetStringAsync("/v1/models");
        Assert.Contains("\"gamma\"", models, StringComparison.Ordinal);
        Assert.DoesNotContain("\"beta\"", models, StringComparison.Ordinal);

        var late = await waiting;
        Assert.Equal(HttpStatusCode.OK, late.Status);
        Assert.Contains("late but whole", late.Body, StringComparison.Ordinal);

        var (status, events) = await stream;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("event: message_stop", events, StringComparison.Ordinal);
        Assert.DoesNotContain("event: error", events, StringComparison.Ordinal);
        Assert.Equal(new string('y', 60), string.Concat(System.Text.RegularExpressions.Regex.Matches(events, "\"text\":\"(y+)\"").Select(m => m.Groups[1].Value)));
        Assert.Equal([0], host.ServersThatSaw("long-stream"));

        Assert.Contains(host.Logs.Lines, l => l.Message == "Configuration reloaded (file): models added [gamma], changed [alpha], removed [beta]; upstreams added [s1], removed [s0]");
        var status2 = await host.ConfigStatusAsync();
        Assert.Equal("applied", status2.GetProperty("last_reload").GetProperty("result").GetString());
        Assert.Equal(1, status2.GetProperty("reloads_applied").GetInt32());
    }

    [Fact]
    public async Task An_invalid_edit_keeps_the_running_configuration_and_is_reported()
    {
        await using var host = await ReloadHost.StartAsync(2, s => ReloadHost.Config(s, ["s0"], [("alpha", ["s0"])]));

        // A JSON syntax error, written in place.
        await host.RewriteAsync("{ \"Switchboard\": { \"Models\": [ ");
        await ReloadHost.WaitUntilAsync(async () => (await host.ConfigStatusAsync()).GetProperty("reloads_rejected").GetInt32() == 1, Bounded);
        var syntax = (await host.ConfigStatusAsync()).GetProperty("last_reload");
        Assert.Equal("rejected", syntax.GetProperty("result").GetString());
        var problem = Assert.Single(syntax.GetProperty("problems").EnumerateArray()).GetString()!;
        Assert.StartsWith($"--config: configuration file {host.ConfigPath} is not valid JSON: line 1, position ", problem, StringComparison.Ordinal);

        // Valid JSON, but a model on an upstream that does not exist: the start-up check's own words.
        await host.ReplaceAsync(ReloadHost.Config(host.Servers, ["s0", "s1"], [("alpha", ["s2"])]));
        await ReloadHost.WaitUntilAsync(async () => (await host.ConfigStatusAsync()).GetProperty("reloads_rejected").GetInt32() == 2, Bounded);
        var rules = (await host.ConfigStatusAsync()).GetProperty("last_reload");
        var unknown = Assert.Single(rules.GetProperty("problems").EnumerateArray()).GetString()!;
        Assert.StartsWith("Switchboard:Models:0:Upstream: unknown upstream 's2'", unknown, StringComparison.Ordinal);
        Assert.EndsWith("; configured: s0, s1", unknown, StringComparison.Ordinal);
        Assert.Contains(host.Logs.Lines, l => l.Level == LogLevel.Warning && l.Message.StartsWith(
            "Configuration not reloaded (file): the running configuration is kept. Problems: Switchboard:Models:0:Upstream: unknown upstream 's2'", StringComparison.Ordinal));

        // Still served as before.
        var answer = await host.AskAsync("alpha", "still-running");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal([0], host.ServersThatSaw("still-running"));
        Assert.Equal(0, (await host.ConfigStatusAsync()).GetProperty("reloads_applied").GetInt32());

        // A fixed file is applied; a setting read only at start is named as needing a restart.
        await host.ReplaceAsync(ReloadHost.Config(host.Servers, ["s0", "s1"], [("alpha", ["s1"])],
            section => section["Streaming"] = new JsonObject { ["PingIntervalSeconds"] = 9 }));
        await ReloadHost.WaitUntilAsync(async () => (await host.ConfigStatusAsync()).GetProperty("reloads_applied").GetInt32() == 1, Bounded);
        var applied = (await host.ConfigStatusAsync()).GetProperty("last_reload");
        Assert.Equal(["Switchboard:Streaming"], applied.GetProperty("needs_restart").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(host.Logs.Lines, l => l.Level == LogLevel.Warning
            && l.Message == "Configuration changes to Switchboard:Streaming need a restart: the running values are kept until then");
        var moved = await host.AskAsync("alpha", "after-fix");
        Assert.Equal([1], host.ServersThatSaw("after-fix"));
        Assert.Equal(HttpStatusCode.OK, moved.Status);
    }

    [Fact]
    public async Task Probes_follow_the_reloaded_pools()
    {
        static void Probed(JsonObject section)
        {
            foreach (var (_, upstream) in section["Upstreams"]!.AsObject())
            {
                upstream!["ProbeIntervalSeconds"] = 0.2;
            }
        }

        await using var host = await ReloadHost.StartAsync(3, s => ReloadHost.Config(s, ["s0", "s1"], [("pool", ["s0", "s1"])], Probed),
            ["--Logging:LogLevel:Switchboard.Routing.Pools.HealthProbe=Debug"]);

        // No request is sent: only the probe can find an upstream healthy.
        await ReloadHost.WaitUntilAsync(async () => (await host.UpstreamsAsync()).SequenceEqual([("s0", "healthy"), ("s1", "healthy")]), Bounded);

        // s1 leaves the pool (and the configuration); s2 joins and is probed.
        await host.ReplaceAsync(ReloadHost.Config(host.Servers, ["s0", "s2"], [("pool", ["s0", "s2"])], Probed));
        await ReloadHost.WaitUntilAsync(async () => (await host.UpstreamsAsync()).SequenceEqual([("s0", "healthy"), ("s2", "healthy")]), Bounded);

        // s1's probe has stopped: with s1 gone, nothing tries it (a probe still running would log a failure every 0.2 s).
        await host.Servers[1].KillAsync();
        await Task.Delay(1500);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.StartsWith("Health probe of upstream s1 failed", StringComparison.Ordinal));
        Assert.Equal([("s0", "healthy"), ("s2", "healthy")], await host.UpstreamsAsync());
    }
}

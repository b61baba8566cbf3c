using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd;

public sealed class RequestLogTests
{
    private static async Task<(SwitchboardHost Host, CapturedLogs Logs)> StartAsync(params string[] args)
    {
        var logs = new CapturedLogs();
        var host = await SwitchboardHost.StartAsync(
            args: ["--Logging:LogLevel:Switchboard=Information", .. args],
            configure: builder => builder.Services.AddSingleton<ILoggerProvider>(logs));
        return (host, logs);
    }

    [Fact]
    public async Task One_line_per_request_names_key_model_upstream_status_and_tokens_but_never_the_key_or_prompt()
    {
        var (host, logs) = await StartAsync();
        await using var _ = host;
        host.Upstream.Enqueue(new ScriptedReply { Content = "Fine.", Usage = new ScriptedUsage { PromptTokens = 42, CompletionTokens = 3, CachedTokens = 10 } });

        using var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages",
            """{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"secret prompt words"}]}"""));
        var requestId = response.Headers.GetValues("request-id").Single();

        var lines = logs.Lines.Where(l => l.Message.Contains(requestId, StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines).Message;
        Assert.Contains("POST /v1/messages 200", line);
        Assert.Matches(@"key=key_[0-9a-f]{8} ", line);
        Assert.Contains("model=claude-sonnet-4-5 ", line);
        Assert.Contains("upstream=default ", line);
        Assert.Contains("input_tokens=42 ", line);
        Assert.Contains("output_tokens=3 ", line);
        Assert.Matches(@"total_ms=[0-9.]+", line);
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains(SwitchboardHost.ApiKey, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains("secret prompt words", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prompt_text_is_logged_only_when_asked()
    {
        var (host, logs) = await StartAsync("--Switchboard:LogPromptText=true");
        await using var _ = host;

        using var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages",
            """{"model":"fake-model","max_tokens":64,"messages":[{"role":"user","content":"debug me please"}]}"""));

        Assert.Contains(logs.Lines, l => l.Message.Contains("debug me please", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains(SwitchboardHost.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_logs_time_to_first_token_and_the_upstreams_usage()
    {
        var (host, logs) = await StartAsync();
        await using var _ = host;
        host.Upstream.Enqueue(new ScriptedReply { Content = "Streamed fine.", Usage = new ScriptedUsage { PromptTokens = 30, CompletionTokens = 4 } });

        using var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody));
        await response.Content.ReadAsStringAsync();
        var requestId = response.Headers.GetValues("request-id").Single();

        var line = Assert.Single(logs.Lines, l => l.Message.Contains(requestId, StringComparison.Ordinal)).Message;
        Assert.Matches(@"ttft_ms=[0-9.]+ ", line);
        Assert.Contains("input_tokens=30 ", line);
        Assert.Contains("output_tokens=4 ", line);
    }

    [Fact]
    public async Task Fields_a_request_does_not_have_are_left_out_and_a_hostile_model_name_stays_on_one_line()
    {
        var (host, logs) = await StartAsync();
        await using var _ = host;
        var model = "forged\\n2026-01-01 INFO fake line" + new string('x', 500);

        using var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages",
            $$"""{"model":"{{model}}","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}"""));
        var requestId = response.Headers.GetValues("request-id").Single();

        var line = Assert.Single(logs.Lines, l => l.Message.Contains(requestId, StringComparison.Ordinal)).Message;
        Assert.DoesNotContain('\n', line);
        Assert.Contains("model=forged\\n2026-01-01 INFO fake line", line);
        Assert.DoesNotContain(new string('x', 300), line);

        using var probe = await host.Http.GetAsync("/healthz");
        var probeId = probe.Headers.GetValues("request-id").Single();
        // The line is written as the request ends, which may be just after the client has the answer.
        for (var i = 0; i < 100 && !logs.Lines.Any(l => l.Message.Contains(probeId, StringComparison.Ordinal)); i++)
        {
            await Task.Delay(20);
        }

        var probeLine = Assert.Single(logs.Lines, l => l.Message.Contains(probeId, StringComparison.Ordinal)).Message;
        Assert.Matches(@"GET /healthz 200 total_ms=[0-9.]+ overhead_us=[0-9]+$", probeLine);
    }
}

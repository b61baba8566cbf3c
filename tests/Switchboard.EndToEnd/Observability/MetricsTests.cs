using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;
using Switchboard.Tenancy;

namespace Switchboard.EndToEnd.Observability;

/// <summary>
/// <c>GET /metrics</c> after a scripted set of requests through every kind of door: the request counter by door,
/// model, status and error; token counters equal to the usage ledger's rows; the GenAI histograms; an invented model
/// name folded into <c>other</c>.
/// </summary>
public sealed class MetricsTests
{
    private const string Requests = "switchboard_requests_total";
    private const string Tokens = "switchboard_tokens_total";
    private const string Model = "gen_ai_request_model";

    [Fact]
    public async Task A_scrape_counts_requests_and_tokens_the_ledger_recorded()
    {
        await using var host = await MetricsHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = "One.", Usage = new ScriptedUsage { PromptTokens = 11, CompletionTokens = 7, CachedTokens = 3 } });
        host.Upstream.Enqueue(new ScriptedReply
        {
            Content = "A streamed answer in pieces.", ChunkSize = 5, ChunkDelayMs = 5,
            Usage = new ScriptedUsage { PromptTokens = 20, CompletionTokens = 9 },
        });
        host.Upstream.Enqueue(new ScriptedReply { Content = "Chat.", Usage = new ScriptedUsage { PromptTokens = 5, CompletionTokens = 4 } });
        host.Upstream.Enqueue(new ScriptedReply { Content = "Alias.", Usage = new ScriptedUsage { PromptTokens = 6, CompletionTokens = 2 } });

        var ids = new List<string>();
        ids.Add(await SendAsync(host, "/v1/messages", RawRequests.SimpleBody, HttpStatusCode.OK));
        ids.Add(await SendAsync(host, "/v1/messages", RawRequests.StreamingBody, HttpStatusCode.OK));
        ids.Add(await SendAsync(host, "/v1/chat/completions",
            """{"model":"fake-model","messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.OK));
        ids.Add(await SendAsync(host, "/v1/messages", RawRequests.SimpleBody.Replace("fake-model", "claude-sonnet-9", StringComparison.Ordinal), HttpStatusCode.OK));
        ids.Add(await SendAsync(host, "/v1/messages", RawRequests.SimpleBody.Replace("fake-model", "made-up-model-xyz", StringComparison.Ordinal), HttpStatusCode.NotFound));
        await SendAsync(host, "/v1/messages/count_tokens", """{"model":"fake-model","messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.OK);

        var rows = await LedgerRowsAsync(host, ids);
        var scrape = await MetricsHost.ScrapeUntilAsync(host, s => s.Sum(Requests) >= 6);

        // Requests: by door, by the configured model (the alias folds into it), the invented name into "other".
        Assert.Equal(3, scrape.Sum(Requests, ("switchboard_door", "anthropic"), (Model, "fake-model"), ("gen_ai_operation_name", "chat"), ("http_response_status_code", "200")));
        Assert.Equal(1, scrape.Sum(Requests, ("switchboard_door", "openai-chat"), (Model, "fake-model"), ("http_response_status_code", "200")));
        Assert.Equal(1, scrape.Sum(Requests, (Model, "other"), ("http_response_status_code", "404"), ("error_type", "not_found")));
        Assert.Equal(1, scrape.Sum(Requests, ("gen_ai_operation_name", "count_tokens")));
        Assert.DoesNotContain("made-up-model-xyz", scrape.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("claude-sonnet-9", scrape.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("req_", scrape.Text, StringComparison.Ordinal);

        // Tokens: the ledger's columns, exactly.
        Assert.Equal(5, rows.Count);
        Assert.True(rows.Sum(r => r.InputTokens) > 0 && rows.Sum(r => r.CacheReadTokens) > 0 && rows.Sum(r => r.OutputTokens) > 0);
        Assert.Equal(rows.Sum(r => r.InputTokens), scrape.Sum(Tokens, ("switchboard_token_type", "input")));
        Assert.Equal(rows.Sum(r => r.CacheReadTokens), scrape.Sum(Tokens, ("switchboard_token_type", "cache_read")));
        Assert.Equal(rows.Sum(r => r.OutputTokens), scrape.Sum(Tokens, ("switchboard_token_type", "output")));

        // gen_ai.client.token.usage: one observation per answered request and type; input counts cached tokens too.
        var answered = rows.Where(r => r.Status == 200).ToList();
        Assert.Equal(answered.Count, scrape.Sum("gen_ai_client_token_usage_count", ("gen_ai_token_type", "output")));
        Assert.Equal(answered.Sum(r => r.OutputTokens), scrape.Sum("gen_ai_client_token_usage_sum", ("gen_ai_token_type", "output")));
        Assert.Equal(answered.Sum(r => r.InputTokens + r.CacheReadTokens + r.CacheWriteTokens),
            scrape.Sum("gen_ai_client_token_usage_sum", ("gen_ai_token_type", "input")));

        // Durations for every generation request (the 404 too, with its error); first-token and per-token time for the stream only.
        Assert.Equal(5, scrape.Sum("gen_ai_server_request_duration_seconds_count"));
        Assert.Equal(1, scrape.Sum("gen_ai_server_request_duration_seconds_count", ("error_type", "not_found")));
        Assert.Equal(1, scrape.Sum("gen_ai_server_time_to_first_token_seconds_count"));
        var stream = Assert.Single(rows, r => r.TimeToFirstTokenMs is not null);
        Assert.Equal(stream.TimeToFirstTokenMs!.Value / 1000, scrape.Sum("gen_ai_server_time_to_first_token_seconds_sum"), 6);
        Assert.Equal(1, scrape.Sum("gen_ai_server_time_per_output_token_seconds_count"));
        Assert.Equal(1, scrape.Sum("gen_ai_server_time_to_first_token_seconds_bucket", ("le", "+Inf")));

        // Upstream: attempts by outcome, the health view's state and in-flight gauges, and the overhead histogram.
        Assert.Equal(4, scrape.Sum("switchboard_upstream_attempts_total", ("switchboard_upstream", "default"), ("error_type", "none")));
        // The pool's health view: the upstream answered, so it is healthy (one gauge per state, 1 for the current one).
        Assert.Equal(1, scrape.Sum("switchboard_upstream_state", ("switchboard_upstream", "default"), ("switchboard_upstream_state", "healthy")));
        Assert.Equal(0, scrape.Sum("switchboard_upstream_state", ("switchboard_upstream", "default"), ("switchboard_upstream_state", "unknown")));
        Assert.Single(scrape.Matching("switchboard_upstream_in_flight", ("switchboard_upstream", "default")));
        Assert.Equal(0, scrape.Sum("switchboard_streams_active"));
        // Overhead: every request that waited on the upstream, the token count (its tokenizer) included.
        Assert.Equal(5, scrape.Sum("switchboard_overhead_seconds_count"));
        Assert.Single(scrape.Matching("switchboard_ledger_queue_depth"));
    }

    [Fact]
    public async Task Two_servers_in_one_process_count_only_their_own_requests()
    {
        await using var busy = await MetricsHost.StartAsync();
        await using var idle = await MetricsHost.StartAsync();

        await SendAsync(busy, "/v1/messages", RawRequests.SimpleBody, HttpStatusCode.OK);
        var busyScrape = await MetricsHost.ScrapeUntilAsync(busy, s => s.Sum(Requests) >= 1);
        var idleScrape = await MetricsHost.ScrapeAsync(idle);

        Assert.Equal(1, busyScrape.Sum(Requests));
        Assert.Equal(0, idleScrape.Sum(Requests));
        Assert.Single(idleScrape.Matching("switchboard_upstream_state", ("switchboard_upstream", "default"), ("switchboard_upstream_state", "unknown")));
    }

    [Fact]
    public async Task Metrics_on_the_main_port_need_the_admin_token()
    {
        await using var host = await MetricsHost.StartAsync();

        using var none = await host.Http.GetAsync("/metrics");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        using var refused = await host.Http.SendAsync(wrong);
        var scrape = await MetricsHost.ScrapeAsync(host);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain("switchboard_", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("# TYPE", scrape.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_admin_token_metrics_are_served_to_loopback_by_name_only()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var local = await host.Http.GetAsync("/metrics");
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        rebound.Headers.Host = "attacker.example";
        using var refused = await host.Http.SendAsync(rebound);

        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        Assert.StartsWith("text/plain", local.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_metrics_port_serves_metrics_alone_and_the_main_port_none()
    {
        var port = FreePort();
        await using var host = await MetricsHost.StartAsync("--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var metricsPort = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var scrape = await metricsPort.GetAsync("/metrics");
        using var other = await metricsPort.GetAsync("/v1/models");
        using var main = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        main.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MetricsHost.AdminToken);
        using var onMain = await host.Http.SendAsync(main);

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("# TYPE", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onMain.StatusCode);
    }

    [Fact]
    public async Task Metrics_switched_off_serve_no_endpoint()
    {
        await using var host = await MetricsHost.StartAsync("--Switchboard:Telemetry:Metrics=false");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MetricsHost.AdminToken);

        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<string> SendAsync(SwitchboardHost host, string path, string body, HttpStatusCode expected)
    {
        using var response = await host.Http.SendAsync(RawRequests.Post(path, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path} answered {(int)response.StatusCode}: {text}");
        return response.Headers.GetValues("request-id").Single();
    }

    private static async Task<List<UsageRow>> LedgerRowsAsync(SwitchboardHost host, IReadOnlyCollection<string> ids)
    {
        var ledger = host.App.Services.GetRequiredService<IUsageLedgerStore>();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var rows = (await ledger.RecentAsync(null, 1000, CancellationToken.None)).Where(r => ids.Contains(r.RequestId)).ToList();
            if (rows.Count >= ids.Count || DateTime.UtcNow > until)
            {
                return rows;
            }

            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

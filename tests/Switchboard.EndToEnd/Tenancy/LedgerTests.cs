using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.EndToEnd.OpenAIChat;
using Switchboard.FakeUpstream;
using Switchboard.Telemetry;
using Switchboard.Tenancy;

namespace Switchboard.EndToEnd.Tenancy;

/// <summary>
/// Every request through either door lands in the usage ledger exactly once, with the upstream's token counts and
/// the configured prices' cost, also when it failed or its client left mid-stream; against SQLite and PostgreSQL.
/// </summary>
public sealed class LedgerTests
{
    private static string RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("request-id", out var ids) || response.Headers.TryGetValues("x-request-id", out ids) ? ids.Single() : "";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Requests_through_both_doors_land_once_with_the_upstreams_tokens_and_their_cost(string storage)
    {
        await using var ledger = await LedgerHost.StartAsync(storage);
        var host = ledger.Host;
        host.Upstream.Enqueue(
            new ScriptedReply { Content = "Hello there", Usage = new ScriptedUsage { PromptTokens = 1200, CompletionTokens = 7, CachedTokens = 1000 } },
            new ScriptedReply { Content = "Streamed hello", Usage = new ScriptedUsage { PromptTokens = 300, CompletionTokens = 11 } },
            new ScriptedReply { Reasoning = "Thinking it over", Content = "Chat answer", Usage = new ScriptedUsage { PromptTokens = 50, CompletionTokens = 40, ReasoningTokens = 25 } },
            new ScriptedReply { Content = "Chat stream", Usage = new ScriptedUsage { PromptTokens = 60, CompletionTokens = 9, CachedTokens = 20 } });

        using var whole = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.SimpleBody));
        using var streamed = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody));
        _ = await streamed.Content.ReadAsStringAsync();
        using var chat = await OpenAIChatClient.PostAsync(host, """{"model":"fake-model","messages":[{"role":"user","content":"Hi"}]}""");
        using var chatStream = await OpenAIChatClient.PostAsync(host, """{"model":"fake-model","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
        _ = await chatStream.Content.ReadAsStringAsync();
        Assert.All([whole, streamed, chat, chatStream], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var rows = (await ledger.RowsAsync(4)).ToDictionary(r => r.RequestId);
        Assert.Equal(4, rows.Count);
        var keyId = rows.Values.First().KeyId;
        Assert.StartsWith("key_", keyId, StringComparison.Ordinal);
        Assert.All(rows.Values, r => Assert.Equal((keyId, "fake-model", "default", "fake-model", 200, (string?)null),
            (r.KeyId, r.Model, r.Upstream, r.UpstreamModel, r.Status, r.ErrorKind)));

        Expect(rows[RequestId(whole)], "anthropic", input: 200, cacheRead: 1000, output: 7, reasoning: 0);
        Expect(rows[RequestId(streamed)], "anthropic", input: 300, cacheRead: 0, output: 11, reasoning: 0);
        Expect(rows[RequestId(chat)], "openai-chat", input: 50, cacheRead: 0, output: 40, reasoning: 25);
        Expect(rows[RequestId(chatStream)], "openai-chat", input: 40, cacheRead: 20, output: 9, reasoning: 0);
        Assert.NotNull(rows[RequestId(streamed)].TimeToFirstTokenMs);
        Assert.All(rows.Values, r => Assert.True(r.DurationMs > 0 && r.OverheadUs > 0 && r.Time <= DateTimeOffset.UtcNow));

        // Written once: nothing more arrives later.
        await Task.Delay(600);
        Assert.Equal(4, (await ledger.Ledger.RecentAsync(null, 100, CancellationToken.None)).Count);
    }

    private static void Expect(UsageRow row, string door, long input, long cacheRead, long output, long reasoning)
    {
        Assert.Equal((door, input, cacheRead, 0L, output, reasoning), (row.FrontDoor, row.InputTokens, row.CacheReadTokens, row.CacheWriteTokens, row.OutputTokens, row.ReasoningTokens));
        Assert.Equal(LedgerHost.Cost(input, cacheRead, output), row.CostMicros);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_stream_the_client_left_is_recorded_as_499_with_the_tokens_streamed_until_then(string storage)
    {
        await using var ledger = await LedgerHost.StartAsync(storage);
        var host = ledger.Host;
        host.Upstream.Enqueue(new ScriptedReply { Content = new string('x', 400), ChunkSize = 4, ChunkDelayMs = 50 });

        var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody), HttpCompletionOption.ResponseHeadersRead);
        var requestId = RequestId(response);
        var events = SseEvent.ReadAllAsync(await response.Content.ReadAsStreamAsync()).GetAsyncEnumerator();
        var deltas = 0;
        while (deltas < 5 && await events.MoveNextAsync())
        {
            deltas += events.Current.Name == "content_block_delta" ? 1 : 0;
        }

        response.Dispose();
        await Assert.Single(host.Upstream.Requests).Outcome.WaitAsync(TimeSpan.FromSeconds(10));

        var row = Assert.Single(await ledger.RowsAsync(1));
        Assert.Equal((requestId, 499, (string?)null), (row.RequestId, row.Status, row.ErrorKind));
        Assert.True(row.InputTokens > 0);

        // About four characters a token of what was sent: at least the five deltas read, far from the whole answer.
        Assert.InRange(row.OutputTokens, 5, 60);
        Assert.Equal(LedgerHost.Cost(row.InputTokens, 0, row.OutputTokens), row.CostMicros);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Failed_requests_are_recorded_with_their_error_kind(string storage)
    {
        await using var ledger = await LedgerHost.StartAsync(storage);
        var host = ledger.Host;
        host.Upstream.Enqueue(new ScriptedReply { Error = new ScriptedError { Status = 500, Message = "model crashed" } });

        using var upstreamFailure = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.SimpleBody));
        using var chatBadRequest = await OpenAIChatClient.PostAsync(host, """{"model":"fake-model","messages":[{"role":"wizard","content":"Hi"}]}""");
        using var badRequest = await host.Http.SendAsync(RawRequests.Post("/v1/messages", """{"model":"fake-model","messages":"nope"}"""));

        var rows = (await ledger.RowsAsync(3)).ToDictionary(r => r.RequestId);
        Assert.Equal(3, rows.Count);
        var failure = rows[RequestId(upstreamFailure)];
        Assert.Equal(((int)upstreamFailure.StatusCode, "Api", "anthropic", 0L), (failure.Status, failure.ErrorKind, failure.FrontDoor, failure.CostMicros));
        Assert.Equal((400, "InvalidRequest", "openai-chat"), (rows[RequestId(chatBadRequest)].Status, rows[RequestId(chatBadRequest)].ErrorKind, rows[RequestId(chatBadRequest)].FrontDoor));
        Assert.Equal((400, "InvalidRequest", "anthropic"), (rows[RequestId(badRequest)].Status, rows[RequestId(badRequest)].ErrorKind, rows[RequestId(badRequest)].FrontDoor));
    }

    [Fact]
    public async Task Token_counts_model_lists_and_unauthenticated_requests_stay_out_and_refusals_are_counted()
    {
        await using var ledger = await LedgerHost.StartAsync("sqlite");
        var host = ledger.Host;
        var unrecorded = 0L;
        using var listener = Listen(host, LedgerMetrics.Unrecorded, value => Interlocked.Add(ref unrecorded, value));

        using var count = await host.Http.SendAsync(RawRequests.Post("/v1/messages/count_tokens", """{"model":"fake-model","messages":[{"role":"user","content":"Hi"}]}"""));
        using var models = await host.Http.GetAsync("/v1/models");
        using var anonymous = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        using var unauthenticated = await anonymous.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));
        using var answered = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.SimpleBody));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.OK),
            (count.StatusCode, models.StatusCode, unauthenticated.StatusCode, answered.StatusCode));

        var row = Assert.Single(await ledger.RowsAsync(1));
        Assert.Equal(RequestId(answered), row.RequestId);
        await Task.Delay(600);
        Assert.Single(await ledger.Ledger.RecentAsync(null, 100, CancellationToken.None));
        Assert.Equal(1, Interlocked.Read(ref unrecorded));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task The_ledger_keeps_up_with_a_burst_of_five_thousand_requests(string storage)
    {
        const int requests = 5000;
        await using var ledger = await LedgerHost.StartAsync(storage);
        var host = ledger.Host;
        var dropped = 0L;
        using var listener = Listen(host, LedgerMetrics.Dropped, value => Interlocked.Add(ref dropped, value));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(host.BaseUrl), Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.Add("x-api-key", SwitchboardHost.ApiKey);
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (_, token) =>
        {
            using var response = await http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody), token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(RequestId(response));
        });

        var rows = await ledger.RowsAsync(requests, timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(0, Interlocked.Read(ref dropped));
        Assert.Equal(ids.Order(StringComparer.Ordinal), rows.Select(r => r.RequestId).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.True(r.InputTokens > 0 && r.OutputTokens > 0 && r.CostMicros > 0));
    }

    [Fact]
    public async Task Two_processes_sharing_PostgreSQL_record_every_request_once()
    {
        await using var storage = await LedgerStorage.CreateAsync("postgresql");
        await using var a = await SwitchboardHost.StartAsync(args: storage.Args);
        await using var b = await SwitchboardHost.StartAsync(args: storage.Args);
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
        {
            var host = i % 2 == 0 ? a : b;
            using var response = i % 4 < 2
                ? await host.Http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody), token)
                : await OpenAIChatClient.PostAsync(host, """{"model":"fake-model","messages":[{"role":"user","content":"Hi"}]}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(RequestId(response));
        });

        var ledger = a.App.Services.GetRequiredService<IUsageLedgerStore>();
        var until = DateTime.UtcNow.AddSeconds(20);
        IReadOnlyList<UsageRow> rows;
        do
        {
            await Task.Delay(100);
            rows = await ledger.RecentAsync(null, 1000, CancellationToken.None);
        }
        while (rows.Count < 400 && DateTime.UtcNow < until);

        Assert.Equal(ids.Order(StringComparer.Ordinal), rows.Select(r => r.RequestId).Order(StringComparer.Ordinal));
        var byDoor = await ledger.SummarizeAsync(new UsageQuery(UsageGrouping.Model), CancellationToken.None);
        Assert.Equal(400, Assert.Single(byDoor).Requests);
    }

    /// <summary>Collects one counter of this host's meter (other hosts run in parallel).</summary>
    internal static MeterListener Listen(SwitchboardHost host, string instrumentName, Action<long> measured)
    {
        var factory = host.App.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == instrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => measured(value));
        listener.Start();
        return listener;
    }
}

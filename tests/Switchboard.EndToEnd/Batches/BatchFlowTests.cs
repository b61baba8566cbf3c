using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic.Models.Messages;
using Anthropic.Models.Messages.Batches;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.EndToEnd.Tenancy;
using Switchboard.FakeUpstream;
using Switchboard.Tenancy;

namespace Switchboard.EndToEnd.Batches;

/// <summary>
/// The Message Batches API over real HTTP, on SQLite and PostgreSQL: the official SDK creates, polls and reads a
/// batch; each key sees only its own; cancel, expiry, a restart in the middle, the ledger, the key's rate limits
/// left to interactive traffic, the per-endpoint body limit, and a store that is down.
/// </summary>
public abstract class BatchFlowTests(StoreKind kind) : IAsyncLifetime
{
    private KeyStorage _storage = null!;
    private FakeModelServer _upstream = null!;

    public async Task InitializeAsync()
    {
        _storage = await KeyStorage.CreateAsync(kind);
        _upstream = await FakeModelServer.StartAsync(new FakeServerOptions());
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _storage.DisposeAsync();
    }

    private static string Params(int i, string model = BatchHost.Model) =>
        $$"""{"model":"{{model}}","max_tokens":16,"messages":[{"role":"user","content":"question {{i}}"}]}""";

    private static string Body(int count, Func<int, string>? model = null) =>
        "{\"requests\":[" + string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"custom_id":"q-{{i}}","params":{{Params(i, model?.Invoke(i) ?? BatchHost.Model)}}}""")) + "]}";

    /// <param name="expectContinue">For a body refused as too large: sent only once the server asks for it, so the refusal is read, not cut off.</param>
    private static async Task<(int Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.ExpectContinue = expectContinue;
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<string> CreateAsync(HttpClient client, string body)
    {
        var (status, batch) = await SendAsync(client, HttpMethod.Post, "/v1/messages/batches", body);
        Assert.True(status == 200, batch.ToString());
        return batch.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> EndedAsync(HttpClient client, string id, double seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var (status, batch) = await SendAsync(client, HttpMethod.Get, $"/v1/messages/batches/{id}");
            Assert.Equal(200, status);
            if (batch.GetProperty("processing_status").GetString() == "ended")
            {
                return batch;
            }

            Assert.True(DateTime.UtcNow < until, $"batch {id} did not end: {batch}");
            await Task.Delay(100);
        }
    }

    private static async Task<List<JsonElement>> ResultsAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/v1/messages/batches/{id}/results");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-jsonl", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    private static string Counts(JsonElement batch) => batch.GetProperty("request_counts").GetRawText();

    [Fact]
    public async Task The_sdk_creates_polls_and_reads_a_batch_run_through_the_pipeline_and_metered_with_the_batch_id()
    {
        await using var host = await BatchHost.StartAsync(_storage, _upstream);
        var (keyId, key) = await host.CreateKeyAsync("""{"name":"alice"}""");
        var sdk = host.Sdk(key);

        // Whichever request reaches the upstream first is refused there (a client error: not retried).
        _upstream.Enqueue(new ScriptedReply { Error = new ScriptedError { Status = 400, Message = "prompt rejected" } });
        var created = await sdk.Messages.Batches.Create(new BatchCreateParams
        {
            Requests =
            [
                new Request { CustomID = "first", Params = new Params { Model = BatchHost.Model, MaxTokens = 32, Messages = [new UserMessageParam("Bonjour ✓")] } },
                new Request { CustomID = "second", Params = new Params { Model = BatchHost.Model, MaxTokens = 32, Messages = [new UserMessageParam("Hi")] } },
                new Request { CustomID = "third", Params = new Params { Model = BatchHost.Model, MaxTokens = 32, Messages = [new UserMessageParam("Hi")] } },
            ],
        });
        Assert.StartsWith("msgbatch_", created.ID, StringComparison.Ordinal);
        Assert.Equal(3, created.RequestCounts.Processing);
        Assert.Null(created.ResultsUrl);
        Assert.Equal(created.CreatedAt.AddHours(24), created.ExpiresAt);

        MessageBatch batch;
        var until = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(100);
            batch = await sdk.Messages.Batches.Retrieve(created.ID);
        }
        while (batch.ProcessingStatus.Raw() != "ended" && DateTime.UtcNow < until);

        Assert.Equal("ended", batch.ProcessingStatus.Raw());
        Assert.Equal((0L, 2L, 1L, 0L, 0L), (batch.RequestCounts.Processing, batch.RequestCounts.Succeeded, batch.RequestCounts.Errored, batch.RequestCounts.Canceled, batch.RequestCounts.Expired));
        Assert.Equal($"{host.BaseUrl}/v1/messages/batches/{created.ID}/results", batch.ResultsUrl);
        Assert.NotNull(batch.EndedAt);

        var results = new Dictionary<string, MessageBatchResult>();
        await foreach (var line in sdk.Messages.Batches.ResultsStreaming(created.ID))
        {
            results.Add(line.CustomID, line.Result);
        }

        Assert.Equal(["first", "second", "third"], results.Keys.Order(StringComparer.Ordinal));
        var succeeded = results.Values.Select(r => r.TryPickSucceeded(out var s) ? s : null).OfType<MessageBatchSucceededResult>().ToList();
        Assert.Equal(2, succeeded.Count);
        Assert.All(succeeded, s => Assert.Equal("Hello from the fake model server.", string.Concat(s.Message.Content.Select(b => b.TryPickText(out var t) ? t.Text : ""))));
        Assert.All(succeeded, s => Assert.StartsWith("msg_", s.Message.ID, StringComparison.Ordinal));
        var errored = results.Values.Select(r => r.TryPickErrored(out var e) ? e : null).OfType<MessageBatchErroredResult>().Single();
        Assert.Equal("invalid_request_error", errored.Error.Error.Json.GetProperty("type").GetString());

        // The upstream saw the three requests, not streamed, as the pipeline sends them.
        var sent = _upstream.Requests.Select(r => r.Body).ToList();
        Assert.Equal(3, sent.Count);
        Assert.Contains(sent, r => r.GetProperty("messages")[0].GetProperty("content").ToString().Contains("Bonjour ✓", StringComparison.Ordinal));
        Assert.All(sent, r => Assert.False(r.TryGetProperty("stream", out var s) && s.GetBoolean()));

        // One ledger row per request, under the key, named by the batch id and the custom_id, from the batch door.
        var ledger = host.App.Services.GetRequiredService<IUsageLedgerStore>();
        IReadOnlyList<UsageRow> rows;
        var ledgerUntil = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await Task.Delay(100);
            rows = await ledger.RecentAsync(keyId, 100, CancellationToken.None);
        }
        while (rows.Count < 3 && DateTime.UtcNow < ledgerUntil);

        Assert.Equal(
            [$"{created.ID}/first", $"{created.ID}/second", $"{created.ID}/third"],
            rows.Select(r => r.RequestId).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(("batch", keyId), (r.FrontDoor, r.KeyId)));
        Assert.Equal([200, 200, 400], rows.Select(r => r.Status).Order());
        Assert.All(rows.Where(r => r.Status == 200), r => Assert.True(r.OutputTokens > 0));

        // Deleted once ended: gone from the list and the results.
        var deleted = await sdk.Messages.Batches.Delete(created.ID);
        Assert.Equal(created.ID, deleted.ID);
        using var http = host.Http(key);
        Assert.Equal(404, (await SendAsync(http, HttpMethod.Get, $"/v1/messages/batches/{created.ID}/results")).Status);
    }

    [Fact]
    public async Task A_failure_worth_retrying_is_tried_again_under_a_request_id_of_its_own()
    {
        _upstream.Enqueue(new ScriptedReply { Error = new ScriptedError { Status = 503, Message = "server busy" } });
        await using var host = await BatchHost.StartAsync(_storage, _upstream);
        var (keyId, key) = await host.CreateKeyAsync("""{"name":"alice"}""");
        using var http = host.Http(key);
        var id = await CreateAsync(http, Body(1));

        Assert.Equal("""{"processing":0,"succeeded":1,"errored":0,"canceled":0,"expired":0}""", Counts(await EndedAsync(http, id)));
        Assert.Equal(2, _upstream.Requests.Count);
        var ledger = host.App.Services.GetRequiredService<IUsageLedgerStore>();
        IReadOnlyList<UsageRow> rows;
        var until = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await Task.Delay(100);
            rows = await ledger.RecentAsync(keyId, 100, CancellationToken.None);
        }
        while (rows.Count < 2 && DateTime.UtcNow < until);

        Assert.Equal([($"{id}/q-0", 529), ($"{id}/q-0/2", 200)], rows.Select(r => (r.RequestId, r.Status)).Order());
    }

    [Fact]
    public async Task A_key_sees_only_its_own_batches_and_lists_them_newest_first_in_pages()
    {
        await using var host = await BatchHost.StartAsync(_storage, _upstream);
        var (_, alice) = await host.CreateKeyAsync("""{"name":"alice"}""");
        var (_, bob) = await host.CreateKeyAsync("""{"name":"bob"}""");
        using var asAlice = host.Http(alice);
        using var asBob = host.Http(bob);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await CreateAsync(asAlice, Body(1)));
            await Task.Delay(5);
        }

        var bobs = await CreateAsync(asBob, Body(1));

        foreach (var path in new[] { "", "/results" })
        {
            var (status, error) = await SendAsync(asBob, HttpMethod.Get, $"/v1/messages/batches/{ids[0]}{path}");
            Assert.Equal(404, status);
            Assert.Equal("not_found_error", error.GetProperty("error").GetProperty("type").GetString());
        }

        Assert.Equal(404, (await SendAsync(asBob, HttpMethod.Post, $"/v1/messages/batches/{ids[0]}/cancel")).Status);
        Assert.Equal(404, (await SendAsync(asBob, HttpMethod.Delete, $"/v1/messages/batches/{ids[0]}")).Status);

        var (_, first) = await SendAsync(asAlice, HttpMethod.Get, "/v1/messages/batches?limit=2");
        Assert.Equal([ids[2], ids[1]], first.GetProperty("data").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal((ids[2], ids[1]), (first.GetProperty("first_id").GetString(), first.GetProperty("last_id").GetString()));
        var (_, next) = await SendAsync(asAlice, HttpMethod.Get, $"/v1/messages/batches?limit=2&after_id={ids[1]}");
        Assert.Equal([ids[0]], next.GetProperty("data").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        Assert.False(next.GetProperty("has_more").GetBoolean());
        var (_, back) = await SendAsync(asAlice, HttpMethod.Get, $"/v1/messages/batches?limit=1&before_id={ids[0]}");
        Assert.Equal([ids[1]], back.GetProperty("data").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        Assert.True(back.GetProperty("has_more").GetBoolean());

        var (_, bobsList) = await SendAsync(asBob, HttpMethod.Get, "/v1/messages/batches");
        Assert.Equal([bobs], bobsList.GetProperty("data").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        Assert.Equal(400, (await SendAsync(asBob, HttpMethod.Get, "/v1/messages/batches?limit=0")).Status);
        Assert.Equal(400, (await SendAsync(asBob, HttpMethod.Get, $"/v1/messages/batches?before_id={bobs}&after_id={bobs}")).Status);
    }

    [Fact]
    public async Task Cancel_ends_queued_requests_as_canceled_while_the_running_one_finishes_and_delete_waits_for_the_end()
    {
        _upstream.Options.DefaultReply = ScriptedReply.Text("slow answer");
        _upstream.Options.DefaultReply.HeaderDelayMs = 1500;
        await using var host = await BatchHost.StartAsync(_storage, _upstream, "--Switchboard:Batches:MaxConcurrency=1");
        var (_, key) = await host.CreateKeyAsync("""{"name":"alice"}""");
        using var http = host.Http(key);
        var id = await CreateAsync(http, Body(4));

        var until = DateTime.UtcNow.AddSeconds(10);
        while (_upstream.Requests.Count == 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        var (status, canceling) = await SendAsync(http, HttpMethod.Post, $"/v1/messages/batches/{id}/cancel");
        Assert.Equal(200, status);
        Assert.Equal("canceling", canceling.GetProperty("processing_status").GetString());
        Assert.Equal(JsonValueKind.String, canceling.GetProperty("cancel_initiated_at").ValueKind);

        var (deleteStatus, refusal) = await SendAsync(http, HttpMethod.Delete, $"/v1/messages/batches/{id}");
        Assert.Equal(400, deleteStatus);
        Assert.Contains("cancel it first", refusal.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        var ended = await EndedAsync(http, id);
        Assert.Equal("""{"processing":0,"succeeded":1,"errored":0,"canceled":3,"expired":0}""", Counts(ended));
        Assert.Single(_upstream.Requests);
        var results = await ResultsAsync(http, id);
        Assert.Equal(["canceled", "canceled", "canceled", "succeeded"], results.Select(r => r.GetProperty("result").GetProperty("type").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("""{"type":"canceled"}""", results.First(r => r.GetProperty("result").GetProperty("type").GetString() == "canceled").GetProperty("result").GetRawText());

        var (deletedStatus, deleted) = await SendAsync(http, HttpMethod.Delete, $"/v1/messages/batches/{id}");
        Assert.Equal(200, deletedStatus);
        Assert.Equal($$"""{"id":"{{id}}","type":"message_batch_deleted"}""", deleted.GetRawText());
    }

    [Fact]
    public async Task At_its_end_time_a_batchs_remaining_requests_expire()
    {
        _upstream.Options.DefaultReply = ScriptedReply.Text("slow answer");
        _upstream.Options.DefaultReply.HeaderDelayMs = 800;

        // 0.001 hours: 3.6 seconds (the runner starts polling 2 s after start-up).
        await using var host = await BatchHost.StartAsync(_storage, _upstream, "--Switchboard:Batches:MaxConcurrency=1", "--Switchboard:Batches:ExpiryHours=0.001");
        var (_, key) = await host.CreateKeyAsync("""{"name":"alice"}""");
        using var http = host.Http(key);
        var id = await CreateAsync(http, Body(10));

        var ended = await EndedAsync(http, id);
        var counts = ended.GetProperty("request_counts");
        var succeeded = counts.GetProperty("succeeded").GetInt32();

        // At most about four 0.8 s answers fit in the time left once the runner polls (fewer on a loaded machine).
        Assert.InRange(succeeded, 0, 5);
        Assert.Equal(10 - succeeded, counts.GetProperty("expired").GetInt32());
        var results = await ResultsAsync(http, id);
        Assert.Equal(10 - succeeded, results.Count(r => r.GetProperty("result").GetRawText() == """{"type":"expired"}"""));
    }

    [Fact]
    public async Task A_restart_in_the_middle_resumes_the_batch_and_every_request_has_one_result()
    {
        _upstream.Options.DefaultReply = ScriptedReply.Text("answer");
        _upstream.Options.DefaultReply.HeaderDelayMs = 150;
        string[] args = ["--Switchboard:Batches:MaxConcurrency=2"];
        string id;
        string key;
        await using (var first = await BatchHost.StartAsync(_storage, _upstream, args))
        {
            (_, key) = await first.CreateKeyAsync("""{"name":"alice"}""");
            using var http = first.Http(key);
            id = await CreateAsync(http, Body(20));
            var until = DateTime.UtcNow.AddSeconds(10);
            while (_upstream.Requests.Count < 4 && DateTime.UtcNow < until)
            {
                await Task.Delay(10);
            }
        }

        var beforeRestart = _upstream.Requests.Count;
        Assert.InRange(beforeRestart, 4, 15);
        await using var second = await BatchHost.StartAsync(_storage, _upstream, args);
        using var again = second.Http(key);
        var ended = await EndedAsync(again, id);
        Assert.Equal("""{"processing":0,"succeeded":20,"errored":0,"canceled":0,"expired":0}""", Counts(ended));
        var results = await ResultsAsync(again, id);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"q-{i}").Order(StringComparer.Ordinal), results.Select(r => r.GetProperty("custom_id").GetString()!).Order(StringComparer.Ordinal));

        // Requests cut off by the stop ran again; none ran more than twice.
        Assert.InRange(_upstream.Requests.Count, 20, 22);
    }

    [Fact]
    public async Task Batch_requests_leave_the_keys_rate_limits_to_interactive_traffic_but_keep_its_model_permissions()
    {
        await using var host = await BatchHost.StartAsync(_storage, _upstream);
        var (_, limited) = await host.CreateKeyAsync("""{"name":"limited","rpm":2}""");
        var (_, narrow) = await host.CreateKeyAsync("""{"name":"narrow","models":["other-*"]}""");
        using var asLimited = host.Http(limited);
        using var asNarrow = host.Http(narrow);

        var id = await CreateAsync(asLimited, Body(6));
        Assert.Equal("""{"processing":0,"succeeded":6,"errored":0,"canceled":0,"expired":0}""", Counts(await EndedAsync(asLimited, id)));

        // The key's two requests a minute are still there for its interactive requests, and a third is refused.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(200, (await SendAsync(asLimited, HttpMethod.Post, "/v1/messages", Params(i))).Status);
        }

        Assert.Equal(429, (await SendAsync(asLimited, HttpMethod.Post, "/v1/messages", Params(3))).Status);

        var refused = await CreateAsync(asNarrow, Body(2));
        Assert.Equal("""{"processing":0,"succeeded":0,"errored":2,"canceled":0,"expired":0}""", Counts(await EndedAsync(asNarrow, refused)));
        var error = (await ResultsAsync(asNarrow, refused))[0].GetProperty("result").GetProperty("error");
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("permission_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.StartsWith(refused + "/q-", error.GetProperty("request_id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Interactive_requests_are_answered_while_a_batch_runs()
    {
        _upstream.Options.DefaultReply = ScriptedReply.Text("answer");
        _upstream.Options.DefaultReply.HeaderDelayMs = 100;
        await using var host = await BatchHost.StartAsync(_storage, _upstream, "--Switchboard:Batches:MaxConcurrency=2");
        var (_, key) = await host.CreateKeyAsync("""{"name":"alice"}""");
        using var http = host.Http(key);
        var id = await CreateAsync(http, Body(30));

        for (var i = 0; i < 3; i++)
        {
            var started = DateTime.UtcNow;
            var (status, message) = await SendAsync(http, HttpMethod.Post, "/v1/messages", Params(i));
            Assert.Equal(200, status);
            Assert.Equal("message", message.GetProperty("type").GetString());
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        }

        var (_, running) = await SendAsync(http, HttpMethod.Get, $"/v1/messages/batches/{id}");
        Assert.Equal("in_progress", running.GetProperty("processing_status").GetString());
        Assert.Equal(30, (await ResultsOfEndedAsync(http, id)).Count);
    }

    [Fact]
    public async Task The_create_body_limit_is_the_batch_endpoints_own_and_a_bad_request_is_refused_naming_its_path()
    {
        await using var host = await BatchHost.StartAsync(_storage, _upstream, "--Switchboard:MaxRequestBodyBytes=2048", "--Switchboard:Batches:MaxBodyBytes=8192");
        var (_, key) = await host.CreateKeyAsync("""{"name":"alice"}""");
        using var http = host.Http(key);

        var fits = Body(40);
        Assert.InRange(fits.Length, 4096, 8192);
        Assert.Equal(413, (await SendAsync(http, HttpMethod.Post, "/v1/messages", fits, expectContinue: true)).Status);
        await CreateAsync(http, fits);

        var (tooLarge, error) = await SendAsync(http, HttpMethod.Post, "/v1/messages/batches", Body(80), expectContinue: true);
        Assert.Equal(413, tooLarge);
        Assert.Equal("request_too_large", error.GetProperty("error").GetProperty("type").GetString());

        var (bad, invalid) = await SendAsync(http, HttpMethod.Post, "/v1/messages/batches",
            """{"requests":[{"custom_id":"a","params":{"model":"fake-model","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}},{"custom_id":"b","params":{"model":"fake-model","messages":[{"role":"user","content":"hi"}]}}]}""");
        Assert.Equal(400, bad);
        Assert.Equal("invalid_request_error", invalid.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("requests.1.params.max_tokens: Field required", invalid.GetProperty("error").GetProperty("message").GetString());
        var (_, list) = await SendAsync(http, HttpMethod.Get, "/v1/messages/batches");
        Assert.Single(list.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_store_that_cannot_be_reached_is_answered_retry_in_anthropics_envelope()
    {
        await using var host = await BatchHost.StartAsync(_storage, _upstream);
        using var http = host.Http(null);
        var id = await CreateAsync(http, Body(1));
        await EndedAsync(http, id);

        await _storage.BreakAsync();
        var (status, error) = await SendAsync(http, HttpMethod.Get, $"/v1/messages/batches/{id}");
        Assert.Equal(529, status);
        Assert.Equal("overloaded_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.DoesNotContain("Exception", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(529, (await SendAsync(http, HttpMethod.Post, "/v1/messages/batches", Body(1))).Status);
    }

    private static async Task<List<JsonElement>> ResultsOfEndedAsync(HttpClient client, string id)
    {
        await EndedAsync(client, id, seconds: 60);
        return await ResultsAsync(client, id);
    }
}

public sealed class SqliteBatchFlowTests() : BatchFlowTests(StoreKind.Sqlite);

public sealed class PostgresBatchFlowTests() : BatchFlowTests(StoreKind.PostgreSql);

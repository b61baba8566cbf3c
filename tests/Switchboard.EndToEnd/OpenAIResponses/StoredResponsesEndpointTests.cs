using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.EndToEnd.Tenancy;
using Switchboard.Tenancy;

namespace Switchboard.EndToEnd.OpenAIResponses;

/// <summary>
/// The stored-response endpoints over real HTTP against SQLite and PostgreSQL, with responses put in the store as
/// the door stores them: each key sees only its own, paging of input items, deletion, cancel refused, and a store
/// that is down answering 503 in OpenAI's envelope.
/// </summary>
public abstract class StoredResponsesEndpointTests(StoreKind kind) : IAsyncLifetime
{
    private KeyStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await KeyStorage.CreateAsync(kind);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    private static StoredResponse Response(string id, string? keyId, int inputs = 3) => new()
    {
        Id = id,
        KeyId = keyId,
        CreatedAt = DateTimeOffset.UtcNow,
        ResponseJson = $$$"""{"id":"{{{id}}}","object":"response","created_at":1764600000,"status":"completed","model":"fake-model","output":[{"type":"message","id":"msg_out_{{{id}}}","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Bonjour ✓","annotations":[]}]}],"usage":{"input_tokens":3,"output_tokens":2,"total_tokens":5}}""",
        InputItemsJson = "[" + string.Join(",", Enumerable.Range(1, inputs).Select(i => $$"""{"id":"msg_{{i}}","type":"message","role":"user","content":[{"type":"input_text","text":"turn {{i}}"}]}""")) + "]",
    };

    private static HttpClient Bearer(TenantHost host, string? key)
    {
        var client = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private static async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(HttpClient client, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private static void AssertOpenAIError(string body, string type, string message, string? param = null)
    {
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.True(error.TryGetProperty("code", out _));
    }

    private static string Ids(JsonElement list) => string.Join(",", list.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("id").GetString()));

    [Fact]
    public async Task A_key_reads_lists_and_deletes_its_own_response_and_another_key_gets_404_for_it()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        var alice = await host.CreateKeyAsync("""{"name":"alice"}""");
        var bob = await host.CreateKeyAsync("""{"name":"bob"}""");
        var stored = Response("resp_alice", alice.GetProperty("id").GetString());
        await host.App.Services.GetRequiredService<IResponseStore>().SaveAsync(stored, CancellationToken.None);
        using var asAlice = Bearer(host, alice.GetProperty("key").GetString());
        using var asBob = Bearer(host, bob.GetProperty("key").GetString());

        var got = await SendAsync(asAlice, HttpMethod.Get, "/v1/responses/resp_alice");
        Assert.Equal(200, got.Status);
        Assert.Equal("application/json", got.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(stored.ResponseJson, got.Body);

        var other = await SendAsync(asBob, HttpMethod.Get, "/v1/responses/resp_alice");
        Assert.Equal(404, other.Status);
        AssertOpenAIError(other.Body, "invalid_request_error", "Response with id 'resp_alice' not found.");
        Assert.Equal(404, (await SendAsync(asBob, HttpMethod.Get, "/v1/responses/resp_alice/input_items")).Status);
        Assert.Equal(404, (await SendAsync(asBob, HttpMethod.Delete, "/v1/responses/resp_alice")).Status);

        var items = await SendAsync(asAlice, HttpMethod.Get, "/v1/responses/resp_alice/input_items");
        Assert.Equal(200, items.Status);
        var list = JsonDocument.Parse(items.Body).RootElement;
        Assert.Equal("list", list.GetProperty("object").GetString());
        Assert.Equal("msg_3,msg_2,msg_1", Ids(list));
        Assert.Equal(("msg_3", "msg_1", false), (list.GetProperty("first_id").GetString(), list.GetProperty("last_id").GetString(), list.GetProperty("has_more").GetBoolean()));
        Assert.Equal("turn 3", list.GetProperty("data")[0].GetProperty("content")[0].GetProperty("text").GetString());

        var deleted = await SendAsync(asAlice, HttpMethod.Delete, "/v1/responses/resp_alice");
        Assert.Equal(200, deleted.Status);
        var deletion = JsonDocument.Parse(deleted.Body).RootElement;
        Assert.Equal(("resp_alice", "response.deleted", true),
            (deletion.GetProperty("id").GetString(), deletion.GetProperty("object").GetString(), deletion.GetProperty("deleted").GetBoolean()));
        var gone = await SendAsync(asAlice, HttpMethod.Get, "/v1/responses/resp_alice");
        Assert.Equal(404, gone.Status);
        AssertOpenAIError(gone.Body, "invalid_request_error", "Response with id 'resp_alice' not found.");
        Assert.Equal(404, (await SendAsync(asAlice, HttpMethod.Delete, "/v1/responses/resp_alice")).Status);
    }

    [Fact]
    public async Task Input_items_page_with_limit_order_after_and_before_and_reject_bad_parameters()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        await host.App.Services.GetRequiredService<IResponseStore>().SaveAsync(Response("resp_open", null, inputs: 5), CancellationToken.None);
        using var client = Bearer(host, null);

        async Task<JsonElement> Page(string query)
        {
            var page = await SendAsync(client, HttpMethod.Get, "/v1/responses/resp_open/input_items" + query);
            Assert.True(page.Status == 200, page.Body);
            return JsonDocument.Parse(page.Body).RootElement;
        }

        var first = await Page("?limit=2");
        Assert.Equal(("msg_5,msg_4", true), (Ids(first), first.GetProperty("has_more").GetBoolean()));
        var next = await Page("?limit=2&after=" + first.GetProperty("last_id").GetString());
        Assert.Equal(("msg_3,msg_2", true), (Ids(next), next.GetProperty("has_more").GetBoolean()));
        var last = await Page("?limit=2&after=msg_2");
        Assert.Equal(("msg_1", false), (Ids(last), last.GetProperty("has_more").GetBoolean()));
        Assert.Equal("msg_1,msg_2,msg_3,msg_4,msg_5", Ids(await Page("?order=asc")));
        Assert.Equal("msg_2,msg_3", Ids(await Page("?order=asc&limit=2&before=msg_4")));

        foreach (var (query, param) in new[] { ("?limit=0", "limit"), ("?limit=101", "limit"), ("?limit=x", "limit"), ("?order=up", "order"), ("?after=msg_9", "after") })
        {
            var bad = await SendAsync(client, HttpMethod.Get, "/v1/responses/resp_open/input_items" + query);
            Assert.True(bad.Status == 400, query + ": " + bad.Body);
            Assert.Equal(param, JsonDocument.Parse(bad.Body).RootElement.GetProperty("error").GetProperty("param").GetString());
        }
    }

    [Fact]
    public async Task Keyless_callers_see_only_responses_stored_without_a_key_and_cancel_is_refused()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        var responses = host.App.Services.GetRequiredService<IResponseStore>();
        await responses.SaveAsync(Response("resp_open", null), CancellationToken.None);
        await responses.SaveAsync(Response("resp_keyed", "somekey00001"), CancellationToken.None);
        using var client = Bearer(host, null);

        Assert.Equal(200, (await SendAsync(client, HttpMethod.Get, "/v1/responses/resp_open")).Status);
        Assert.Equal(404, (await SendAsync(client, HttpMethod.Get, "/v1/responses/resp_keyed")).Status);

        var cancel = await SendAsync(client, HttpMethod.Post, "/v1/responses/resp_open/cancel");
        Assert.Equal(400, cancel.Status);
        Assert.Contains("background responses are not supported", JsonDocument.Parse(cancel.Body).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        // Paths under /v1/responses that nothing serves answer in OpenAI's envelope too.
        var unknown = await SendAsync(client, HttpMethod.Get, "/v1/responses/resp_open/nothing");
        Assert.Equal(404, unknown.Status);
        Assert.Equal("invalid_request_error", JsonDocument.Parse(unknown.Body).RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_store_that_is_down_answers_503_retry_in_OpenAIs_envelope()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        using var client = Bearer(host, null);
        await _storage.BreakAsync();

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/v1/responses/resp_1"), (HttpMethod.Delete, "/v1/responses/resp_1"), (HttpMethod.Get, "/v1/responses/resp_1/input_items") })
        {
            var failed = await SendAsync(client, method, path);
            Assert.True(failed.Status == 503, $"{method} {path}: {failed.Status} {failed.Body}");
            AssertOpenAIError(failed.Body, "server_error", "The response store is unavailable; retry shortly.");
            Assert.Equal("1", failed.Response.Headers.RetryAfter?.ToString());
        }
    }
}

public sealed class SqliteStoredResponsesEndpointTests() : StoredResponsesEndpointTests(StoreKind.Sqlite);

public sealed class PostgresStoredResponsesEndpointTests() : StoredResponsesEndpointTests(StoreKind.PostgreSql);

using System.ClientModel;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenAI.Responses;
using Switchboard.EndToEnd.Tenancy;
using Switchboard.FakeUpstream;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Responses;

#pragma warning disable OPENAI001

namespace Switchboard.EndToEnd.OpenAIResponses;

/// <summary>
/// Stored responses through the door, against SQLite and PostgreSQL: what <c>POST /v1/responses</c> stores is what
/// <c>GET</c> returns and <c>input_items</c> lists, per key; <c>store:false</c> keeps nothing; a
/// <c>previous_response_id</c> chain and <c>item_reference</c> items reach the model server as the whole
/// conversation; retention removes old responses.
/// </summary>
public abstract class StoredResponsesFlowTests(StoreKind kind) : IAsyncLifetime
{
    private KeyStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await KeyStorage.CreateAsync(kind);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    private static HttpClient Bearer(TenantHost host, string? key)
    {
        var client = new HttpClient { BaseAddress = new Uri(host.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private static async Task<(int Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> CreateAsync(HttpClient client, string json)
    {
        var (status, body) = await SendAsync(client, HttpMethod.Post, "/v1/responses", json);
        Assert.True(status == 200, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string Id(JsonElement response) => response.GetProperty("id").GetString()!;

    private static string Error(string body, string field) => JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty(field).GetString()!;

    /// <summary>The upstream's messages as "role: text" lines (tool calls and the like left out).</summary>
    private static string Conversation(JsonElement upstreamBody) =>
        string.Join("\n", upstreamBody.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString() + ": " + Text(m.GetProperty("content"))));

    private static string Text(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));

    [Fact]
    public async Task A_stored_response_is_returned_as_created_lists_its_input_and_goes_when_deleted()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        var alice = await host.CreateKeyAsync("""{"name":"alice"}""");
        var bob = await host.CreateKeyAsync("""{"name":"bob"}""");
        var aliceKey = alice.GetProperty("key").GetString()!;
        using var asAlice = Bearer(host, aliceKey);
        using var asBob = Bearer(host, bob.GetProperty("key").GetString());
        host.Upstream.Enqueue(ScriptedReply.Text("Bonjour Ann."));

        var (status, created) = await SendAsync(asAlice, HttpMethod.Post, "/v1/responses", """
            {"model":"fake-model","instructions":"Be brief.","input":[{"role":"developer","content":"Answer in French."},{"type":"message","role":"user","content":[{"type":"input_text","text":"Hello, I am Ann."}]}]}
            """);
        Assert.True(status == 200, created);
        var id = Id(JsonDocument.Parse(created).RootElement);

        // The same response object, byte for byte, through raw HTTP and through the SDK.
        var got = await SendAsync(asAlice, HttpMethod.Get, $"/v1/responses/{id}");
        Assert.Equal((200, created), got);
        var sdk = new ResponsesClient(new ApiKeyCredential(aliceKey), new ResponsesClientOptions { Endpoint = new Uri(host.BaseUrl + "/v1") });
        var retrieved = (await sdk.GetResponseAsync(id)).Value;
        Assert.Equal((id, "Bonjour Ann."), (retrieved.Id, retrieved.GetOutputText()));

        var items = JsonDocument.Parse((await SendAsync(asAlice, HttpMethod.Get, $"/v1/responses/{id}/input_items?order=asc")).Body).RootElement;
        var data = items.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, data.Count);
        Assert.Equal(("developer", "Answer in French."), (data[0].GetProperty("role").GetString(), data[0].GetProperty("content").GetString()));
        Assert.Equal("Hello, I am Ann.", data[1].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.All(data, item => Assert.StartsWith("msg_", item.GetProperty("id").GetString(), StringComparison.Ordinal));
        Assert.Equal((data[0].GetProperty("id").GetString(), data[1].GetProperty("id").GetString(), false),
            (items.GetProperty("first_id").GetString(), items.GetProperty("last_id").GetString(), items.GetProperty("has_more").GetBoolean()));

        // Another key: as if it did not exist, also for previous_response_id.
        var other = await SendAsync(asBob, HttpMethod.Get, $"/v1/responses/{id}");
        Assert.Equal(404, other.Status);
        Assert.Equal($"Response with id '{id}' not found.", Error(other.Body, "message"));
        var continued = await SendAsync(asBob, HttpMethod.Post, "/v1/responses", $$"""{"model":"fake-model","previous_response_id":"{{id}}","input":"And?"}""");
        Assert.Equal(404, continued.Status);
        Assert.Equal("previous_response_not_found", Error(continued.Body, "code"));

        var deleted = await SendAsync(asAlice, HttpMethod.Delete, $"/v1/responses/{id}");
        Assert.Equal(200, deleted.Status);
        Assert.True(JsonDocument.Parse(deleted.Body).RootElement.GetProperty("deleted").GetBoolean());
        Assert.Equal(404, (await SendAsync(asAlice, HttpMethod.Get, $"/v1/responses/{id}")).Status);
        Assert.Null(await host.App.Services.GetRequiredService<IResponseStore>().FindAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Store_false_keeps_nothing()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        using var client = Bearer(host, null);
        host.Upstream.Enqueue(ScriptedReply.Text("Not kept."));

        var response = await CreateAsync(client, """{"model":"fake-model","store":false,"input":"Forget this."}""");

        Assert.Equal(404, (await SendAsync(client, HttpMethod.Get, $"/v1/responses/{Id(response)}")).Status);
        Assert.Null(await host.App.Services.GetRequiredService<IResponseStore>().FindAsync(Id(response), CancellationToken.None));
    }

    [Fact]
    public async Task A_previous_response_id_chain_of_three_turns_reaches_the_model_as_the_whole_conversation()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        var key = (await host.CreateKeyAsync("""{"name":"chain"}""")).GetProperty("key").GetString();
        using var client = Bearer(host, key);
        host.Upstream.Enqueue(ScriptedReply.Text("Hi Ann."), ScriptedReply.Text("4."), ScriptedReply.Text("Ann."));

        var first = await CreateAsync(client, """{"model":"fake-model","instructions":"Be brief.","input":"My name is Ann."}""");
        var second = await CreateAsync(client, $$"""{"model":"fake-model","previous_response_id":"{{Id(first)}}","input":"What is 2+2?"}""");
        var third = await CreateAsync(client, $$"""{"model":"fake-model","previous_response_id":"{{Id(second)}}","input":[{"role":"user","content":"What is my name?"}]}""");

        Assert.Equal("Ann.", third.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(Id(second), third.GetProperty("previous_response_id").GetString());
        var requests = host.Upstream.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal("system: Be brief.\nuser: My name is Ann.", Conversation(requests[0].Body));

        // Instructions are not carried over; every earlier input and output is.
        Assert.Equal("user: My name is Ann.\nassistant: Hi Ann.\nuser: What is 2+2?\nassistant: 4.\nuser: What is my name?", Conversation(requests[2].Body));

        // The third response's input items are the whole conversation before its answer, newest first.
        var items = JsonDocument.Parse((await SendAsync(client, HttpMethod.Get, $"/v1/responses/{Id(third)}/input_items")).Body).RootElement;
        Assert.Equal(5, items.GetProperty("data").GetArrayLength());
        Assert.Equal("What is my name?", items.GetProperty("data")[0].GetProperty("content").GetString());

        // The SDK deletes one and reads the deletion result.
        var sdk = new ResponsesClient(new ApiKeyCredential(key!), new ResponsesClientOptions { Endpoint = new Uri(host.BaseUrl + "/v1") });
        var deletion = (await sdk.DeleteResponseAsync(Id(first))).Value;
        Assert.Equal((Id(first), true), (deletion.ResponseId, deletion.Deleted));
        Assert.Equal(404, (await SendAsync(client, HttpMethod.Get, $"/v1/responses/{Id(first)}")).Status);
    }

    [Fact]
    public async Task An_item_reference_brings_a_stored_item_into_the_conversation_and_an_unknown_one_is_404()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        using var client = Bearer(host, null);
        host.Upstream.Enqueue(ScriptedReply.Text("The answer is 42."), ScriptedReply.Text("Yes."));

        var first = await CreateAsync(client, """{"model":"fake-model","input":"What is the answer?"}""");
        var answerId = first.GetProperty("output")[0].GetProperty("id").GetString();
        var questionId = JsonDocument.Parse((await SendAsync(client, HttpMethod.Get, $"/v1/responses/{Id(first)}/input_items")).Body)
            .RootElement.GetProperty("first_id").GetString();

        await CreateAsync(client, $$"""
            {"model":"fake-model","input":[{"type":"item_reference","id":"{{questionId}}"},{"type":"item_reference","id":"{{answerId}}"},{"role":"user","content":"Sure?"}]}
            """);
        Assert.Equal("user: What is the answer?\nassistant: The answer is 42.\nuser: Sure?", Conversation(host.Upstream.Requests[1].Body));

        var unknown = await SendAsync(client, HttpMethod.Post, "/v1/responses", """
            {"model":"fake-model","input":[{"role":"user","content":"x"},{"type":"item_reference","id":"msg_unknown"}]}
            """);
        Assert.Equal(404, unknown.Status);
        Assert.StartsWith("Item with id 'msg_unknown' not found.", Error(unknown.Body, "message"), StringComparison.Ordinal);
        Assert.Equal("input[1]", Error(unknown.Body, "param"));
        Assert.Equal(2, host.Upstream.Requests.Count);
    }

    [Fact]
    public async Task Responses_past_retention_are_not_served_and_the_sweep_deletes_them()
    {
        await using var host = await TenantHost.StartAsync(_storage, args: ["--Switchboard:Storage:ResponseRetentionDays=7"]);
        using var client = Bearer(host, null);
        var store = host.App.Services.GetRequiredService<IResponseStore>();
        foreach (var (id, age) in new[] { ("resp_old", 8), ("resp_new", 6) })
        {
            await store.SaveAsync(new StoredResponse
            {
                Id = id,
                CreatedAt = DateTimeOffset.UtcNow.AddDays(-age),
                ResponseJson = $$"""{"id":"{{id}}","object":"response","output":[]}""",
                InputItemsJson = $$"""[{"type":"message","id":"msg_in_{{id}}","role":"user","content":"Hello?"}]""",
            }, CancellationToken.None);
        }

        Assert.Equal(404, (await SendAsync(client, HttpMethod.Get, "/v1/responses/resp_old")).Status);
        Assert.Equal(200, (await SendAsync(client, HttpMethod.Get, "/v1/responses/resp_new")).Status);
        Assert.Equal(200, (await SendAsync(client, HttpMethod.Get, "/v1/responses/resp_new?stream=false")).Status);
        var streamed = await SendAsync(client, HttpMethod.Get, "/v1/responses/resp_new?stream=true");
        Assert.Equal((400, "stream"), (streamed.Status, Error(streamed.Body, "param")));
        // Nor continued from, before the sweep as after it.
        Assert.Equal(404, (await SendAsync(client, HttpMethod.Post, "/v1/responses", """{"model":"fake-model","previous_response_id":"resp_old","input":"And?","store":false}""")).Status);
        Assert.Equal(200, (await SendAsync(client, HttpMethod.Post, "/v1/responses", """{"model":"fake-model","previous_response_id":"resp_new","input":"And?","store":false}""")).Status);
        // And its items cannot be referenced.
        Assert.Equal(404, (await SendAsync(client, HttpMethod.Post, "/v1/responses", """{"model":"fake-model","input":[{"type":"item_reference","id":"msg_in_resp_old"}],"store":false}""")).Status);
        Assert.Equal(200, (await SendAsync(client, HttpMethod.Post, "/v1/responses", """{"model":"fake-model","input":[{"type":"item_reference","id":"msg_in_resp_new"}],"store":false}""")).Status);

        var retention = host.App.Services.GetServices<IHostedService>().OfType<ResponseRetention>().Single();
        Assert.Equal(1, await retention.SweepAsync(CancellationToken.None));
        Assert.Null(await store.FindAsync("resp_old", CancellationToken.None));
        Assert.NotNull(await store.FindAsync("resp_new", CancellationToken.None));
    }
}

public sealed class SqliteStoredResponsesFlowTests() : StoredResponsesFlowTests(StoreKind.Sqlite);

public sealed class PostgresStoredResponsesFlowTests() : StoredResponsesFlowTests(StoreKind.PostgreSql);

using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Responses;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;
using Switchboard.Tenancy;

#pragma warning disable OPENAI001

namespace Switchboard.EndToEnd.OpenAIResponses;

/// <summary>
/// Structured output, the input-token count, and stored responses: <c>previous_response_id</c> continuing from a
/// stored response (with a response store registered), another key's id or no store at all a 404.
/// </summary>
public sealed class ResponsesRequestTests
{
    [Fact]
    public async Task Structured_output_reaches_the_model_as_its_response_format()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(ScriptedReply.Text("""{"a":"x"}"""));
        var options = new CreateResponseOptions(SwitchboardHost.Model, [ResponseItem.CreateUserMessageItem("Give me a")])
        {
            TextOptions = new ResponseTextOptions
            {
                TextFormat = ResponseTextFormat.CreateJsonSchemaFormat("x", BinaryData.FromString("""{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}"""), jsonSchemaIsStrict: true),
            },
        };

        var response = (await ResponsesSdk.For(host).CreateResponseAsync(options)).Value;

        Assert.Equal("""{"a":"x"}""", response.GetOutputText());
        Assert.Equal(ResponseTextFormatKind.JsonSchema, response.TextOptions.TextFormat.Kind);
        var format = host.Upstream.Requests[0].Body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("x", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
    }

    [Fact]
    public async Task Input_tokens_are_counted_like_count_tokens()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await ResponsesSdk.PostAsync(host, """{"model":"fake-model","input":"Hello there, how are you today?"}""", path: "/v1/responses/input_tokens");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = ResponsesSdk.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("response.input_tokens", body.GetProperty("object").GetString());
        Assert.InRange(body.GetProperty("input_tokens").GetInt32(), 1, 100);
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task Without_a_response_store_previous_response_id_is_a_404()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await ResponsesSdk.PostAsync(host, """{"model":"fake-model","input":"Hi","previous_response_id":"resp_nope"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = ResponsesSdk.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error");
        Assert.Equal(("previous_response_not_found", "previous_response_id"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        Assert.Contains("resp_nope", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stored_response_is_continued_with_previous_response_id(bool stream)
    {
        var store = new MemoryResponseStore();
        await using var host = await SwitchboardHost.StartAsync(configure: builder => builder.Services.AddSingleton<IResponseStore>(store));
        host.Upstream.Enqueue(new ScriptedReply { Reasoning = "Recall the name.", Content = "Nice to meet you, Ada." });
        host.Upstream.Enqueue(ScriptedReply.Text("Your name is Ada."));
        var client = ResponsesSdk.For(host);
        var first = new CreateResponseOptions(SwitchboardHost.Model, [ResponseItem.CreateUserMessageItem("I am Ada.")])
        {
            Instructions = "Be kind.",
            StreamingEnabled = stream ? true : null,
            IncludedProperties = { IncludedResponseProperty.ReasoningEncryptedContent },
        };

        var id = stream ? await StreamedIdAsync(client, first) : (await client.CreateResponseAsync(first)).Value.Id;
        var second = (await client.CreateResponseAsync(SwitchboardHost.Model, "What is my name?", previousResponseId: id)).Value;

        Assert.Equal("Your name is Ada.", second.GetOutputText());
        Assert.Equal(id, second.PreviousResponseId);
        var messages = host.Upstream.Requests[1].Body.GetProperty("messages");
        Assert.Equal(["user", "assistant", "user"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("I am Ada.", UpstreamBody.Text(messages[0]));
        Assert.Equal("Nice to meet you, Ada.", UpstreamBody.Text(messages[1]));
        Assert.Equal("Recall the name.", messages[1].GetProperty("reasoning_content").GetString());
        Assert.Equal("What is my name?", UpstreamBody.Text(messages[2]));

        // The chain is kept in one lookup: the second response's input items hold the first turn too.
        var stored = await WaitForAsync(store, second.Id);
        using var items = JsonDocument.Parse(stored.InputItemsJson);
        Assert.Equal(["message", "reasoning", "message", "message"], items.RootElement.EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.All(items.RootElement.EnumerateArray(), i => Assert.False(string.IsNullOrEmpty(i.GetProperty("id").GetString())));
        Assert.NotNull(stored.KeyId);
        Assert.Equal(stored.KeyId, (await WaitForAsync(store, id)).KeyId);
    }

    [Fact]
    public async Task Another_keys_response_and_store_false_are_not_found()
    {
        var store = new MemoryResponseStore();
        await using var host = await SwitchboardHost.StartAsync(configure: builder => builder.Services.AddSingleton<IResponseStore>(store));
        await store.SaveAsync(new StoredResponse { Id = "resp_other", KeyId = "someone-else", CreatedAt = DateTimeOffset.UtcNow, ResponseJson = """{"output":[]}""", InputItemsJson = "[]" }, default);
        host.Upstream.Enqueue(ScriptedReply.Text("Not kept."));

        var unkept = (await ResponsesSdk.For(host).CreateResponseAsync(new CreateResponseOptions(SwitchboardHost.Model, [ResponseItem.CreateUserMessageItem("Hi")]) { StoredOutputEnabled = false })).Value;
        using var other = await ResponsesSdk.PostAsync(host, """{"model":"fake-model","input":"Hi","previous_response_id":"resp_other"}""");
        using var notKept = await ResponsesSdk.PostAsync(host, $$"""{"model":"fake-model","input":"Hi","previous_response_id":"{{unkept.Id}}"}""");

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notKept.StatusCode);
        Assert.Single(store.Responses);
    }

    private static async Task<string> StreamedIdAsync(ResponsesClient client, CreateResponseOptions options)
    {
        string? id = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            if (update is StreamingResponseCompletedUpdate completed)
            {
                id = completed.Response.Id;
            }
        }

        return id ?? throw new InvalidOperationException("no response.completed");
    }

    private static async Task<StoredResponse> WaitForAsync(MemoryResponseStore store, string id)
    {
        for (var i = 0; i < 100; i++)
        {
            if (store.Responses.TryGetValue(id, out var found))
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException($"{id} was not stored");
    }

    /// <summary>A response store in memory: the port's contract without a database.</summary>
    private sealed class MemoryResponseStore : IResponseStore
    {
        public ConcurrentDictionary<string, StoredResponse> Responses { get; } = new();

        public Task SaveAsync(StoredResponse response, CancellationToken cancellationToken)
        {
            Responses[response.Id] = response;
            return Task.CompletedTask;
        }

        public Task<StoredResponse?> FindAsync(string id, CancellationToken cancellationToken) =>
            Task.FromResult(Responses.TryGetValue(id, out var found) ? found : null);

        public Task<StoredResponse?> FindByItemAsync(string itemId, string? keyId, CancellationToken cancellationToken) =>
            Task.FromResult(Responses.Values.Where(r => r.KeyId == keyId && (r.ResponseJson.Contains(itemId, StringComparison.Ordinal) || r.InputItemsJson.Contains(itemId, StringComparison.Ordinal)))
                .OrderByDescending(r => r.CreatedAt).FirstOrDefault());

        public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Responses.TryRemove(id, out _));

        public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => Task.FromResult(0);
    }
}

using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Ingress.OpenAIResponses;
using Switchboard.Storage;
using Switchboard.Tenancy;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Ingress.OpenAIResponses;

public sealed class StoredItemsTests() : StoreTestBase(StoreDialect.Sqlite)
{
    private const string Output = """{"type":"message","id":"msg_out","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Paris.","annotations":[]}]}""";

    private const string Input = """{"type":"message","id":"msg_in","role":"user","content":"Capital of France?"}""";

    private Func<string, Task<StoredResponse?>> Find(string? keyId) => id => Store.Responses.FindByItemAsync(id, keyId, CancellationToken.None);

    private async Task SaveAsync(string id, string? keyId)
    {
        await Store.Responses.SaveAsync(new StoredResponse
        {
            Id = id,
            KeyId = keyId,
            CreatedAt = DateTimeOffset.UtcNow,
            ResponseJson = $$"""{"id":"{{id}}","object":"response","output":[{{Output}}]}""",
            InputItemsJson = $"[{Input}]",
        }, CancellationToken.None);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public async Task References_to_output_and_input_items_are_replaced_by_the_stored_items_in_place()
    {
        await SaveAsync("resp_1", "key-a");
        var input = Json("""
            [{"type":"item_reference","id":"msg_in"},{"id":"msg_out"},{"role":"user","content":"And of Spain?"}]
            """);

        var resolved = await StoredItems.ResolveAsync(input, Find("key-a"));

        Assert.Equal(
            JsonSerializer.Serialize(Json($$"""[{{Input}},{{Output}},{"role":"user","content":"And of Spain?"}]""")),
            JsonSerializer.Serialize(resolved));
    }

    [Fact]
    public async Task An_input_without_references_is_returned_as_it_is_without_reading_the_store()
    {
        await Store.DisposeAsync();
        var input = Json("""[{"type":"message","id":"msg_x","role":"user","content":"hi"}]""");

        // The store is closed: a lookup would fail.
        var resolved = await StoredItems.ResolveAsync(input, Find("key-a"));

        Assert.Equal(input.GetRawText(), resolved.GetRawText());
        Assert.Equal("hello", (await StoredItems.ResolveAsync(Json("\"hello\""), Find(null))).GetString());
    }

    [Fact]
    public async Task Another_keys_item_or_an_unknown_one_is_a_404_naming_the_id_and_the_input_position()
    {
        await SaveAsync("resp_1", "key-a");

        var other = await Assert.ThrowsAsync<ApiException>(() =>
            StoredItems.ResolveAsync(Json("""[{"role":"user","content":"x"},{"type":"item_reference","id":"msg_out"}]"""), Find("key-b")));
        Assert.Equal(ApiErrorKind.NotFound, other.Error.Kind);
        Assert.StartsWith("Item with id 'msg_out' not found.", other.Error.Message, StringComparison.Ordinal);
        Assert.Equal("input[1]", other.Error.Param);

        var keyless = await Assert.ThrowsAsync<ApiException>(() =>
            StoredItems.ResolveAsync(Json("""[{"type":"item_reference","id":"msg_out"}]"""), Find(null)));
        Assert.Equal("input[0]", keyless.Error.Param);

        var unknown = await Assert.ThrowsAsync<ApiException>(() =>
            StoredItems.ResolveAsync(Json("""[{"type":"item_reference","id":"msg_nope"}]"""), Find("key-a")));
        Assert.Contains("'msg_nope'", unknown.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_conversation_of_a_response_is_its_input_items_then_its_output()
    {
        var stored = new StoredResponse
        {
            Id = "resp_2",
            CreatedAt = DateTimeOffset.UtcNow,
            ResponseJson = $$"""{"id":"resp_2","output":[{{Output}}]}""",
            InputItemsJson = $"[{Input}]",
        };

        var conversation = StoredItems.ConversationOf(stored);

        Assert.Equal(JsonSerializer.Serialize(Json($"[{Input},{Output}]")), JsonSerializer.Serialize(conversation));
    }

    [Fact]
    public void Only_an_item_reference_or_a_bare_id_is_a_reference()
    {
        Assert.True(StoredItems.IsReference(Json("""{"type":"item_reference","id":"msg_1"}""")));
        Assert.True(StoredItems.IsReference(Json("""{"id":"msg_1"}""")));
        Assert.False(StoredItems.IsReference(Json("""{"type":"message","id":"msg_1","role":"user","content":"x"}""")));
        Assert.False(StoredItems.IsReference(Json("""{"id":"rs_1","summary":[]}""")));
        Assert.False(StoredItems.IsReference(Json("""{"type":"item_reference"}""")));
    }
}

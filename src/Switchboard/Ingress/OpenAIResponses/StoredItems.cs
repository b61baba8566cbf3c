using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Tenancy;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// Items of stored responses as a request's input uses them: <c>item_reference</c> items
/// (<c>{"type":"item_reference","id":"msg_…"}</c>; the type may be left out) replaced by the stored item they name
/// (an output or input item of a response the same key stored), and the conversation a
/// <c>previous_response_id</c> continues (its input items, then its output).
/// </summary>
public static class StoredItems
{
    /// <summary>
    /// <paramref name="input"/> with every item reference replaced by the item it names; the input itself (no store
    /// lookup) when it is not an array or holds no reference. Throws <see cref="ApiException"/> 404
    /// "Item with id '…' not found." (<c>param</c> <c>input[i]</c>) for an id the caller has no stored item under
    /// (<paramref name="findByItem"/> finds the caller's response holding an item id, or null: another key's, or one
    /// past retention, is as good as absent); store failures pass through.
    /// </summary>
    public static async Task<JsonElement> ResolveAsync(JsonElement input, Func<string, Task<StoredResponse?>> findByItem)
    {
        ArgumentNullException.ThrowIfNull(findByItem);
        if (input.ValueKind != JsonValueKind.Array || !input.EnumerateArray().Any(IsReference))
        {
            return input;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            var index = 0;
            foreach (var item in input.EnumerateArray())
            {
                if (!IsReference(item))
                {
                    item.WriteTo(writer);
                }
                else
                {
                    var id = item.GetProperty("id").GetString()!;
                    var stored = await findByItem(id);
                    if (stored is null || !TryFind(stored, id, writer))
                    {
                        throw new ApiException(new ApiError(ApiErrorKind.NotFound,
                            $"Item with id '{JsonAnswer.ClipId(id)}' not found. Items are kept only for responses created with 'store' true (the default), by the same key, for the retention period.")
                        {
                            Param = $"input[{index}]",
                            Code = "not_found",
                        });
                    }
                }

                index++;
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    /// <summary>
    /// The conversation a <c>previous_response_id</c> continues: the stored response's input items (which already
    /// hold the conversation it continued itself), then its output items, as one JSON array.
    /// </summary>
    public static JsonElement ConversationOf(StoredResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var items = JsonDocument.Parse(response.InputItemsJson);
        using var body = JsonDocument.Parse(response.ResponseJson);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            WriteItems(items.RootElement, writer);
            if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("output", out var output))
            {
                WriteItems(output, writer);
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    /// <summary>Whether an input item is a reference: type <c>item_reference</c>, or no type and nothing but an id.</summary>
    public static bool IsReference(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 })
        {
            return false;
        }

        if (item.TryGetProperty("type", out var type))
        {
            return type.ValueKind == JsonValueKind.String && type.ValueEquals("item_reference"u8);
        }

        return !item.EnumerateObject().Any(p => p.Name != "id");
    }

    private static bool TryFind(StoredResponse stored, string id, Utf8JsonWriter writer)
    {
        using (var body = JsonDocument.Parse(stored.ResponseJson))
        {
            if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("output", out var output)
                && TryWrite(output, id, writer))
            {
                return true;
            }
        }

        using var items = JsonDocument.Parse(stored.InputItemsJson);
        return TryWrite(items.RootElement, id, writer);
    }

    private static bool TryWrite(JsonElement items, string id, Utf8JsonWriter writer)
    {
        if (items.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in items.EnumerateArray())
        {
            if (InputItemsPage.IdOf(item) == id)
            {
                item.WriteTo(writer);
                return true;
            }
        }

        return false;
    }

    private static void WriteItems(JsonElement items, Utf8JsonWriter writer)
    {
        if (items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                item.WriteTo(writer);
            }
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// Ids for stored input items. OpenAI lists input items with ids and pages by them, and <c>item_reference</c> names
/// them; clients often send items without one. An item lacking an id gets one derived from the response id and its
/// position (<c>msg_…</c>, <c>fc_…</c>, … by type), so it is the same on every read and in every page.
/// </summary>
public static class StoredItemIds
{
    /// <summary>The items as a JSON array, each with an <c>id</c> (the client's own kept).</summary>
    public static string Assign(JsonElement items, string responseId)
    {
        var array = new JsonArray();
        if (items.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                var node = JsonNode.Parse(item.GetRawText());
                if (node is JsonObject obj && !HasId(obj))
                {
                    // The id goes first, where OpenAI writes it.
                    var withId = new JsonObject { ["id"] = For(TypeOf(obj), responseId, index) };
                    foreach (var (name, value) in obj.ToList())
                    {
                        obj.Remove(name);
                        if (name != "id")
                        {
                            withId[name] = value;
                        }
                    }

                    node = withId;
                }

                array.Add(node);
                index++;
            }
        }

        return array.ToJsonString();
    }

    /// <summary>The id an item without one gets: a prefix by its type and 24 hex digits from the response id and position.</summary>
    public static string For(string? type, string responseId, int index)
    {
        var prefix = type switch
        {
            null or "message" => "msg",
            "function_call" => "fc",
            "function_call_output" => "fco",
            "custom_tool_call" => "ctc",
            "custom_tool_call_output" => "ctco",
            "reasoning" => "rs",
            _ => "item",
        };
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(responseId + "\n" + index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return prefix + "_" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    private static bool HasId(JsonObject item) => item["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String && id.GetValue<string>().Length > 0;

    private static string? TypeOf(JsonObject item) =>
        item["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String ? type.GetValue<string>() : null;
}

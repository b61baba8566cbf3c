using System.Text.Json;

namespace Switchboard.Ingress.OpenAIChat;

/// <summary>
/// Writes a choice's <c>logprobs</c>: <c>{"content":[…],"refusal":null}</c>, the entries exactly as the upstream
/// sent them (Switchboard never computes or alters a log probability).
/// </summary>
internal static class ChatLogprobsWriter
{
    public static void Write(Utf8JsonWriter w, IReadOnlyList<JsonElement> entries)
    {
        w.WriteStartObject("logprobs"u8);
        w.WriteStartArray("content"u8);
        foreach (var entry in entries)
        {
            entry.WriteTo(w);
        }

        w.WriteEndArray();
        w.WriteNull("refusal"u8);
        w.WriteEndObject();
    }
}

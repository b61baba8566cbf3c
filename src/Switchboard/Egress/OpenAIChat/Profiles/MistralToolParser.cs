using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Reads Mistral tool calls out of a model's visible text. Text before <c>[TOOL_CALLS]</c> is text; after it comes,
/// by tokenizer generation, either a JSON array <c>[{"name":…,"arguments":{…}}, …]</c> (before v11) or
/// <c>NAME[ARGS]{…}</c>, optionally <c>NAME[CALL_ID]ID[ARGS]{…}</c> (v11 and later, one marker per call). The region
/// ends where the JSON closes. Mistral writes arguments as JSON, typed by the model; the schema is not needed.
/// </summary>
public sealed class MistralToolParser(IReadOnlyList<ToolDefinition> tools) : ToolRegionParser(tools)
{
    private static readonly string[] Markers = ["[TOOL_CALLS]"];

    protected override ReadOnlySpan<string> OpenMarkers => Markers;

    protected override string? CloseMarker(string openMarker) => null;

    protected override int JsonStart(string openMarker, ReadOnlySpan<char> region) =>
        MistralCallHeader.Read(region, out var jsonStart, out _, out _) switch
        {
            MistralCallHeader.Result.Complete => jsonStart,
            MistralCallHeader.Result.Incomplete => -1,
            _ => -2,
        };

    protected override int Read(string openMarker, ReadOnlySpan<char> region, bool closed, List<ParsedToolCall> calls)
    {
        if (!closed || MistralCallHeader.Read(region, out var jsonStart, out var name, out var id) != MistralCallHeader.Result.Complete)
        {
            return 0;
        }

        var json = region[jsonStart..].ToString();
        if (name is not null)
        {
            if (!ToolArgumentsObject.TryParse(json, out var arguments))
            {
                return 0;
            }

            calls.Add(new ParsedToolCall(name, arguments, id));
            return region.Length;
        }

        // The array form: every item must be a call before any is sent.
        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var nameValue)
                    || nameValue.ValueKind != JsonValueKind.String || nameValue.GetString() is not { Length: > 0 } callName)
                {
                    return 0;
                }

                var arguments = "{}";
                if (item.TryGetProperty("arguments", out var value) && !ToolArgumentsObject.TryRead(value, out arguments))
                {
                    return 0;
                }

                var callId = item.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
                calls.Add(new ParsedToolCall(callName, arguments, callId));
            }
        }
        catch (JsonException)
        {
            return 0;
        }

        return region.Length;
    }
}

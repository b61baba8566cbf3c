using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Reads tool arguments a model wrote as JSON into the object text a tool call carries. An object is taken as written;
/// a string holding an object (arguments encoded twice) is unwrapped; anything else is not arguments.
/// </summary>
internal static class ToolArgumentsObject
{
    public static bool TryParse(string text, [NotNullWhen(true)] out string? json)
    {
        json = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return TryRead(document.RootElement, out json);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static bool TryRead(JsonElement value, [NotNullWhen(true)] out string? json)
    {
        json = null;
        if (value.ValueKind == JsonValueKind.Object)
        {
            json = value.GetRawText();
            return true;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { } inner || inner.AsSpan().TrimStart() is not ['{', ..])
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(inner);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                json = document.RootElement.GetRawText();
                return true;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}

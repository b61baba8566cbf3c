using System.Runtime.InteropServices;
using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.Anthropic.RequestFields;

namespace Switchboard.Ingress.Anthropic;

/// <summary>Reads <c>system</c>: a string, or text blocks joined with newlines.</summary>
internal static class SystemPromptReader
{
    /// <summary>The system prompt's text blocks, kept as the client's JSON strings; null when there is none.</summary>
    public static IReadOnlyList<TextBlock>? Read(JsonElement root, RequestReadNotes notes)
    {
        if (!TryGet(root, "system", out var system))
        {
            return null;
        }

        if (system.ValueKind == JsonValueKind.String)
        {
            // An empty string is no system prompt: the raw value is just its two quotes.
            return JsonMarshal.GetRawUtf8Value(system).Length == 2 ? null : [new TextBlock(system)];
        }

        if (system.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("system", "Input should be a valid string or a list of text blocks");
        }

        List<TextBlock>? blocks = null;
        var path = FieldPath.Root("system");
        var index = 0;
        foreach (var block in system.EnumerateArray())
        {
            var at = path.Item(index);
            ExpectObject(block, at);
            if (!RequiredString(block, "type", at).Equals("text", StringComparison.Ordinal))
            {
                throw Invalid(at.Name("type"), "Input should be 'text'");
            }

            var text = RequiredStringElement(block, "text", at);
            if (IsBillingHeader(text))
            {
                notes.Add($"system.{index}: Claude Code billing header block dropped (it defeats prefix caching)");
            }
            else
            {
                (blocks ??= []).Add(new TextBlock(text));
            }

            index++;
        }

        return blocks;
    }

    /// <summary>
    /// Whether the text is Claude Code's per-request attribution block (<c>x-anthropic-billing-header:</c> …), read
    /// from its raw bytes without decoding it. It changes on every request, so passing it on would put a different
    /// first line in every prompt and defeat the model server's prefix cache.
    /// </summary>
    private static bool IsBillingHeader(JsonElement text)
    {
        var inner = JsonStrings.Inner(text);
        var prefix = "x-anthropic-billing-header:"u8;
        var at = 0;
        foreach (var expected in prefix)
        {
            if (at >= inner.Length)
            {
                return false;
            }

            // The prefix is ASCII with nothing JSON must escape: a character matches as itself or as its escape.
            int actual = inner[at];
            if (actual == '\\')
            {
                if (inner[at + 1] == (byte)'u' && at + 6 <= inner.Length
                    && int.TryParse(inner.Slice(at + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var unit))
                {
                    actual = unit;
                    at += 6;
                }
                else
                {
                    actual = inner[at + 1] == (byte)'/' ? '/' : -1;
                    at += 2;
                }
            }
            else
            {
                at++;
            }

            if (actual != expected)
            {
                return false;
            }
        }

        return true;
    }
}

using System.Text;
using System.Text.Json;
using static Switchboard.Ingress.Anthropic.RequestFields;

namespace Switchboard.Ingress.Anthropic;

/// <summary>Reads <c>system</c>: a string, or text blocks joined with newlines.</summary>
internal static class SystemPromptReader
{
    /// <summary>
    /// Claude Code's per-request attribution block. It changes on every request, so passing it on would put a
    /// different first line in every prompt and defeat the model server's prefix cache.
    /// </summary>
    private const string BillingHeaderPrefix = "x-anthropic-billing-header:";

    public static string? Read(JsonElement root, RequestReadNotes notes)
    {
        if (!TryGet(root, "system", out var system))
        {
            return null;
        }

        if (system.ValueKind == JsonValueKind.String)
        {
            var text = system.GetString()!;
            return text.Length == 0 ? null : text;
        }

        if (system.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("system", "Input should be a valid string or a list of text blocks");
        }

        // One block is the common case outside Claude Code: return its text without building a new string.
        string? single = null;
        StringBuilder? joined = null;
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

            var text = RequiredString(block, "text", at);
            if (text.StartsWith(BillingHeaderPrefix, StringComparison.Ordinal))
            {
                notes.Add($"system.{index}: Claude Code billing header block dropped (it defeats prefix caching)");
            }
            else if (single is null)
            {
                single = text;
            }
            else
            {
                joined ??= new StringBuilder(single);
                joined.Append('\n').Append(text);
            }

            index++;
        }

        return joined?.ToString() ?? single;
    }
}

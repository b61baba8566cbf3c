using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// The text around a family's tool-call markup: passes it on until one of the family's opening markers appears,
/// holding back only an ending that could still turn out to be one.
/// </summary>
internal sealed class TextBeforeMarker(string[] markers)
{
    private string _held = "";

    /// <summary>
    /// Sends on the text before the first complete marker. Returns what follows that marker, with the marker in
    /// <paramref name="found"/>; or nothing, with <paramref name="found"/> null, when no marker is complete yet.
    /// </summary>
    public ReadOnlySpan<char> Append(ReadOnlySpan<char> content, ToolMarkupOutput output, IContentTarget target, out string? found)
    {
        if (_held.Length > 0)
        {
            // Rare: only when the previous chunk ended in what could have been a marker.
            content = string.Concat(_held, content);
            _held = "";
        }

        var at = MarkerHoldback.IndexOfAny(content, markers, out found);
        if (at >= 0)
        {
            output.Text(content[..at], target);
            return content[(at + found!.Length)..];
        }

        var hold = MarkerHoldback.Length(content, markers);
        output.Text(content[..^hold], target);
        if (hold > 0)
        {
            _held = content[^hold..].ToString();
        }

        return [];
    }

    /// <summary>The upstream is done: a held partial marker was text after all.</summary>
    public void Flush(ToolMarkupOutput output, IContentTarget target)
    {
        output.Text(_held, target);
        _held = "";
    }
}

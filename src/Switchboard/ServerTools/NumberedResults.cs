using System.Globalization;
using System.Text;
using Switchboard.Canonical;

namespace Switchboard.ServerTools;

/// <summary>
/// The search results of one conversation, numbered from 1 in the order the model saw them (replayed ones first):
/// the model cites a result by its number, and a number becomes a <c>web_search_result_location</c> citation.
/// </summary>
public sealed class NumberedResults(ResultSeal seal)
{
    /// <summary>Characters of a result's text quoted as a citation's <c>cited_text</c> (Anthropic quotes up to 150).</summary>
    private const int CitedChars = 150;

    private readonly List<Entry> _entries = [];

    public int Count => _entries.Count;

    /// <summary>Numbers the hits and writes the text the model reads for them.</summary>
    public string Add(string? query, IReadOnlyList<(string Url, string Title, string Text, string? PageAge)> hits)
    {
        var text = new StringBuilder();
        text.Append(query is null ? "Web search results" : $"Web search results for \"{query}\"");
        if (hits.Count == 0)
        {
            return text.Append(": no results.").ToString();
        }

        text.Append(":\n");
        foreach (var hit in hits)
        {
            _entries.Add(new Entry(hit.Url, hit.Title, hit.Text));
            text.Append('\n').Append('[').Append(_entries.Count.ToString(CultureInfo.InvariantCulture)).Append("] ").Append(hit.Title).Append('\n');
            text.Append("URL: ").Append(hit.Url).Append('\n');
            if (hit.PageAge is { Length: > 0 } age)
            {
                text.Append("Published: ").Append(age).Append('\n');
            }

            text.Append(hit.Text).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The citation for result <paramref name="number"/>, or null when there is no such result.</summary>
    public WebSearchCitation? Cite(int number)
    {
        if (number < 1 || number > _entries.Count)
        {
            return null;
        }

        var entry = _entries[number - 1];
        var cited = entry.Text.Length <= CitedChars ? entry.Text : entry.Text[..CitedChars];
        return new WebSearchCitation(entry.Url, entry.Title, cited, seal.Seal(entry.Url));
    }

    private sealed record Entry(string Url, string Title, string Text);
}

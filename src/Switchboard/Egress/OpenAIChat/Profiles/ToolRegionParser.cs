using System.Buffers;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Base for tool-call markup that comes in regions (<c>&lt;tool_call&gt;…&lt;/tool_call&gt;</c>,
/// <c>&lt;minimax:tool_call&gt;…</c>, DeepSeek's <c>&lt;｜tool▁calls▁begin｜&gt;…</c>, Kimi's sections, Mistral's
/// <c>[TOOL_CALLS]NAME[ARGS]{…}</c>). Text streams through as it arrives, holding back only what may be the start of an
/// opening marker. A region is collected until its closing marker, or for families without one until the JSON value
/// after the marker closes, and then read whole by the family; one that does not read as tool calls is given back as
/// the text it was.
/// </summary>
/// <remarks>
/// Whitespace next to tool markup (the newlines models put around it) and at the end of the answer is dropped, so no
/// whitespace-only text block appears beside a tool call. A closed region counts only when it reads whole. A region
/// still open when the answer ends is read as well: its complete calls count (the server may have cut the closing
/// marker as a stop token), and what follows them, cut short, is given back as text.
/// </remarks>
public abstract class ToolRegionParser(IReadOnlyList<ToolDefinition> tools) : IContentParser
{
    /// <summary>A region longer than this (in chars) is not tool markup Switchboard will buffer; it becomes text.</summary>
    private const int RegionLimit = 8 * 1024 * 1024;

    /// <summary>Whitespace held back in case a region follows is released once it grows past this.</summary>
    private const int WhitespaceHoldLimit = 256;

    private readonly CarryBuffer _carry = new();
    private readonly ArrayBufferWriter<char> _region = new(256);
    private readonly List<ParsedToolCall> _calls = [];
    private string? _open;
    private JsonValueScanner _json;
    private int _jsonStart = -1;
    private int _scanned;
    private string _spaceBefore = "";
    private bool _afterRegion;
    private int _nextCall;

    /// <summary>The request's tools, for typing arguments by their input schemas.</summary>
    protected IReadOnlyList<ToolDefinition> Tools { get; } = tools;

    /// <summary>The markers that open a region.</summary>
    protected abstract ReadOnlySpan<string> OpenMarkers { get; }

    /// <summary>
    /// The marker that closes a region opened by <paramref name="openMarker"/>; null when the region ends where the JSON
    /// value that <see cref="JsonStart"/> finds closes.
    /// </summary>
    protected abstract string? CloseMarker(string openMarker);

    /// <summary>
    /// For regions without a closing marker: where the JSON value starts in the region so far, <c>-1</c> while that is
    /// not known yet, <c>-2</c> when the text after the marker is not markup (the marker is then text, and what
    /// follows it is read afresh).
    /// </summary>
    protected virtual int JsonStart(string openMarker, ReadOnlySpan<char> region) => -2;

    /// <summary>
    /// Reads a region's inside (between its markers, or up to the end of the answer when it is not
    /// <paramref name="closed"/>) as complete tool calls into <paramref name="calls"/>, returning how many characters
    /// from its start they cover (the whole region when it all reads).
    /// </summary>
    protected abstract int Read(string openMarker, ReadOnlySpan<char> region, bool closed, List<ParsedToolCall> calls);

    /// <summary>The reader of one call's inside, for <see cref="ReadSequence"/>.</summary>
    protected delegate bool CallReader(ReadOnlySpan<char> body, List<ParsedToolCall> calls);

    /// <summary>
    /// Reads a region that is a series of calls, each between <paramref name="begin"/> and <paramref name="end"/>,
    /// with whitespace around them; returns how far the complete, well-formed calls reach.
    /// </summary>
    protected static int ReadSequence(ReadOnlySpan<char> region, string begin, string end, CallReader readCall, List<ParsedToolCall> calls)
    {
        var read = 0;
        while (true)
        {
            var rest = region[read..];
            var text = rest.TrimStart();
            if (text.IsEmpty)
            {
                return calls.Count > 0 ? region.Length : read;
            }

            var at = text.IndexOf(end, StringComparison.Ordinal);
            if (!text.StartsWith(begin, StringComparison.Ordinal) || at < 0 || !readCall(text[begin.Length..at], calls))
            {
                return read;
            }

            read += rest.Length - text.Length + at + end.Length;
        }
    }

    public void Append(ReadOnlySpan<char> content, IContentTarget target) => Process(_carry.Join(content), target);

    public void Flush(IContentTarget target)
    {
        while (_open is not null)
        {
            Process(FinishRegion(_region.WrittenSpan, closed: false, target), target);
        }

        // Whitespace at the very end is layout before a stop or a call the server parsed itself; never a block of its own.
        EmitText(_carry.Take().TrimEnd(), target);
    }

    private void Process(ReadOnlySpan<char> text, IContentTarget target)
    {
        while (!text.IsEmpty)
        {
            text = _open is null ? ScanText(text, target) : Collect(text, target);
        }
    }

    /// <summary>Releases text up to the next region (or what may start one), returning what is left to look at.</summary>
    private ReadOnlySpan<char> ScanText(ReadOnlySpan<char> text, IContentTarget target)
    {
        var at = MarkerHoldback.IndexOfAny(text, OpenMarkers, out var marker);
        if (at >= 0)
        {
            var before = text[..at];
            var kept = before.TrimEnd();
            EmitText(kept, target);

            // Kept aside in case the region turns out not to be tool markup and goes back as text.
            _spaceBefore = before.Length == kept.Length ? "" : before[kept.Length..].ToString();
            _open = marker;
            return text[(at + marker!.Length)..];
        }

        var release = text[..^MarkerHoldback.Length(text, OpenMarkers)];
        var spaces = release.Length - release.TrimEnd().Length;
        if (spaces > WhitespaceHoldLimit)
        {
            spaces = 0;
        }

        EmitText(release[..^spaces], target);
        _carry.Hold(text[(release.Length - spaces)..]);
        return default;
    }

    /// <summary>Adds to the open region until its closing marker, returning the text after it.</summary>
    private ReadOnlySpan<char> Collect(ReadOnlySpan<char> text, IContentTarget target)
    {
        var close = CloseMarker(_open!);
        if (close is null)
        {
            return CollectJson(text, target);
        }

        var searchFrom = Math.Max(0, _region.WrittenCount - (close.Length - 1));
        _region.Write(text);
        var at = _region.WrittenSpan[searchFrom..].IndexOf(close, StringComparison.Ordinal);
        if (at < 0)
        {
            return _region.WrittenCount > RegionLimit ? FinishRegion(_region.WrittenSpan, closed: false, target) : default;
        }

        // The closing marker was not there before, so it ends inside the new text: what follows it is a tail of it.
        var end = searchFrom + at + close.Length;
        var rest = text[^(_region.WrittenCount - end)..];
        var again = FinishRegion(_region.WrittenSpan[..(searchFrom + at)], closed: true, target);
        return again.IsEmpty ? rest : string.Concat(again, rest);
    }

    /// <summary>Adds to the open region until the JSON value after its header closes, returning the text after it.</summary>
    private ReadOnlySpan<char> CollectJson(ReadOnlySpan<char> text, IContentTarget target)
    {
        _region.Write(text);
        var region = _region.WrittenSpan;
        if (_jsonStart < 0)
        {
            _jsonStart = JsonStart(_open!, region);
            if (_jsonStart == -2)
            {
                var again = region.ToString();
                EmitText(string.Concat(_spaceBefore, _open), target);
                ResetRegion();
                return again;
            }

            if (_jsonStart < 0)
            {
                return _region.WrittenCount > RegionLimit ? FinishRegion(region, closed: false, target) : default;
            }

            _scanned = _jsonStart;
        }

        var end = _json.Advance(region[_scanned..]);
        if (end < 0)
        {
            _scanned = region.Length;
            return _region.WrittenCount > RegionLimit ? FinishRegion(region, closed: false, target) : default;
        }

        end += _scanned;
        var rest = region[end..].ToString();
        var after = FinishRegion(region[..end], closed: true, target);
        return after.IsEmpty ? rest : string.Concat(after, rest);
    }

    /// <summary>
    /// Sends the region's calls, or gives it back as text. When a region that does not read holds another opening
    /// marker (a tag mentioned in prose before a real call), only the text before that marker is given back, and what
    /// follows is returned to be looked at again.
    /// </summary>
    private ReadOnlySpan<char> FinishRegion(ReadOnlySpan<char> region, bool closed, IContentTarget target)
    {
        var open = _open!;
        var again = ReadOnlySpan<char>.Empty;
        _calls.Clear();
        var read = region.Length <= RegionLimit ? Read(open, region, closed, _calls) : 0;
        if (_calls.Count > 0 && (read == region.Length || !closed))
        {
            foreach (var call in _calls)
            {
                target.AppendToolCall(_nextCall++, call.Id, call.Name, call.ArgumentsJson);
            }

            _afterRegion = true;

            // What follows the complete calls of a region the answer never closed is looked at again, as text.
            again = region[read..].ToString();
        }
        else
        {
            // Whitespace between a call and markup given back as text is layout, like any beside a call.
            var spaceBefore = _afterRegion ? "" : _spaceBefore;
            _afterRegion = false;
            var inner = MarkerHoldback.IndexOfAny(region, OpenMarkers, out _);
            var given = inner >= 0 ? region[..inner].TrimEnd() : region;
            if (inner >= 0)
            {
                // The whitespace before the inner marker goes with it, to be dropped or kept as its region decides.
                again = string.Concat(region[given.Length..], closed ? CloseMarker(open) : "");
            }

            target.AppendText(string.Concat(spaceBefore, open));
            if (!given.IsEmpty)
            {
                target.AppendText(given);
            }

            if (closed && inner < 0 && CloseMarker(open) is { } closeMarker)
            {
                target.AppendText(closeMarker);
            }
        }

        ResetRegion();
        return again;
    }

    private void ResetRegion()
    {
        _open = null;
        _spaceBefore = "";
        _region.ResetWrittenCount();
        _json = default;
        _jsonStart = -1;
        _scanned = 0;
    }

    private void EmitText(ReadOnlySpan<char> text, IContentTarget target)
    {
        if (_afterRegion)
        {
            text = text.TrimStart();
            if (text.IsEmpty)
            {
                return;
            }

            _afterRegion = false;
        }

        if (!text.IsEmpty)
        {
            target.AppendText(text);
        }
    }
}

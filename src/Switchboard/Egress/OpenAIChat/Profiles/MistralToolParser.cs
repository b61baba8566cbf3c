using System.Buffers;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Reads Mistral tool calls out of a model's visible text. Text before <c>[TOOL_CALLS]</c> is text; after it comes,
/// by tokenizer generation, either a JSON array <c>[{"name":…,"arguments":{…}}, …]</c> (before v11) or
/// <c>NAME[ARGS]{…}</c>, optionally <c>NAME[CALL_ID]ID[ARGS]{…}</c> (v11 and later, one marker per call).
/// A call is sent once its JSON closes; markup that does not read as a call, or is not closed when the message ends,
/// is sent on as the text it was.
/// </summary>
public sealed class MistralToolParser : IContentParser
{
    private const string Marker = "[TOOL_CALLS]";

    private readonly TextBeforeMarker _text = new([Marker]);
    private readonly ToolMarkupOutput _output = new();
    private readonly ArrayBufferWriter<char> _call = new(256);
    private JsonValueScanner _scanner;
    private bool _inCall;

    // Once the part before the JSON is read: where the JSON starts, how far it was scanned, and the call's name
    // and id (no name: the JSON is an array of calls).
    private int _jsonStart = -1;
    private int _scanned;
    private string? _name;
    private string? _id;

    public MistralToolParser(IReadOnlyList<ToolDefinition> tools)
    {
        // Mistral writes arguments as JSON, typed by the model; the schema is not needed to read them.
        ArgumentNullException.ThrowIfNull(tools);
    }

    public void Append(ReadOnlySpan<char> content, IContentTarget target)
    {
        while (!content.IsEmpty)
        {
            if (_inCall)
            {
                content = AppendCall(content, target);
            }
            else
            {
                content = _text.Append(content, _output, target, out var found);
                _inCall = found is not null;
            }
        }
    }

    public void Flush(IContentTarget target)
    {
        if (_inCall)
        {
            _output.Text(Marker, target);
            _output.Text(_call.WrittenSpan, target);
            EndCall();
        }
        else
        {
            _text.Flush(_output, target);
        }

        _output.Flush();
    }

    /// <summary>Buffers the call until its JSON closes; returns what follows it (nothing while it is still open).</summary>
    private ReadOnlySpan<char> AppendCall(ReadOnlySpan<char> content, IContentTarget target)
    {
        _call.Write(content);
        var raw = _call.WrittenSpan;
        if (_jsonStart < 0)
        {
            switch (MistralCallHeader.Read(raw, out _jsonStart, out _name, out _id))
            {
                case MistralCallHeader.Result.Incomplete:
                    _jsonStart = -1;
                    return [];
                case MistralCallHeader.Result.Malformed:
                    // Not a call after all: the marker is text, and what follows it is read afresh.
                    _output.Text(Marker, target);
                    return EndCall(raw);
            }

            _scanned = _jsonStart;
        }

        var end = _scanner.Advance(raw[_scanned..]);
        if (end < 0)
        {
            _scanned = raw.Length;
            return [];
        }

        end += _scanned;
        if (!TrySendCalls(raw[_jsonStart..end], target))
        {
            _output.Text(Marker, target);
            _output.Text(raw[..end], target);
        }

        return EndCall(raw[end..]);
    }

    private string EndCall(ReadOnlySpan<char> rest = default)
    {
        var after = rest.ToString();
        _call.ResetWrittenCount();
        _scanner = default;
        _inCall = false;
        _jsonStart = -1;
        _scanned = 0;
        _name = _id = null;
        return after;
    }

    private bool TrySendCalls(ReadOnlySpan<char> json, IContentTarget target)
    {
        if (_name is not null)
        {
            if (!ToolArgumentsObject.TryParse(json.ToString(), out var arguments))
            {
                return false;
            }

            _output.Call(_id, _name, arguments, target);
            return true;
        }

        // The array form: every item must be a call before any is sent.
        var calls = new List<(string? Id, string Name, string Arguments)>();
        try
        {
            using var document = JsonDocument.Parse(json.ToString());
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var name)
                    || name.ValueKind != JsonValueKind.String || name.GetString() is not { Length: > 0 } callName)
                {
                    return false;
                }

                var arguments = "{}";
                if (item.TryGetProperty("arguments", out var value) && !ToolArgumentsObject.TryRead(value, out arguments))
                {
                    return false;
                }

                var id = item.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
                calls.Add((id, callName, arguments));
            }
        }
        catch (JsonException)
        {
            return false;
        }

        foreach (var (id, name, arguments) in calls)
        {
            _output.Call(id, name, arguments, target);
        }

        return calls.Count > 0;
    }
}

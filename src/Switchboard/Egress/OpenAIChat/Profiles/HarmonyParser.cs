using System.Buffers;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Reads gpt-oss's Harmony format when a model server leaves it in the text: messages
/// <c>&lt;|start|&gt;assistant&lt;|channel|&gt;CHANNEL&lt;|message|&gt;…&lt;|end|&gt;</c>, where <c>analysis</c> is
/// thinking, <c>final</c> and plain <c>commentary</c> are text, and a message with a recipient
/// (<c>to=functions.NAME</c>) is a tool call whose body is the JSON input. Text outside any message passes through,
/// so an answer the server already parsed reads unchanged.
/// </summary>
/// <remarks>
/// The first message's <c>&lt;|start|&gt;assistant</c> is in the prompt, so output may begin at <c>&lt;|channel|&gt;</c>
/// or with a recipient (<c>" to=functions.NAME&lt;|channel|&gt;…"</c>). <c>&lt;|call|&gt;</c> and <c>&lt;|return|&gt;</c>
/// are stop tokens that servers usually cut, so the end of the answer also ends the last message. Thinking and text
/// stream as they arrive; a tool call is sent once its body is complete. A body that is not a JSON object is given
/// back as text; a header that never reaches <c>&lt;|message|&gt;</c> carries no content and is dropped.
/// </remarks>
public sealed class HarmonyParser : IContentParser
{
    private const string Start = "<|start|>";
    private const string Channel = "<|channel|>";
    private const string Message = "<|message|>";
    private const string RoleRecipient = " to=";
    private const int HeaderLimit = 512;

    private static readonly string[] OutsideMarkers = [Start, Channel, "<|end|>", "<|return|>", "<|call|>"];
    private static readonly string[] BodyEnds = ["<|end|>", "<|call|>", "<|return|>", Start, Channel];

    private readonly CarryBuffer _carry = new();
    private readonly ArrayBufferWriter<char> _header = new(64);
    private readonly ArrayBufferWriter<char> _toolBody = new(256);
    private State _state = State.Outside;
    private HarmonyHeader _current;
    private bool _atStart = true;
    private int _nextCall;

    private enum State
    {
        Outside,
        Header,
        Body,
    }

    public void Append(ReadOnlySpan<char> content, IContentTarget target)
    {
        var text = _carry.Join(content);
        while (!text.IsEmpty)
        {
            text = _state switch
            {
                State.Outside => ScanOutside(text, target),
                State.Header => ReadHeader(text),
                _ => ReadBody(text, target),
            };
        }
    }

    public void Flush(IContentTarget target)
    {
        var held = _carry.Take();
        switch (_state)
        {
            case State.Outside when !held.IsEmpty:
                target.AppendText(held);
                break;
            case State.Body:
                BodyOut(held, target);
                FinishBody(target);
                break;
        }

        _state = State.Outside;
        _header.ResetWrittenCount();
    }

    private ReadOnlySpan<char> ScanOutside(ReadOnlySpan<char> text, IContentTarget target)
    {
        if (_atStart)
        {
            if (text.StartsWith(RoleRecipient, StringComparison.Ordinal))
            {
                _atStart = false;
                _state = State.Header;
                return text;
            }

            if (RoleRecipient.AsSpan().StartsWith(text))
            {
                _carry.Hold(text);
                return default;
            }

            _atStart = false;
        }

        var at = MarkerHoldback.IndexOfAny(text, OutsideMarkers, out var marker);
        if (at < 0)
        {
            var hold = MarkerHoldback.Length(text, OutsideMarkers);
            Emit(text[..^hold], target);
            _carry.Hold(text[^hold..]);
            return default;
        }

        Emit(text[..at], target);
        text = text[at..];
        if (ReferenceEquals(marker, Start) || ReferenceEquals(marker, Channel))
        {
            return BeginHeader(text, marker!);
        }

        // An end marker outside a message closes nothing; it is not text either.
        return text[marker!.Length..];
    }

    private ReadOnlySpan<char> BeginHeader(ReadOnlySpan<char> text, string marker)
    {
        _state = State.Header;

        // The channel marker belongs to the header; the start marker only opens it.
        return ReferenceEquals(marker, Start) ? text[Start.Length..] : text;
    }

    private ReadOnlySpan<char> ReadHeader(ReadOnlySpan<char> text)
    {
        var searchFrom = Math.Max(0, _header.WrittenCount - (Message.Length - 1));
        _header.Write(text);
        var at = _header.WrittenSpan[searchFrom..].IndexOf(Message, StringComparison.Ordinal);
        if (at < 0)
        {
            if (_header.WrittenCount > HeaderLimit)
            {
                // Not a header after all: too long to be one. What was collected is dropped as markup.
                _header.ResetWrittenCount();
                _state = State.Outside;
            }

            return default;
        }

        var end = searchFrom + at;
        var rest = text[^(_header.WrittenCount - end - Message.Length)..];
        _current = HarmonyHeader.Parse(_header.WrittenSpan[..end]);
        _header.ResetWrittenCount();
        _state = State.Body;
        return rest;
    }

    private ReadOnlySpan<char> ReadBody(ReadOnlySpan<char> text, IContentTarget target)
    {
        var at = MarkerHoldback.IndexOfAny(text, BodyEnds, out var marker);
        if (at < 0)
        {
            var hold = MarkerHoldback.Length(text, BodyEnds);
            BodyOut(text[..^hold], target);
            _carry.Hold(text[^hold..]);
            return default;
        }

        BodyOut(text[..at], target);
        FinishBody(target);
        text = text[at..];
        if (ReferenceEquals(marker, Start) || ReferenceEquals(marker, Channel))
        {
            // A new message began without the previous one's end marker.
            return BeginHeader(text, marker!);
        }

        _state = State.Outside;
        return text[marker!.Length..];
    }

    private void BodyOut(ReadOnlySpan<char> text, IContentTarget target)
    {
        if (text.IsEmpty)
        {
            return;
        }

        if (_current.Recipient is not null)
        {
            _toolBody.Write(text);
        }
        else if (_current.IsThinking)
        {
            target.AppendThinking(text);
        }
        else
        {
            target.AppendText(text);
        }
    }

    private void FinishBody(IContentTarget target)
    {
        if (_current.ToolName is not { } name)
        {
            return;
        }

        var arguments = _toolBody.WrittenSpan.Trim();
        if (!arguments.IsEmpty)
        {
            if (ToolArgumentsObject.TryParse(arguments.ToString(), out var json))
            {
                target.AppendToolCall(_nextCall++, null, name, json);
            }
            else
            {
                target.AppendText(arguments);
            }
        }

        _toolBody.ResetWrittenCount();
        _current = default;
    }

    private static void Emit(ReadOnlySpan<char> text, IContentTarget target)
    {
        if (!text.IsEmpty)
        {
            target.AppendText(text);
        }
    }
}

using System.Buffers;
using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Where a tool-markup parser sends what it found: text, and whole tool calls numbered from 0 per message, in order.
/// Whitespace that only separates text from a call (the newline a chat template puts before a call, the blank lines
/// between calls) and whitespace at the end of the message are dropped, so it never becomes a text block of its own;
/// all other text passes through as it came.
/// </summary>
internal sealed class ToolMarkupOutput
{
    // Trailing whitespace of the text so far: sent with the next text, dropped if a call comes first.
    private readonly ArrayBufferWriter<char> _whitespace = new(16);
    private bool _afterCall;

    public int CallCount { get; private set; }

    public void Text(ReadOnlySpan<char> text, IContentTarget target)
    {
        if (_afterCall)
        {
            text = text.TrimStart();
            if (text.IsEmpty)
            {
                return;
            }

            _afterCall = false;
        }

        var body = text.TrimEnd();
        if (body.IsEmpty)
        {
            _whitespace.Write(text);
            return;
        }

        ReleaseWhitespace(target);
        target.AppendText(body);
        _whitespace.Write(text[body.Length..]);
    }

    public void Call(string? id, string name, string argumentsJson, IContentTarget target)
    {
        _whitespace.ResetWrittenCount();
        target.AppendToolCall(CallCount++, id, name, argumentsJson);
        _afterCall = true;
    }

    /// <summary>
    /// The message is done: whitespace at its end is dropped. It is layout before a stop or before a call the model
    /// server parsed itself (which this output never sees), never a block of its own.
    /// </summary>
    public void Flush() => _whitespace.ResetWrittenCount();

    private void ReleaseWhitespace(IContentTarget target)
    {
        if (_whitespace.WrittenCount > 0)
        {
            target.AppendText(_whitespace.WrittenSpan);
            _whitespace.ResetWrittenCount();
        }
    }
}

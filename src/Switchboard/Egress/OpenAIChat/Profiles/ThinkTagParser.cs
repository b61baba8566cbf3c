using Switchboard.Canonical;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// Splits <c>&lt;think&gt;…&lt;/think&gt;</c> in a model's visible text into thinking and text, for model servers
/// that leave reasoning inline. Tags may be split across chunks anywhere.
/// </summary>
/// <remarks>
/// The rules, kept simple on purpose:
/// <list type="bullet">
/// <item>Outside thinking, <c>&lt;think&gt;</c> opens thinking. Inside, <c>&lt;/think&gt;</c> closes it and a
/// further <c>&lt;think&gt;</c> is ordinary thinking text (tags do not nest).</item>
/// <item>A <c>&lt;/think&gt;</c> while no thinking is open is dropped: what came before it has already gone out as
/// text and stays text, and the tag itself never belongs in visible text.</item>
/// <item>Chat templates that put <c>&lt;think&gt;</c> in the prompt (DeepSeek-R1, QwQ, Qwen3 thinking models)
/// make the model start inside thinking and emit only <c>&lt;/think&gt;</c>. Text cannot be taken back once
/// released, so this is not guessed: construct with <c>startsInThinking: true</c> for such models, and the output
/// is thinking up to the first <c>&lt;/think&gt;</c>. A <c>&lt;think&gt;</c> the model repeats before anything
/// else is consumed. When the server turns out to parse reasoning itself (<see cref="OnReasoningField"/>
/// before any text), the text is not thinking after all.</item>
/// <item>Whitespace at the very start of the output and right after either tag is dropped (once).</item>
/// <item>Only a <c>&lt;</c> and the characters after it that still spell a tag are held back; the first one
/// that does not releases them as content. <see cref="Flush"/> releases a held partial tag the same way.</item>
/// </list>
/// </remarks>
public sealed class ThinkTagParser(bool startsInThinking = false) : IContentParser
{
    private const string OpenTag = "<think>";
    private const string CloseTag = "</think>";

    private readonly bool _startsInThinking = startsInThinking;
    private bool _thinking = startsInThinking;
    private bool _trimLeading = true;
    private bool _emittedAny;

    // The tag being matched and how many of its characters are held; 1 means only "<" so far, tag undecided.
    private string? _candidate;
    private int _matched;

    public void Append(ReadOnlySpan<char> content, IContentTarget target)
    {
        var runStart = 0;
        var i = 0;
        while (i < content.Length)
        {
            if (_matched == 0)
            {
                var next = content[i..].IndexOf('<');
                if (next < 0)
                {
                    break;
                }

                i += next;
                Emit(content[runStart..i], target);
                _matched = 1;
                runStart = ++i;
                continue;
            }

            if (TryExtend(content[i]))
            {
                runStart = ++i;
                if (_matched == _candidate!.Length)
                {
                    CompleteTag();
                }

                continue;
            }

            // Not a tag after all: what was held is content; this character is looked at afresh.
            ReleaseHeld(target);
        }

        Emit(content[runStart..], target);
    }

    public void Flush(IContentTarget target)
    {
        if (_matched > 0)
        {
            ReleaseHeld(target);
        }
    }

    /// <summary>
    /// The server parses this model's reasoning into a field of its own, so the text is the answer even though the
    /// template opened thinking in the prompt. Text already released as thinking stays thinking.
    /// </summary>
    public void OnReasoningField()
    {
        if (_startsInThinking && !_emittedAny)
        {
            _thinking = false;
        }
    }

    private bool TryExtend(char c)
    {
        if (_matched == 1)
        {
            if (c == '/')
            {
                _candidate = CloseTag;
            }
            else if (c == 't' && (!_thinking || !_emittedAny))
            {
                _candidate = OpenTag;
            }
            else
            {
                return false;
            }

            _matched = 2;
            return true;
        }

        if (_candidate![_matched] != c)
        {
            return false;
        }

        _matched++;
        return true;
    }

    private void CompleteTag()
    {
        _thinking = ReferenceEquals(_candidate, OpenTag);
        _trimLeading = true;
        _candidate = null;
        _matched = 0;
    }

    private void ReleaseHeld(IContentTarget target)
    {
        ReadOnlySpan<char> held = _matched == 1 ? "<" : _candidate.AsSpan(0, _matched);
        _candidate = null;
        _matched = 0;
        Emit(held, target);
    }

    private void Emit(ReadOnlySpan<char> text, IContentTarget target)
    {
        if (_trimLeading)
        {
            text = text.TrimStart();
            if (text.IsEmpty)
            {
                return;
            }

            _trimLeading = false;
        }

        if (text.IsEmpty)
        {
            return;
        }

        _emittedAny = true;
        if (_thinking)
        {
            target.AppendThinking(text);
        }
        else
        {
            target.AppendText(text);
        }
    }
}

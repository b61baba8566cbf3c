using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>One typed block of message content, in the Messages API's terms.</summary>
public abstract record ContentBlock;

/// <summary>
/// Text, held either as a .NET string or as the client's JSON string value (<see cref="Json"/>: UTF-8 as sent, still
/// escaped), which an egress can copy into the upstream body without decoding it. <see cref="Text"/> decodes it on
/// first use, for the places that need a string. Equal when the texts are.
/// </summary>
public sealed record TextBlock : ContentBlock
{
    private string? _text;
    private JsonElement _json;

    public TextBlock(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _text = text;
    }

    /// <param name="json">A JSON string value; its document must outlive the block (the request's does).</param>
    public TextBlock(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.String)
        {
            throw new ArgumentException("A text block is made from a JSON string.", nameof(json));
        }

        _json = json;
    }

    public string Text
    {
        get => _text ??= _json.GetString()!;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _text = value;
            _json = default;
        }
    }

    /// <summary>The client's JSON string this text was read from (<see cref="JsonValueKind.Undefined"/>: none).</summary>
    public JsonElement Json => _json;

    /// <summary>The text's length in UTF-16 code units (<c>Text.Length</c>), without decoding it.</summary>
    public int Length => _text?.Length ?? JsonStrings.Utf16Length(_json);

    public void Deconstruct(out string text) => text = Text;

    public bool Equals(TextBlock? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("Text = ").Append(Text);
        return true;
    }
}

/// <summary>An image given inline (base64) or by URL; egresses decide how to pass it on.</summary>
public sealed record ImageBlock(string? MediaType, string? Base64Data, string? Url) : ContentBlock
{
    /// <summary>A URI a model server can fetch or decode: the URL, or a data URI for inline bytes.</summary>
    public string ToUri() => Url ?? $"data:{MediaType};base64,{Base64Data}";
}

/// <summary>A tool call. <see cref="InputJson"/> is the raw JSON text of the input object.</summary>
public sealed record ToolUseBlock(string Id, string Name, string InputJson) : ContentBlock;

/// <summary>The client's answer to a tool call: text and image blocks, and whether the tool failed.</summary>
public sealed record ToolResultBlock(string ToolUseId, IReadOnlyList<ContentBlock> Content, bool IsError) : ContentBlock;

public sealed record ThinkingBlock(string Thinking, string Signature) : ContentBlock
{
    /// <summary>
    /// Reasoning from a dialect that carries no signatures (Chat Completions' <c>reasoning_content</c>): the client's
    /// copy of what the model said, replayed to the model without a signature check.
    /// </summary>
    public bool Unsigned { get; init; }

    /// <summary>Who made <see cref="Signature"/>, once the thinking replay filter has looked (see <see cref="Canonical.SignedBy"/>).</summary>
    public SignedBy SignedBy { get; init; }
}

/// <summary>Who signed a thinking block: decides which upstreams it may be sent back to.</summary>
public enum SignedBy
{
    /// <summary>Not decided yet (as read), or no signature at all.</summary>
    Unknown,

    /// <summary>Switchboard's own keyed MAC: only Switchboard can check it, so no upstream is sent the signature.</summary>
    Switchboard,

    /// <summary>
    /// A signature Switchboard did not make: an upstream's own (Anthropic, or a server with its own
    /// <c>/v1/messages</c>). It goes back, unchanged, only to an upstream that checks such signatures itself.
    /// </summary>
    Upstream,
}

public sealed record RedactedThinkingBlock(string Data) : ContentBlock;

/// <summary>
/// A block Switchboard does not interpret, kept as the client's raw JSON (<see cref="Json"/>, in the dialect
/// <see cref="Dialect"/>) so an upstream that speaks that dialect gets it unchanged. For any other upstream the
/// target's lowering step decides: refuse the request with <see cref="Refusal"/>, or pass <see cref="FallbackText"/>
/// on as text (or leave the block out when it has none) and log <see cref="Note"/>. The door words both.
/// </summary>
public sealed record RawBlock(string Dialect, string Type, string Json) : ContentBlock
{
    /// <summary>The log line for an upstream that passes the block on as its text or leaves it out.</summary>
    public string Note { get; init; } = "";

    /// <summary>The block's text, for an upstream that cannot take the block itself; null: it has none.</summary>
    public string? FallbackText { get; init; }

    /// <summary>
    /// Set for blocks only an upstream that allows them may get (PDF and file documents): the client-facing reason
    /// any other upstream refuses the request for.
    /// </summary>
    public string? Refusal { get; init; }

    /// <summary>
    /// Set for a PDF document: an upstream that may not take the block gets the PDF's extracted text instead of
    /// the refusal (one given by URL once its bytes have been fetched and filled in).
    /// </summary>
    public PdfSource? Pdf { get; init; }

    /// <summary>
    /// Set for a <c>tool_reference</c> (a tool search's answer): the tool it loads. A tool declared with
    /// <see cref="ToolDefinition.DeferLoading"/> reaches a model without tool search only once referenced.
    /// </summary>
    public string? ToolReference { get; init; }

    /// <summary>
    /// Set for server-tool history (a <see cref="ServerToolUseBlock"/> or <see cref="WebSearchResultBlock"/> the
    /// client sends back): the block as read, for a Switchboard that runs the tool itself to give the model again.
    /// </summary>
    public ContentBlock? ServerTool { get; init; }
}

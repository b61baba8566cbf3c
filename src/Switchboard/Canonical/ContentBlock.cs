namespace Switchboard.Canonical;

/// <summary>One typed block of message content, in the Messages API's terms.</summary>
public abstract record ContentBlock;

public sealed record TextBlock(string Text) : ContentBlock;

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
}

public sealed record RedactedThinkingBlock(string Data) : ContentBlock;

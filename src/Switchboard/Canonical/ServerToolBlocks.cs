namespace Switchboard.Canonical;

/// <summary>
/// A call of a tool Switchboard runs itself for the client (web search, web fetch): <see cref="Id"/> is the call's id
/// as the client sees it, <see cref="InputJson"/> the input object's JSON text.
/// </summary>
public sealed record ServerToolUseBlock(string Id, string Name, string InputJson) : ContentBlock;

/// <summary>
/// What one web search found: <see cref="Hits"/>, or <see cref="ErrorCode"/> (the Messages API's code, such as
/// <c>unavailable</c>) when it failed. Each hit's text travels sealed (<see cref="WebSearchHit.EncryptedContent"/>):
/// only the Switchboard that ran the search can read it back when the client replays the conversation.
/// </summary>
public sealed record WebSearchResultBlock(string ToolUseId, IReadOnlyList<WebSearchHit> Hits, string? ErrorCode) : ContentBlock
{
    /// <summary>Where the block was in the client's request (for errors naming it); null for a block Switchboard made.</summary>
    public string? Location { get; init; }
}

/// <summary>One search result: <see cref="EncryptedContent"/> is the sealed text the model was given.</summary>
public sealed record WebSearchHit(string Url, string Title, string EncryptedContent, string? PageAge);

/// <summary>A passage of the answer that cites a search result.</summary>
/// <param name="CitedText">The start of the result's text the passage relies on.</param>
/// <param name="EncryptedIndex">An opaque reference to the result, as the client sees it.</param>
public sealed record WebSearchCitation(string Url, string? Title, string CitedText, string EncryptedIndex);

/// <summary>Answer text with the search results it cites (a whole message; a stream sends the citations as events).</summary>
public sealed record CitedTextBlock(string Text, IReadOnlyList<WebSearchCitation> Citations) : ContentBlock;

/// <summary>
/// A stream sink that takes the blocks of tools Switchboard runs itself. A server-tool block arrives whole (the
/// Messages API sends such results complete, with no deltas); a citation belongs to the text block open at
/// <c>index</c>. Sinks that do not implement it never receive these blocks (no front door of theirs offers the tools).
/// </summary>
public interface IServerToolSink
{
    /// <summary>A complete <see cref="ServerToolUseBlock"/>, <see cref="WebSearchResultBlock"/> or <see cref="WebFetchResultBlock"/> at <paramref name="index"/>.</summary>
    void OnServerBlock(int index, ContentBlock block);

    void OnCitation(int index, WebSearchCitation citation);
}

/// <summary>
/// What one web fetch returned: the page as text (<see cref="Text"/>, with its <see cref="Title"/> when it has one)
/// and when it was retrieved, or <see cref="ErrorCode"/> (the Messages API's code, such as <c>url_not_accessible</c>).
/// </summary>
public sealed record WebFetchResultBlock(string ToolUseId, string? Url, string? Title, string? Text, string? RetrievedAt, string? ErrorCode) : ContentBlock;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>
/// The header of one Harmony message (what comes before <c>&lt;|message|&gt;</c>): its channel and, for a tool call,
/// its recipient. Both spellings gpt-oss uses are read: <c>&lt;|channel|&gt;commentary to=functions.NAME &lt;|constrain|&gt;json</c>
/// and <c>assistant to=functions.NAME&lt;|channel|&gt;commentary json</c>.
/// </summary>
public readonly record struct HarmonyHeader(string? Channel, string? Recipient)
{
    private const string ChannelMarker = "<|channel|>";
    private const string RecipientPrefix = "to=";
    private const string FunctionsNamespace = "functions.";

    /// <summary>The message is reasoning: the <c>analysis</c> channel, without a recipient.</summary>
    public bool IsThinking => Recipient is null && Channel == "analysis";

    /// <summary>The tool's name: the recipient without the <c>functions.</c> namespace.</summary>
    public string? ToolName => Recipient is { } recipient && recipient.StartsWith(FunctionsNamespace, StringComparison.Ordinal)
        ? recipient[FunctionsNamespace.Length..]
        : Recipient;

    public static HarmonyHeader Parse(ReadOnlySpan<char> header)
    {
        string? channel = null;
        var channelAt = header.LastIndexOf(ChannelMarker, StringComparison.Ordinal);
        if (channelAt >= 0)
        {
            channel = Word(header[(channelAt + ChannelMarker.Length)..]).ToString();
        }

        string? recipient = null;
        var search = header;
        while (search.IndexOf(RecipientPrefix, StringComparison.Ordinal) is var at and >= 0)
        {
            // "to=" only counts as a word of its own: at the start, or after a space or a marker.
            var start = header.Length - search.Length + at;
            if (start == 0 || header[start - 1] is ' ' or '>')
            {
                var name = Word(header[(start + RecipientPrefix.Length)..]);
                recipient = name.IsEmpty ? null : name.ToString();
                break;
            }

            search = search[(at + RecipientPrefix.Length)..];
        }

        return new HarmonyHeader(channel, recipient);
    }

    /// <summary>Characters up to whitespace or the next marker.</summary>
    private static ReadOnlySpan<char> Word(ReadOnlySpan<char> text)
    {
        var end = text.IndexOfAny(" \t\n<");
        return (end < 0 ? text : text[..end]).Trim();
    }
}

namespace Switchboard.FakeUpstream;

/// <summary>What one answer needs to know about its request.</summary>
internal sealed class ReplyContext(RecordedRequest request, string model, bool includeUsage, int promptTokens)
{
    public RecordedRequest Request { get; } = request;

    public string Id { get; } = "chatcmpl-" + Guid.NewGuid().ToString("N");

    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public string Model { get; } = model;

    /// <summary>The request's <c>stream_options.include_usage</c>.</summary>
    public bool IncludeUsage { get; } = includeUsage;

    public int PromptTokens { get; } = promptTokens;

    public UsageNumbers UsageFor(ScriptedReply reply) => reply.Usage is { } u
        ? new UsageNumbers(u.PromptTokens, u.CompletionTokens, u.CachedTokens, u.ReasoningTokens)
        : new UsageNumbers(PromptTokens, DeltaCount(reply), null);

    public static string ToolCallId(ScriptedToolCall call) => call.Id ?? "chatcmpl-tool-" + Guid.NewGuid().ToString("N");

    /// <summary>Deltas a streamed answer sends: one per text piece, plus a start chunk per tool call.</summary>
    private static int DeltaCount(ScriptedReply reply)
    {
        int size = reply.CharactersPerChunk;
        int count = TextPieces.Count(reply.Reasoning, size) + TextPieces.Count(reply.Content, size);
        foreach (var call in reply.ToolCalls)
        {
            count += 1 + TextPieces.Count(call.Arguments, size);
        }

        return count;
    }
}

/// <summary>Cuts text into delta-sized pieces without splitting a surrogate pair.</summary>
internal static class TextPieces
{
    public static int Count(string? text, int size)
    {
        int count = 0;
        for (int start = 0; text is not null && start < text.Length; start = NextEnd(text, start, size))
        {
            count++;
        }

        return count;
    }

    /// <summary>End (exclusive) of the piece that starts at <paramref name="start"/>.</summary>
    public static int NextEnd(string text, int start, int size)
    {
        int end = (int)Math.Min((long)start + size, text.Length);
        if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
        {
            end++;
        }

        return end;
    }
}

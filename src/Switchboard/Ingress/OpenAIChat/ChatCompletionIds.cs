namespace Switchboard.Ingress.OpenAIChat;

/// <summary>Ids in Chat Completions' formats: <c>chatcmpl-…</c> for answers, <c>call_…</c> for tool calls.</summary>
public static class ChatCompletionIds
{
    private const string CompletionPrefix = "chatcmpl-";
    private const string CallPrefix = "call_";

    private static readonly System.Buffers.SearchValues<char> IdCharacters =
        System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-");

    /// <summary>
    /// The completion id for a canonical message id (<c>msg_…</c>): the same random part under OpenAI's prefix, so
    /// the log's message id and the client's completion id name the same answer.
    /// </summary>
    public static string Completion(string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        var random = messageId.StartsWith("msg_", StringComparison.Ordinal) ? messageId.AsSpan(4) : messageId.AsSpan();
        return string.Concat(CompletionPrefix, random);
    }

    /// <summary>
    /// A <c>call_…</c> id for an upstream's call id, which comes in every shape (<c>chatcmpl-tool-…</c>,
    /// <c>functions.name:0</c>, Switchboard's own <c>toolu_…</c> for parsed markup): prefixed with <c>call_</c>,
    /// characters outside <c>[A-Za-z0-9_-]</c> replaced by <c>_</c>. Deterministic, so the same upstream answer
    /// always reads the same; a missing id gets a fresh one.
    /// </summary>
    public static string Call(string? upstreamId)
    {
        if (string.IsNullOrEmpty(upstreamId))
        {
            return Canonical.Ids.New(CallPrefix);
        }

        var valid = !upstreamId.AsSpan().ContainsAnyExcept(IdCharacters);
        if (valid && upstreamId.StartsWith(CallPrefix, StringComparison.Ordinal))
        {
            return upstreamId;
        }

        return string.Create(CallPrefix.Length + upstreamId.Length, upstreamId, static (span, id) =>
        {
            CallPrefix.CopyTo(span);
            for (var i = 0; i < id.Length; i++)
            {
                span[CallPrefix.Length + i] = IdCharacters.Contains(id[i]) ? id[i] : '_';
            }
        });
    }
}

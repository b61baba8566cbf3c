using System.Buffers;
using Switchboard.Canonical;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// Ids in the Responses API's formats: <c>resp_…</c> for a response (the same random part as the canonical message
/// id, so the log and the client name the same answer), <c>rs_…</c>, <c>msg_…</c>, <c>fc_…</c>, <c>ctc_…</c> for
/// output items, <c>call_…</c> for call ids.
/// </summary>
internal static class ResponsesIds
{
    private const string CallPrefix = "call_";

    private static readonly SearchValues<char> IdCharacters =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-");

    public static string Response(string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        var random = messageId.StartsWith("msg_", StringComparison.Ordinal) ? messageId.AsSpan(4) : messageId.AsSpan();
        return string.Concat("resp_", random);
    }

    public static string Reasoning() => Ids.New("rs_");

    public static string Message() => Ids.New("msg_");

    public static string FunctionCall() => Ids.New("fc_");

    public static string CustomToolCall() => Ids.New("ctc_");

    /// <summary>
    /// A <c>call_…</c> id for an upstream's call id (any shape): prefixed, characters outside <c>[A-Za-z0-9_-]</c>
    /// replaced by <c>_</c>; deterministic, so the same answer reads the same. A missing id gets a fresh one.
    /// </summary>
    public static string Call(string? upstreamId)
    {
        if (string.IsNullOrEmpty(upstreamId))
        {
            return Ids.New(CallPrefix);
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

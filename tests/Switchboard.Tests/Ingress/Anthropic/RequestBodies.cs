using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Ingress.Anthropic;

namespace Switchboard.Tests.Ingress.Anthropic;

/// <summary>Request bodies for reader tests, written with single quotes so test tables stay readable.</summary>
internal static class RequestBodies
{
    public const string OneUserTurn = "[{'role':'user','content':'hi'}]";

    public static JsonElement Parse(string singleQuoted) => JsonDocument.Parse(singleQuoted.Replace('\'', '"')).RootElement;

    /// <summary>A valid body around <paramref name="messages"/>, plus any extra top-level fields.</summary>
    public static string With(string messages = OneUserTurn, string extra = "") =>
        "{'model':'m','max_tokens':16,'messages':" + messages + (extra.Length == 0 ? "" : "," + extra) + "}";

    /// <summary>
    /// The request as read and then lowered for an OpenAI-compatible upstream: the decisions about blocks and tools
    /// Switchboard does not translate (refuse, pass on as text, leave out) are that target's, not the reader's.
    /// </summary>
    public static MessageRequest Read(string singleQuoted, RequestReadNotes? notes = null, bool countTokens = false)
    {
        notes ??= new RequestReadNotes();
        var lowered = new List<string>();
        var request = RequestLowering.ForOtherDialect(MessagesRequestReader.Read(Parse(singleQuoted), notes, countTokens), lowered);
        foreach (var note in lowered)
        {
            notes.Add(note);
        }

        return request;
    }

    /// <summary>The request exactly as the reader produces it, before any target's lowering.</summary>
    public static MessageRequest ReadRaw(string singleQuoted) => MessagesRequestReader.Read(Parse(singleQuoted), new RequestReadNotes());

    /// <summary>The client-facing message of the 400 the body is rejected with.</summary>
    public static string Rejection(string singleQuoted, bool countTokens = false)
    {
        var exception = Assert.Throws<ApiException>(() => Read(singleQuoted, countTokens: countTokens));
        Assert.Equal(ApiErrorKind.InvalidRequest, exception.Error.Kind);
        return exception.Error.Message;
    }

    /// <summary>The content of the single canonical message a one-turn body produces.</summary>
    public static IReadOnlyList<ContentBlock> ContentOf(string messages, RequestReadNotes? notes = null) =>
        Assert.Single(Read(With(messages), notes).Messages).Content;
}

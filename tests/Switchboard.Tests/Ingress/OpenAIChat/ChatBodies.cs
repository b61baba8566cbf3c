using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Ingress.OpenAIChat;

namespace Switchboard.Tests.Ingress.OpenAIChat;

/// <summary>Chat Completions bodies for reader tests, written with single quotes so test tables stay readable.</summary>
internal static class ChatBodies
{
    public const string OneUserMessage = "[{'role':'user','content':'hi'}]";

    public static JsonElement Parse(string singleQuoted) => JsonDocument.Parse(singleQuoted.Replace('\'', '"')).RootElement;

    /// <summary>A valid body around <paramref name="messages"/>, plus any extra top-level fields.</summary>
    public static string With(string messages = OneUserMessage, string extra = "") =>
        "{'model':'qwen3-coder','messages':" + messages + (extra.Length == 0 ? "" : "," + extra) + "}";

    public static MessageRequest Read(string singleQuoted, List<string>? notes = null, bool countOnly = false) =>
        ChatCompletionsRequestReader.Read(Parse(singleQuoted), notes ?? [], countOnly);

    /// <summary>The 400 the body is rejected with.</summary>
    public static ApiError Rejection(string singleQuoted, bool countOnly = false)
    {
        var exception = Assert.Throws<ApiException>(() => Read(singleQuoted, countOnly: countOnly));
        Assert.Equal(ApiErrorKind.InvalidRequest, exception.Error.Kind);
        return exception.Error;
    }
}

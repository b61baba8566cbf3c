using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Ingress.OpenAIResponses;

namespace Switchboard.Tests.Ingress.OpenAIResponses;

/// <summary>Responses bodies for reader tests, written with single quotes so test tables stay readable.</summary>
internal static class ResponsesBodies
{
    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static ReasoningSeal Seal { get; } = new(Key);

    public static JsonElement Parse(string singleQuoted) => JsonDocument.Parse(singleQuoted.Replace('\'', '"')).RootElement.Clone();

    /// <summary>A body around <paramref name="input"/> (JSON, single-quoted), plus extra top-level fields.</summary>
    public static string With(string input = "'Hi'", string extra = "") =>
        "{'model':'qwen3-coder','input':" + input + (extra.Length == 0 ? "" : "," + extra) + "}";

    public static (MessageRequest Request, ResponsesRequestInfo Info) Read(string singleQuoted, List<string>? notes = null, bool countOnly = false, IReadOnlyList<JsonElement>? previous = null) =>
        ResponsesRequestReader.Read(Parse(singleQuoted), notes ?? [], countOnly, Seal, Key, previous ?? []);

    public static MessageRequest Request(string singleQuoted, List<string>? notes = null) => Read(singleQuoted, notes).Request;

    /// <summary>The 400 the body is rejected with.</summary>
    public static ApiError Rejection(string singleQuoted)
    {
        var exception = Assert.Throws<ApiException>(() => Read(singleQuoted));
        Assert.Equal(ApiErrorKind.InvalidRequest, exception.Error.Kind);
        return exception.Error;
    }
}

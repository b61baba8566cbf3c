using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchboard.FakeUpstream;

/// <summary>
/// Answers <see cref="ScriptedReply.Content"/> as vLLM does when the request sets <c>logprobs: true</c>: the text is
/// cut into tokens of <see cref="ScriptedReply.ChunkSize"/> characters, one token per streamed chunk, and each
/// token gets an entry in <c>choices[0].logprobs.content</c> (<c>token</c>, <c>logprob</c>, <c>bytes</c>, and
/// <c>top_logprobs</c> with as many alternatives as <c>top_logprobs</c> asks). Without <c>logprobs: true</c> the
/// choice's <c>logprobs</c> is null. Values are deterministic: token <c>i</c> has logprob <see cref="LogprobOf"/>.
/// </summary>
internal static class LogprobsReply
{
    /// <summary>The logprob of the token at <paramref name="index"/> (its k-th alternative gets this minus k).</summary>
    public static double LogprobOf(int index) => -0.25 * (index + 1);

    public static async Task WriteAsync(HttpContext http, ScriptedReply reply, JsonElement request, bool streaming)
    {
        var asked = request.TryGetProperty("logprobs", out var l) && l.ValueKind == JsonValueKind.True;
        var top = request.TryGetProperty("top_logprobs", out var t) && t.TryGetInt32(out var n) ? n : 0;
        var content = reply.Content ?? "";
        var tokens = new List<string>();
        for (var start = 0; start < content.Length; start = TextPieces.NextEnd(content, start, reply.CharactersPerChunk))
        {
            tokens.Add(content[start..TextPieces.NextEnd(content, start, reply.CharactersPerChunk)]);
        }

        http.Response.StatusCode = 200;
        var ct = http.RequestAborted;
        if (!streaming)
        {
            http.Response.ContentType = "application/json";
            var entries = new JsonArray();
            for (var i = 0; i < tokens.Count; i++)
            {
                entries.Add(Entry(tokens[i], i, top));
            }

            var completion = new JsonObject
            {
                ["id"] = "chatcmpl-logprobs",
                ["object"] = "chat.completion",
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                    ["logprobs"] = asked ? new JsonObject { ["content"] = entries } : null,
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = Usage(tokens.Count),
            };
            await http.Response.WriteAsync(completion.ToJsonString(), ct);
            return;
        }

        http.Response.ContentType = "text/event-stream";
        await SendAsync(http, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null, null));
        for (var i = 0; i < tokens.Count; i++)
        {
            var logprobs = asked ? new JsonObject { ["content"] = new JsonArray(Entry(tokens[i], i, top)) } : null;
            await SendAsync(http, Chunk(new JsonObject { ["content"] = tokens[i] }, logprobs, null));
        }

        await SendAsync(http, Chunk(new JsonObject(), null, "stop"));
        await http.Response.WriteAsync("data: [DONE]\n\n", ct);
    }

    private static JsonObject Entry(string token, int index, int top)
    {
        var alternatives = new JsonArray();
        for (var k = 0; k < top; k++)
        {
            var alternative = k == 0 ? token : token + k;
            alternatives.Add(new JsonObject
            {
                ["token"] = alternative,
                ["logprob"] = LogprobOf(index) - k,
                ["bytes"] = Bytes(alternative),
            });
        }

        return new JsonObject
        {
            ["token"] = token,
            ["logprob"] = LogprobOf(index),
            ["bytes"] = Bytes(token),
            ["top_logprobs"] = alternatives,
        };
    }

    private static JsonArray Bytes(string token)
    {
        var bytes = new JsonArray();
        foreach (var b in Encoding.UTF8.GetBytes(token))
        {
            bytes.Add(b);
        }

        return bytes;
    }

    private static JsonObject Usage(int completionTokens) =>
        new() { ["prompt_tokens"] = 10, ["completion_tokens"] = completionTokens, ["total_tokens"] = 10 + completionTokens };

    private static string Chunk(JsonObject delta, JsonObject? logprobs, string? finishReason) => new JsonObject
    {
        ["id"] = "chatcmpl-logprobs",
        ["object"] = "chat.completion.chunk",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["delta"] = delta,
            ["logprobs"] = logprobs,
            ["finish_reason"] = finishReason,
        }),
    }.ToJsonString();

    private static async Task SendAsync(HttpContext http, string chunk)
    {
        await http.Response.WriteAsync("data: " + chunk + "\n\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }
}

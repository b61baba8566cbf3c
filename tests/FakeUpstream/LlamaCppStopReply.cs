using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.FakeUpstream;

/// <summary>
/// Answers the way llama-server treats stop strings: generation ends at the first <c>stop</c> string found in the
/// text, which is left out, and the finish is only <c>"stop"</c> with no field saying which string matched (the
/// same as when the model ends its turn). Without a <c>stop</c> list the whole content is sent. Streams in
/// three-character pieces when asked to stream.
/// </summary>
internal static class LlamaCppStopReply
{
    public static async Task WriteAsync(HttpContext http, ScriptedReply reply, JsonElement request, bool streaming)
    {
        var content = Truncate(reply.Content ?? "", request);
        http.Response.StatusCode = 200;
        if (!streaming)
        {
            http.Response.ContentType = "application/json";
            var completion = new
            {
                id = "chatcmpl-llama",
                @object = "chat.completion",
                choices = new[] { new { index = 0, finish_reason = "stop", message = new { role = "assistant", content } } },
                usage = new { prompt_tokens = 10, completion_tokens = 5, total_tokens = 15 },
            };
            await http.Response.WriteAsync(JsonSerializer.Serialize(completion), http.RequestAborted);
            return;
        }

        http.Response.ContentType = "text/event-stream";
        for (var i = 0; i < content.Length; i += 3)
        {
            var piece = JsonSerializer.Serialize(content.Substring(i, Math.Min(3, content.Length - i)));
            await http.Response.WriteAsync(
                $$"""data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":{{piece}}},"finish_reason":null}]}""" + "\n\n",
                http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }

        await http.Response.WriteAsync("""data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\n", http.RequestAborted);
        await http.Response.WriteAsync("data: [DONE]\n\n", http.RequestAborted);
    }

    private static string Truncate(string content, JsonElement request)
    {
        if (!request.TryGetProperty("stop", out var stops) || stops.ValueKind != JsonValueKind.Array)
        {
            return content;
        }

        var end = content.Length;
        foreach (var stop in stops.EnumerateArray())
        {
            var at = stop.GetString() is { Length: > 0 } word ? content.IndexOf(word, StringComparison.Ordinal) : -1;
            end = at >= 0 ? Math.Min(end, at) : end;
        }

        return content[..end];
    }
}

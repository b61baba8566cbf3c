using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Routing;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Writes a canonical request as an OpenAI Chat Completions request body, straight to UTF-8.</summary>
public static class ChatRequestWriter
{
    /// <summary>
    /// The body goes to a model server, never into HTML, so only what JSON itself requires is escaped; non-ASCII
    /// prompt text stays as compact UTF-8 instead of six-byte escapes.
    /// </summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="sendStopSequences">
    /// False when Switchboard finds the stop sequences in the answer itself, because the server would end
    /// generation at one without saying which (it strips the string and answers only <c>"stop"</c>).
    /// </param>
    public static void Write(IBufferWriter<byte> output, MessageRequest request, ModelRoute route, bool stream, bool sendStopSequences = true)
    {
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString("model", route.UpstreamModel);
        ChatMessagesWriter.Write(json, request, route.Profile);

        json.WriteNumber("max_tokens", request.MaxTokens);
        WriteSampling(json, request, sendStopSequences);
        if (request.UserId is { } user)
        {
            json.WriteString("user", user);
        }

        ChatToolsWriter.Write(json, request);
        ReasoningControls.Write(json, request, route.Profile);
        if (route.Profile.MarkupInSpecialTokens && request.Tools.Count > 0)
        {
            // vLLM and SGLang strip special tokens from content by default, and with them this family's tool markup.
            json.WriteBoolean("skip_special_tokens", false);
        }

        if (stream)
        {
            json.WriteBoolean("stream", true);
            json.WriteStartObject("stream_options");
            json.WriteBoolean("include_usage", true);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteSampling(Utf8JsonWriter json, MessageRequest request, bool sendStopSequences)
    {
        if (request.Temperature is { } temperature)
        {
            json.WriteNumber("temperature", temperature);
        }

        if (request.TopP is { } topP)
        {
            json.WriteNumber("top_p", topP);
        }

        // Not in OpenAI's API, but vLLM, SGLang and llama.cpp accept it.
        if (request.TopK is { } topK)
        {
            json.WriteNumber("top_k", topK);
        }

        if (sendStopSequences && request.StopSequences.Count > 0)
        {
            json.WriteStartArray("stop");
            foreach (var stop in request.StopSequences)
            {
                json.WriteStringValue(stop);
            }

            json.WriteEndArray();
        }
    }
}

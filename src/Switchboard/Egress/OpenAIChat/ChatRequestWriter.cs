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

        // Without a budget the server gives the answer what the context window leaves.
        if (request.MaxTokens is { } maxTokens)
        {
            json.WriteNumber("max_tokens", maxTokens);
        }

        WriteSampling(json, request, sendStopSequences);
        if (request.Sampling is { } extras)
        {
            WriteExtras(json, extras);
        }

        if (request.UserId is { } user)
        {
            json.WriteString("user", user);
        }

        ChatToolsWriter.Write(json, request);
        if (request.ResponseFormat is { } format)
        {
            WriteResponseFormat(json, format);
        }

        ReasoningControls.Write(json, request, route.Profile);
        var keepSpecialTokens = route.Profile.MarkupInSpecialTokens && request.Tools.Count > 0;
        if (keepSpecialTokens)
        {
            // vLLM and SGLang strip special tokens from content by default, and with them this family's tool markup.
            json.WriteBoolean("skip_special_tokens", false);
        }

        if (request.PassThrough.Count > 0)
        {
            PassThroughWriter.Write(json, request, route.Profile, keepSpecialTokens);
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

    private static void WriteExtras(Utf8JsonWriter json, SamplingExtras extras)
    {
        if (extras.Seed is { } seed)
        {
            json.WriteNumber("seed", seed);
        }

        if (extras.FrequencyPenalty is { } frequency)
        {
            json.WriteNumber("frequency_penalty", frequency);
        }

        if (extras.PresencePenalty is { } presence)
        {
            json.WriteNumber("presence_penalty", presence);
        }

        if (extras.LogitBias is { } bias)
        {
            json.WritePropertyName("logit_bias");
            bias.WriteTo(json);
        }

        if (extras.Logprobs is { } logprobs)
        {
            json.WriteBoolean("logprobs", logprobs);
        }

        if (extras.TopLogprobs is { } top)
        {
            json.WriteNumber("top_logprobs", top);
        }
    }

    /// <summary>
    /// OpenAI's <c>response_format</c>, which vLLM, SGLang, llama.cpp and Ollama enforce. A schema without a name
    /// (the Messages API gives none) is named <c>response</c>: the field is required there.
    /// </summary>
    private static void WriteResponseFormat(Utf8JsonWriter json, ResponseFormat format)
    {
        json.WriteStartObject("response_format");
        if (format.Kind == ResponseFormatKind.JsonObject)
        {
            json.WriteString("type", "json_object");
            json.WriteEndObject();
            return;
        }

        json.WriteString("type", "json_schema");
        json.WriteStartObject("json_schema");
        json.WriteString("name", format.Name ?? "response");
        if (format.Description is { } description)
        {
            json.WriteString("description", description);
        }

        if (format.Schema is { } schema)
        {
            json.WritePropertyName("schema");
            schema.WriteTo(json);
        }

        if (format.Strict is { } strict)
        {
            json.WriteBoolean("strict", strict);
        }

        json.WriteEndObject();
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

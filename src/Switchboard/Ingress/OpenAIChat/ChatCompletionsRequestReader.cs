using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.OpenAIFields;

namespace Switchboard.Ingress.OpenAIChat;

/// <summary>
/// Reads and validates a <c>POST /v1/chat/completions</c> body into the canonical <see cref="MessageRequest"/>,
/// walking the parsed document directly. Every field of OpenAI's API is translated, ignored on purpose, or refused
/// with a 400 naming it (docs/OPENAI_CHAT.md lists which and why); any other top-level field (a model server's own
/// parameter such as <c>min_p</c> or <c>chat_template_kwargs</c>) is carried unchanged to the upstream in
/// <see cref="MessageRequest.PassThrough"/>.
/// </summary>
public static class ChatCompletionsRequestReader
{
    /// <summary>Fields read into the canonical request.</summary>
    private static readonly string[] Translated =
    [
        "model", "messages", "max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "n", "stop",
        "seed", "frequency_penalty", "presence_penalty", "logit_bias", "logprobs", "top_logprobs", "response_format",
        "tools", "functions", "tool_choice", "function_call", "parallel_tool_calls", "reasoning_effort", "stream",
        "stream_options", "user", "safety_identifier",
    ];

    /// <summary>
    /// OpenAI fields with no meaning for the models behind Switchboard: storage, billing tiers, latency hints, cache
    /// keys, moderation. Accepted and not passed on (model servers would reject or ignore them).
    /// </summary>
    private static readonly string[] Ignored =
    [
        "metadata", "store", "service_tier", "prediction", "prompt_cache_key", "prompt_cache_retention",
        "prompt_cache_options", "verbosity", "modalities", "audio", "web_search_options", "moderation",
    ];

    private static readonly FrozenSet<string> Known = FrozenSet.Create(StringComparer.Ordinal, [.. Translated, .. Ignored]);

    private static readonly string[] Efforts = ["low", "medium", "high", "xhigh", "max"];

    /// <param name="root">The parsed body. JSON values in the result reference its document, which the caller keeps alive.</param>
    /// <param name="notes">Receives the reader's decisions worth logging (fields ignored); never prompt text.</param>
    /// <param name="countOnly">A token count: the generation-only fields are not read.</param>
    public static MessageRequest Read(JsonElement root, ICollection<string> notes, bool countOnly = false)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(null, "Invalid request body: expected a JSON object.", "invalid_type");
        }

        var body = OpenAIPath.Body;
        var model = RequiredString(root, "model", body);
        if (model.Length == 0)
        {
            throw Invalid("model", "Invalid 'model': empty string. Expected a string with minimum length 1, but got an empty string instead.", "empty_string");
        }

        var conversation = new ChatConversationReader();
        var messages = conversation.Read(root);
        var tools = ChatToolsReader.ReadTools(root);
        var toolChoice = ChatToolsReader.ReadToolChoice(root, ref tools);
        var (thinking, effort) = ReadReasoningEffort(root);
        var request = new MessageRequest
        {
            Model = model,
            MaxTokens = null,
            System = conversation.System,
            Messages = messages,
            Tools = tools,
            ToolChoice = toolChoice,
            Thinking = thinking,
            Effort = effort,
            PassThrough = ReadPassThrough(root),
        };

        CheckRefused(root);
        return countOnly ? request : ReadGeneration(root, request, notes);
    }

    /// <summary>The fields that shape a generation, not the prompt.</summary>
    private static MessageRequest ReadGeneration(JsonElement root, MessageRequest request, ICollection<string> notes)
    {
        var body = OpenAIPath.Body;
        var choices = OptionalInteger(root, "n", body, min: 1, max: 128);
        if (choices > 1)
        {
            throw Unsupported("n",
                "Invalid 'n': Switchboard returns one choice per request (n = 1); send separate requests for more completions.");
        }

        var logprobs = OptionalBool(root, "logprobs", body);
        var topLogprobs = (int?)OptionalInteger(root, "top_logprobs", body, min: 0, max: 20);
        if (topLogprobs is not null && logprobs != true)
        {
            throw Invalid("top_logprobs", "Invalid 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is given.", "invalid_value");
        }

        var stream = OptionalBool(root, "stream", body) ?? false;
        NoteIgnored(root, notes);
        return request with
        {
            MaxTokens = ReadMaxTokens(root),
            Temperature = OptionalNumber(root, "temperature", body, min: 0, max: 2),
            TopP = OptionalNumber(root, "top_p", body, min: 0, max: 1),
            TopK = ReadTopK(root),
            StopSequences = ReadStop(root),
            UserId = OptionalString(root, "user", body) ?? OptionalString(root, "safety_identifier", body),
            Stream = stream,
            IncludeUsage = stream && ReadIncludeUsage(root),
            ResponseFormat = ChatResponseFormatReader.Read(root),
            Sampling = ReadSampling(root, logprobs, topLogprobs),
        };
    }

    /// <summary>
    /// <c>max_completion_tokens</c>, else the deprecated <c>max_tokens</c>; both optional. Null leaves the budget
    /// to the model's configured output limit (fitted to the context window), as OpenAI leaves it to the model's.
    /// </summary>
    private static int? ReadMaxTokens(JsonElement root)
    {
        var completion = OptionalInteger(root, "max_completion_tokens", OpenAIPath.Body, min: 1, max: long.MaxValue);
        var legacy = OptionalInteger(root, "max_tokens", OpenAIPath.Body, min: 1, max: long.MaxValue);
        return (completion ?? legacy) is { } tokens ? (int)Math.Min(tokens, int.MaxValue) : null;
    }

    /// <summary>
    /// <c>top_k</c>, a vLLM, SGLang and llama.cpp extension. Their "no limit" values, <c>-1</c> and <c>0</c>, mean
    /// the same as leaving it out.
    /// </summary>
    private static int? ReadTopK(JsonElement root) =>
        OptionalInteger(root, "top_k", OpenAIPath.Body, min: -1, max: int.MaxValue) is { } topK && topK > 0 ? (int)topK : null;

    /// <summary><c>stop</c>: a string or up to four strings.</summary>
    private static IReadOnlyList<string> ReadStop(JsonElement root)
    {
        if (!TryGet(root, "stop", out var stop))
        {
            return [];
        }

        if (stop.ValueKind == JsonValueKind.String)
        {
            return [stop.GetString()!];
        }

        if (stop.ValueKind != JsonValueKind.Array)
        {
            throw WrongType("stop", "one of a string or array of strings", stop);
        }

        var count = stop.GetArrayLength();
        if (count > 4)
        {
            throw Invalid("stop", $"Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length {count} instead.", "array_above_max_length");
        }

        var sequences = new List<string>(count);
        var path = OpenAIPath.Root("stop");
        var index = 0;
        foreach (var item in stop.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw WrongType(path.Item(index).ToString(), "a string", item);
            }

            sequences.Add(item.GetString()!);
            index++;
        }

        return sequences;
    }

    /// <summary><c>stream_options.include_usage</c>; <c>include_obfuscation</c> is accepted and not acted on.</summary>
    private static bool ReadIncludeUsage(JsonElement root) =>
        TryGetObject(root, "stream_options", OpenAIPath.Body, out var options)
        && (OptionalBool(options, "include_usage", OpenAIPath.Root("stream_options")) ?? false);

    private static SamplingExtras? ReadSampling(JsonElement root, bool? logprobs, int? topLogprobs)
    {
        var body = OpenAIPath.Body;
        var seed = OptionalInteger(root, "seed", body, min: long.MinValue, max: long.MaxValue);
        var frequency = OptionalNumber(root, "frequency_penalty", body, min: -2, max: 2);
        var presence = OptionalNumber(root, "presence_penalty", body, min: -2, max: 2);
        var bias = ReadLogitBias(root);
        if (seed is null && frequency is null && presence is null && bias is null && logprobs is null && topLogprobs is null)
        {
            return null;
        }

        return new SamplingExtras
        {
            Seed = seed,
            FrequencyPenalty = frequency,
            PresencePenalty = presence,
            LogitBias = bias,
            Logprobs = logprobs,
            TopLogprobs = topLogprobs,
        };
    }

    /// <summary><c>logit_bias</c>: token id → bias from -100 to 100, kept as sent (the ids are the model's).</summary>
    private static JsonElement? ReadLogitBias(JsonElement root)
    {
        if (!TryGetObject(root, "logit_bias", OpenAIPath.Body, out var bias))
        {
            return null;
        }

        var at = OpenAIPath.Root("logit_bias");
        foreach (var entry in bias.EnumerateObject())
        {
            _ = OptionalNumber(bias, entry.Name, at, min: -100, max: 100)
                ?? throw WrongType(at.Name(entry.Name), "a decimal", entry.Value);
        }

        return bias;
    }

    /// <summary>
    /// <c>reasoning_effort</c>: <c>none</c> turns thinking off; <c>minimal</c> is the least there is (<c>low</c>);
    /// the others are the canonical effort levels, mapped to the profile's controls as the Messages door's
    /// <c>output_config.effort</c> is.
    /// </summary>
    private static (ThinkingConfig? Thinking, string? Effort) ReadReasoningEffort(JsonElement root)
    {
        if (!TryGet(root, "reasoning_effort", out var effort))
        {
            return (null, null);
        }

        if (effort.ValueKind != JsonValueKind.String)
        {
            throw WrongType("reasoning_effort", "a string", effort);
        }

        if (effort.ValueEquals("none"u8))
        {
            return (new ThinkingConfig(ThinkingMode.Disabled, null), null);
        }

        if (effort.ValueEquals("minimal"u8))
        {
            return (null, "low");
        }

        foreach (var known in Efforts)
        {
            if (effort.ValueEquals(known))
            {
                return (null, known);
            }
        }

        throw BadValue("reasoning_effort", effort, "'none', 'minimal', 'low', 'medium', 'high', 'xhigh', and 'max'");
    }

    /// <summary>Asking for audio output or hosted web search cannot be honoured, and the answer would not say so.</summary>
    private static void CheckRefused(JsonElement root)
    {
        if (TryGet(root, "audio", out _))
        {
            throw Unsupported("audio", "Invalid 'audio': audio output is not supported by the models Switchboard serves.");
        }

        if (TryGetArray(root, "modalities", OpenAIPath.Body, out var modalities))
        {
            var index = 0;
            foreach (var modality in modalities.EnumerateArray())
            {
                if (modality.ValueKind != JsonValueKind.String)
                {
                    throw WrongType($"modalities[{index}]", "a string", modality);
                }

                if (!modality.ValueEquals("text"u8))
                {
                    throw Unsupported($"modalities[{index}]",
                        $"Invalid 'modalities[{index}]': only 'text' output is supported by the models Switchboard serves.");
                }

                index++;
            }
        }

        if (TryGet(root, "web_search_options", out _))
        {
            throw Unsupported("web_search_options",
                "Invalid 'web_search_options': hosted web search is not available through Switchboard; offer a search function tool instead.");
        }
    }

    /// <summary>Ignored fields that change what a client expects get a log line; storage and billing tags do not need one.</summary>
    private static void NoteIgnored(JsonElement root, ICollection<string> notes)
    {
        if (OptionalBool(root, "store", OpenAIPath.Body) == true)
        {
            notes.Add("store: stored completions are not kept; ignored");
        }

        if (TryGet(root, "prediction", out _))
        {
            notes.Add("prediction: predicted outputs are a latency hint the upstream does not take; ignored");
        }

        if (TryGet(root, "service_tier", out _))
        {
            notes.Add("service_tier: ignored");
        }
    }

    /// <summary>Every top-level field Switchboard does not know, in the body's order.</summary>
    private static IReadOnlyList<PassThroughField> ReadPassThrough(JsonElement root)
    {
        List<PassThroughField>? fields = null;
        var known = Known.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> name = stackalloc char[64];
        foreach (var property in root.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            if (raw.Length <= name.Length
                && Encoding.UTF8.TryGetChars(raw, name, out var length)
                && known.Contains(name[..length]))
            {
                continue;
            }

            (fields ??= []).Add(new PassThroughField(property.Name, property.Value));
        }

        return fields ?? (IReadOnlyList<PassThroughField>)[];
    }
}

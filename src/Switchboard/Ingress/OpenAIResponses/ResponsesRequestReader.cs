using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.OpenAIFields;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// Reads and validates a <c>POST /v1/responses</c> body into the canonical <see cref="MessageRequest"/> and the
/// <see cref="ResponsesRequestInfo"/> its answer echoes. Every field of OpenAI's API is translated, kept for the echo
/// and the store, ignored on purpose, or refused with a 400 naming it (docs/OPENAI_RESPONSES.md lists which and why).
/// Unknown top-level fields are accepted and not passed on: Codex sends <c>client_metadata</c>, which is its own
/// bookkeeping and would make a model server refuse the request.
/// </summary>
internal static class ResponsesRequestReader
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "model", "input", "instructions", "tools", "tool_choice", "parallel_tool_calls", "max_output_tokens", "max_tool_calls",
        "temperature", "top_p", "top_logprobs", "text", "reasoning", "store", "previous_response_id", "conversation", "include",
        "prompt_cache_key", "prompt_cache_retention", "prompt_cache_options", "truncation", "metadata", "background", "stream",
        "stream_options", "service_tier", "user", "safety_identifier", "prompt", "context_management", "moderation",
    };

    private static readonly string[] Efforts = ["low", "medium", "high", "xhigh", "max"];

    /// <param name="root">The parsed body; JSON values in the results reference its document.</param>
    /// <param name="previousItems">Items carried over from <c>previous_response_id</c>, read before the request's own.</param>
    public static (MessageRequest Request, ResponsesRequestInfo Info) Read(
        JsonElement root, ICollection<string> notes, bool countOnly, ReasoningSeal seal, byte[] thinkingKey, IReadOnlyList<JsonElement> previousItems)
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentNullException.ThrowIfNull(seal);
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

        CheckRefused(root);
        var tools = new ResponsesToolsReader(notes);
        if (TryGetArray(root, "tools", body, out var toolList))
        {
            tools.ReadArray(toolList, OpenAIPath.Root("tools"));
        }

        var input = new ResponsesInputReader(seal, thinkingKey, tools, notes);
        input.ReadInstructions(root);
        input.ReadPrevious(previousItems);
        input.ReadInput(root, required: previousItems.Count == 0);
        var messages = input.Finish();
        var toolChoice = tools.ReadToolChoice(root);
        var reasoning = TryGetObject(root, "reasoning", body, out var reasoningObject) ? reasoningObject : default;
        var (thinking, effort) = ReadEffort(reasoning);
        var include = ReadInclude(root);
        var request = new MessageRequest
        {
            Model = model,
            MaxTokens = null,
            System = input.System,
            Messages = messages,
            Tools = tools.Tools,
            ToolChoice = toolChoice,
            Thinking = thinking,
            Effort = effort,
        };

        var info = new ResponsesRequestInfo
        {
            Model = model,
            Instructions = TryGet(root, "instructions", out var instructions) ? instructions : default,
            Tools = toolList,
            ToolChoice = TryGet(root, "tool_choice", out var choice) ? choice : default,
            Temperature = TryGet(root, "temperature", out var temperature) ? temperature : default,
            TopP = TryGet(root, "top_p", out var topP) ? topP : default,
            MaxOutputTokens = TryGet(root, "max_output_tokens", out var maxOutput) ? maxOutput : default,
            ParallelToolCalls = OptionalBool(root, "parallel_tool_calls", body) ?? true,
            Store = OptionalBool(root, "store", body) ?? true,
            Metadata = TryGetObject(root, "metadata", body, out var metadata) ? metadata : default,
            Text = TryGetObject(root, "text", body, out var text) ? text : default,
            Reasoning = reasoning,
            PreviousResponseId = OptionalString(root, "previous_response_id", body),
            Truncation = ReadTruncation(root, notes),
            User = OptionalString(root, "user", body),
            PromptCacheKey = OptionalString(root, "prompt_cache_key", body),
            ServiceTier = OptionalString(root, "service_tier", body),
            IncludeEncryptedReasoning = include,
            ReasoningAsSummary = reasoning.ValueKind == JsonValueKind.Object && OptionalString(reasoning, "summary", OpenAIPath.Root("reasoning")) is not null,
            SpecialTools = tools.Special,
        };

        NoteUnknown(root, notes);
        return countOnly ? (request, info) : (ReadGeneration(root, request, notes), info);
    }

    private static MessageRequest ReadGeneration(JsonElement root, MessageRequest request, ICollection<string> notes)
    {
        var body = OpenAIPath.Body;
        var maxTokens = OptionalInteger(root, "max_output_tokens", body, min: 16, max: long.MaxValue);
        if (TryGet(root, "top_logprobs", out _) || TryGet(root, "stream_options", out _))
        {
            notes.Add("top_logprobs/stream_options: ignored");
        }

        if (OptionalBool(root, "background", body) == true)
        {
            throw Unsupported("background", "Invalid 'background': background responses are not supported; send the request without it (streaming keeps a long answer alive).");
        }

        return request with
        {
            MaxTokens = maxTokens is { } tokens ? (int)Math.Min(tokens, int.MaxValue) : null,
            Temperature = OptionalNumber(root, "temperature", body, min: 0, max: 2),
            TopP = OptionalNumber(root, "top_p", body, min: 0, max: 1),
            UserId = OptionalString(root, "user", body) ?? OptionalString(root, "safety_identifier", body),
            Stream = OptionalBool(root, "stream", body) ?? false,
            ResponseFormat = ReadFormat(root, notes),
        };
    }

    /// <summary>
    /// <c>reasoning.effort</c>, mapped as Chat Completions' <c>reasoning_effort</c> is: <c>none</c> turns thinking
    /// off, <c>minimal</c> is <c>low</c>, the others are the canonical levels the profile maps to its controls.
    /// </summary>
    private static (ThinkingConfig? Thinking, string? Effort) ReadEffort(JsonElement reasoning)
    {
        if (reasoning.ValueKind != JsonValueKind.Object || !TryGet(reasoning, "effort", out var effort))
        {
            return (null, null);
        }

        if (effort.ValueKind != JsonValueKind.String)
        {
            throw WrongType("reasoning.effort", "a string", effort);
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

        throw BadValue("reasoning.effort", effort, "'none', 'minimal', 'low', 'medium', 'high', 'xhigh', and 'max'");
    }

    /// <summary><c>include</c>: strings; only <c>reasoning.encrypted_content</c> changes the answer.</summary>
    private static bool ReadInclude(JsonElement root)
    {
        if (!TryGetArray(root, "include", OpenAIPath.Body, out var include))
        {
            return false;
        }

        var encrypted = false;
        var index = 0;
        foreach (var entry in include.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.String)
            {
                throw WrongType($"include[{index}]", "a string", entry);
            }

            encrypted |= entry.ValueEquals("reasoning.encrypted_content"u8);
            index++;
        }

        return encrypted;
    }

    private static string? ReadTruncation(JsonElement root, ICollection<string> notes)
    {
        if (OptionalString(root, "truncation", OpenAIPath.Body) is not { } truncation)
        {
            return null;
        }

        if (truncation == "auto")
        {
            notes.Add("truncation 'auto': the conversation is not shortened; a request over the context window is refused");
        }
        else if (truncation != "disabled")
        {
            throw BadValue("truncation", root.GetProperty("truncation"), "'auto' and 'disabled'");
        }

        return truncation;
    }

    /// <summary><c>text.format</c>: <c>text</c>, <c>json_object</c>, or a flat <c>json_schema</c>; <c>text.verbosity</c> is echoed only.</summary>
    private static ResponseFormat? ReadFormat(JsonElement root, ICollection<string> notes)
    {
        if (!TryGetObject(root, "text", OpenAIPath.Body, out var text))
        {
            return null;
        }

        var textAt = OpenAIPath.Root("text");
        if (OptionalString(text, "verbosity", textAt) is { } verbosity)
        {
            if (verbosity is not ("low" or "medium" or "high"))
            {
                throw BadValue("text.verbosity", text.GetProperty("verbosity"), "'low', 'medium', and 'high'");
            }

            notes.Add("text.verbosity: no model control for it; ignored");
        }

        if (!TryGetObject(text, "format", textAt, out var format))
        {
            return null;
        }

        var at = textAt.Child("format");
        var type = RequiredType(format, at);
        if (type.ValueEquals("text"u8))
        {
            return null;
        }

        if (type.ValueEquals("json_object"u8))
        {
            return new ResponseFormat(ResponseFormatKind.JsonObject);
        }

        if (!type.ValueEquals("json_schema"u8))
        {
            throw BadValue(at.Name("type"), type, "'text', 'json_object', and 'json_schema'");
        }

        return new ResponseFormat(ResponseFormatKind.JsonSchema)
        {
            Name = RequiredString(format, "name", at),
            Description = OptionalString(format, "description", at),
            Schema = TryGetObject(format, "schema", at, out var schema) ? schema : throw Missing(at.Name("schema")),
            Strict = OptionalBool(format, "strict", at),
        };
    }

    /// <summary>Features with no equivalent whose absence would change the answer: refused, naming the field.</summary>
    private static void CheckRefused(JsonElement root)
    {
        if (TryGet(root, "conversation", out _))
        {
            throw Unsupported("conversation", "Invalid 'conversation': the Conversations API is not supported; continue with 'previous_response_id' or send the items.");
        }

        if (TryGet(root, "prompt", out _))
        {
            throw Unsupported("prompt", "Invalid 'prompt': stored prompt templates are not supported; send 'instructions' and 'input'.");
        }
    }

    /// <summary>Accepted fields with no effect, and unknown ones, get one log line (names only).</summary>
    private static void NoteUnknown(JsonElement root, ICollection<string> notes)
    {
        List<string>? unknown = null;
        foreach (var property in root.EnumerateObject())
        {
            if (!Known.Contains(property.Name))
            {
                (unknown ??= []).Add(Clip(property.Name));
            }
        }

        if (unknown is not null)
        {
            notes.Add($"unknown fields ignored: {string.Join(", ", unknown)}");
        }
    }
}

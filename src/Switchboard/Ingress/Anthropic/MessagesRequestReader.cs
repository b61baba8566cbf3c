using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.Anthropic.RequestFields;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Reads and validates a <c>POST /v1/messages</c> (or <c>/v1/messages/count_tokens</c>) body into the canonical
/// <see cref="MessageRequest"/>, walking the parsed document directly. Unknown top-level fields and beta features
/// Switchboard cannot act on (<c>service_tier</c>, <c>container</c>, <c>mcp_servers</c>,
/// <c>cache_control</c> …) are accepted and dropped: clients move faster than the spec, and a 400 there breaks them.
/// </summary>
public static class MessagesRequestReader
{
    /// <param name="root">The parsed body. Tool schemas in the result reference its document, which the caller keeps alive.</param>
    /// <param name="notes">Receives the reader's decisions worth logging.</param>
    /// <param name="countTokens">
    /// The count_tokens endpoint: <c>max_tokens</c> is not required and the generation-only fields are ignored.
    /// </param>
    public static MessageRequest Read(JsonElement root, RequestReadNotes notes, bool countTokens = false)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ApiException(ApiErrorKind.InvalidRequest, "Request body must be a JSON object");
        }

        var body = FieldPath.Body;
        var model = RequiredString(root, "model", body);
        if (model.Length == 0)
        {
            throw Invalid("model", "String should have at least 1 character");
        }

        var generates = !countTokens;
        var maxTokens = generates ? RequiredInteger(root, "max_tokens", body, min: 1) : 0;
        var messages = ConversationReader.Read(root, notes);
        var system = SystemPromptReader.Read(root, notes);
        var tools = ToolsReader.ReadTools(root, out var rawTools, out var toolsSource);
        var thinking = ThinkingReader.ReadThinking(root);
        return new MessageRequest
        {
            Model = model,
            MaxTokens = maxTokens,
            Messages = messages,
            SystemBlocks = system,
            Tools = tools,
            ToolsSource = toolsSource,
            RawTools = rawTools,
            ToolChoice = ToolsReader.ReadToolChoice(root),
            Thinking = thinking,
            ContextManagement = ContextManagementReader.Read(root, thinking),
            Effort = ThinkingReader.ReadEffort(root),
            ResponseFormat = generates ? ThinkingReader.ReadFormat(root) : null,
            Temperature = generates ? OptionalNumber(root, "temperature", body, min: 0, max: 1) : null,
            TopP = generates ? OptionalNumber(root, "top_p", body, min: 0, max: 1) : null,
            TopK = generates ? OptionalInteger(root, "top_k", body, min: 0) : null,
            StopSequences = generates ? ReadStopSequences(root) : [],
            UserId = generates ? ReadUserId(root) : null,
            Stream = generates && (OptionalBool(root, "stream", body) ?? false),
        };
    }

    private static IReadOnlyList<string> ReadStopSequences(JsonElement root)
    {
        if (!TryGetArray(root, "stop_sequences", FieldPath.Body, out var array) || array.GetArrayLength() == 0)
        {
            return [];
        }

        var sequences = new List<string>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw Invalid($"stop_sequences.{index}", "Input should be a valid string");
            }

            sequences.Add(item.GetString()!);
            index++;
        }

        return sequences;
    }

    /// <summary><c>metadata</c> may carry keys other than <c>user_id</c>; they are ignored.</summary>
    private static string? ReadUserId(JsonElement root) =>
        TryGetObject(root, "metadata", FieldPath.Body, out var metadata)
            ? OptionalString(metadata, "user_id", FieldPath.Root("metadata"))
            : null;
}

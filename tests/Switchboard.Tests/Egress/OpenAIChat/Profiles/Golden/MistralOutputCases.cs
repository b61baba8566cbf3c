namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>
/// Mistral, Devstral and Mixtral <c>[TOOL_CALLS]</c> output in both tokenizer generations, written from mistral-common's
/// tokenizers and vLLM's Mistral tool parser.
/// </summary>
internal static class MistralOutputCases
{
    public static Dictionary<string, ProfileOutputCase> All { get; } = new()
    {
        ["mistral: text, then a call (v11 and later)"] = new(
            "mistral",
            "Let me check.[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Paris\", \"days\": 2}",
            ["text: Let me check.", "tool toolu_* get_weather: {\"city\": \"Paris\", \"days\": 2}", "stop: ToolUse"]),

        ["mistral: two calls, one with Mistral's call id"] = new(
            "mistral",
            "[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Köln\"}[TOOL_CALLS]search[CALL_ID]a1B2c3D4e[ARGS]{\"query\": \"Köln [Dom]\", \"filters\": {\"lang\": \"de\"}, \"exact\": true}",
            ["tool toolu_* get_weather: {\"city\": \"Köln\"}", "tool toolu_* search: {\"query\": \"Köln [Dom]\", \"filters\": {\"lang\": \"de\"}, \"exact\": true}", "stop: ToolUse"]),

        ["mistral: a JSON array of calls (before v11)"] = new(
            "mistral",
            "[TOOL_CALLS] [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}, {\"name\": \"write_file\", \"arguments\": {\"path\": \"é.txt\", \"content\": \"]\"}}]",
            ["tool toolu_* get_weather: {\"city\": \"Paris\"}", "tool toolu_* write_file: {\"path\": \"é.txt\", \"content\": \"]\"}", "stop: ToolUse"]),

        ["mistral: plain answer with brackets"] = new(
            "mistral",
            "Use [x] or [TOOL] — both are fine 👍",
            ["text: Use [x] or [TOOL] — both are fine 👍", "stop: EndTurn"]),

        ["mistral: the marker in prose stays text"] = new(
            "mistral",
            "The [TOOL_CALLS] token starts calls.",
            ["text: The [TOOL_CALLS] token starts calls.", "stop: EndTurn"]),

        ["mistral: arguments that are not JSON stay text"] = new(
            "mistral",
            "[TOOL_CALLS]get_weather[ARGS]{\"city\": Paris}",
            ["text: [TOOL_CALLS]get_weather[ARGS]{\"city\": Paris}", "stop: EndTurn"]),

        ["mistral: call cut short by the token limit stays text"] = new(
            "mistral",
            "Sure.[TOOL_CALLS]write_file[ARGS]{\"path\": \"a.txt\", \"content\": \"half a fi",
            ["text: Sure.[TOOL_CALLS]write_file[ARGS]{\"path\": \"a.txt\", \"content\": \"half a fi", "stop: EndTurn"]),
    };
}

using Switchboard.Canonical;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>Kimi K2, K2 Thinking and K2.5 output, written from Moonshot's tool-calling guide and vLLM's Kimi K2 parser.</summary>
internal static class KimiOutputCases
{
    public static Dictionary<string, ProfileOutputCase> All { get; } = new()
    {
        ["kimi-k2: text, then a call in a section"] = new(
            "kimi-k2",
            "Let me check.<|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>{\"city\": \"Paris\", \"days\": 2}<|tool_call_end|><|tool_calls_section_end|>",
            ["text: Let me check.", "tool toolu_* get_weather: {\"city\": \"Paris\", \"days\": 2}", "stop: ToolUse"]),

        ["kimi-k2: two calls with whitespace between the markers"] = new(
            "kimi-k2",
            "<|tool_calls_section_begin|>\n<|tool_call_begin|>functions.search:0<|tool_call_argument_begin|>{\"query\": \"Zürich\", \"filters\": {\"lang\": \"de\"}, \"exact\": true}<|tool_call_end|>\n"
            + "<|tool_call_begin|>functions.get_weather:1<|tool_call_argument_begin|> {\"city\": \"Zürich\"} <|tool_call_end|>\n<|tool_calls_section_end|>",
            [
                "tool toolu_* search: {\"query\": \"Zürich\", \"filters\": {\"lang\": \"de\"}, \"exact\": true}",
                "tool toolu_* get_weather: {\"city\": \"Zürich\"}",
                "stop: ToolUse",
            ]),

        ["kimi-k2: no tool needed, plain answer"] = new(
            "kimi-k2",
            "Hello! 👋 Kimi here.",
            ["text: Hello! 👋 Kimi here.", "stop: EndTurn"]),

        ["kimi-k2: arguments that are not JSON stay text"] = new(
            "kimi-k2",
            "<|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>{\"city\": Paris}<|tool_call_end|><|tool_calls_section_end|>",
            ["text: <|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>{\"city\": Paris}<|tool_call_end|><|tool_calls_section_end|>", "stop: EndTurn"]),

        ["kimi-k2: call cut short by the token limit stays text"] = new(
            "kimi-k2",
            "Sure.<|tool_calls_section_begin|><|tool_call_begin|>functions.write_file:0<|tool_call_argument_begin|>{\"path\": \"a.txt\", \"content\": \"half a fi",
            ["text: Sure.<|tool_calls_section_begin|><|tool_call_begin|>functions.write_file:0<|tool_call_argument_begin|>{\"path\": \"a.txt\", \"content\": \"half a fi", "stop: EndTurn"]),

        ["kimi-k2-thinking: thinking, text and two calls"] = new(
            "kimi-k2-thinking",
            "<think>Two cities: Paris and 東京.</think>Checking both.<|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>{\"city\": \"Paris\"}<|tool_call_end|>"
            + "<|tool_call_begin|>functions.get_weather:1<|tool_call_argument_begin|>{\"city\": \"東京\"}<|tool_call_end|><|tool_calls_section_end|>",
            ["thinking: Two cities: Paris and 東京.", "text: Checking both.", "tool toolu_* get_weather: {\"city\": \"Paris\"}", "tool toolu_* get_weather: {\"city\": \"東京\"}", "stop: ToolUse"]),

        ["kimi-k2-thinking: thinking, then the answer"] = new(
            "kimi-k2-thinking",
            "<think>\nNo tool needed.\n</think>\n\nIt is 18°C.",
            ["thinking: No tool needed.\n", "text: It is 18°C.", "stop: EndTurn"]),

        ["kimi-k2.5: thinking then a call, section markers in the singular"] = new(
            "kimi-k2.5",
            "<think>Weather for Oslo.</think><|tool_call_section_begin|><|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>{\"city\": \"Oslo\"}<|tool_call_end|><|tool_call_section_end|>",
            ["thinking: Weather for Oslo.", "tool toolu_* get_weather: {\"city\": \"Oslo\"}", "stop: ToolUse"]),

        ["kimi-k2.5: thinking switched off, plain answer"] = new(
            "kimi-k2.5",
            "Just the answer.",
            ["text: Just the answer.", "stop: EndTurn"],
            ThinkingMode.Disabled),
    };
}

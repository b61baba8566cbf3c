using Switchboard.Canonical;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>
/// One answer in two forms: raw markup, as a server without parsers returns it, and the fields a server with the
/// family's reasoning and tool parsers returns (<c>reasoning_content</c>, <c>content</c>, <c>tool_calls</c>).
/// </summary>
internal sealed record ParsedAndRawCase(
    string Profile, string Raw, string? Reasoning, string? Content, string ToolName, string ToolArguments, string[] Expected,
    ThinkingMode? Thinking = null)
{
    /// <summary>The parsed form's <c>tool_calls</c> array, arguments as a JSON string like servers send them.</summary>
    public string ToolCallsJson => $$$"""[{"index":0,"id":"call_0a1b","type":"function","function":{"name":"{{{ToolName}}}","arguments":{{{System.Text.Json.JsonSerializer.Serialize(ToolArguments)}}}}}]""";

    public static Dictionary<string, ParsedAndRawCase> All { get; } = new()
    {
        ["gpt-oss"] = new(
            "gpt-oss",
            "<|channel|>analysis<|message|>Weather tool for Paris.<|end|><|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{\"city\":\"Paris\"}<|call|>",
            "Weather tool for Paris.", null, "get_weather", "{\"city\": \"Paris\"}",
            ["thinking: Weather tool for Paris.", "tool toolu_* get_weather: {\"city\":\"Paris\"}", "stop: ToolUse"]),
        ["minimax-m2"] = new(
            "minimax-m2",
            "Weather tool for Paris.\n</think>\n\nChecking.\n<minimax:tool_call>\n<invoke name=\"get_weather\">\n<parameter name=\"city\">Paris</parameter>\n<parameter name=\"days\">2</parameter>\n</invoke>\n</minimax:tool_call>",
            "Weather tool for Paris.\n", "\n\nChecking.\n", "get_weather", "{\"city\": \"Paris\", \"days\": 2}",
            ["thinking: Weather tool for Paris.", "text: Checking.", "tool toolu_* get_weather: {\"city\":\"Paris\",\"days\":2}", "stop: ToolUse"]),
        ["qwen3"] = new(
            "qwen3",
            "<think>\nWeather tool for Paris.\n</think>\n\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>",
            "\nWeather tool for Paris.\n", "\n\n", "get_weather", "{\"city\": \"Paris\"}",
            ["thinking: Weather tool for Paris.", "tool toolu_* get_weather: {\"city\":\"Paris\"}", "stop: ToolUse"]),
        ["qwen3-coder"] = new(
            "qwen3-coder",
            "Writing it.\n<tool_call>\n<function=write_file>\n<parameter=path>\nnotes.md\n</parameter>\n<parameter=content>\n# Notes\n</parameter>\n</function>\n</tool_call>",
            null, "Writing it.\n", "write_file", "{\"path\": \"notes.md\", \"content\": \"# Notes\"}",
            ["text: Writing it.", "tool toolu_* write_file: {\"path\":\"notes.md\",\"content\":\"# Notes\"}", "stop: ToolUse"]),
        ["hermes"] = new(
            "hermes",
            "<tool_call>\n{\"name\": \"search\", \"arguments\": {\"query\": \"qwen\", \"max_results\": 2}}\n</tool_call>",
            null, null, "search", "{\"query\": \"qwen\", \"max_results\": 2}",
            ["tool toolu_* search: {\"query\":\"qwen\",\"max_results\":2}", "stop: ToolUse"]),
        ["deepseek-r1"] = new(
            "deepseek-r1",
            "Weather tool for 北京.\n</think>\n\n<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{\"city\": \"北京\"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
            "Weather tool for 北京.\n", "\n\n", "get_weather", "{\"city\": \"北京\"}",
            ["thinking: Weather tool for 北京.", "tool toolu_* get_weather: {\"city\":\"北京\"}", "stop: ToolUse"]),
        ["deepseek-v3.1"] = new(
            "deepseek-v3.1",
            "Weather tool for Paris.</think>Checking.<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>get_weather<｜tool▁sep｜>{\"city\": \"Paris\"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
            "Weather tool for Paris.", "Checking.", "get_weather", "{\"city\": \"Paris\"}",
            ["thinking: Weather tool for Paris.", "text: Checking.", "tool toolu_* get_weather: {\"city\":\"Paris\"}", "stop: ToolUse"],
            ThinkingMode.Enabled),
        ["glm-4.5"] = new(
            "glm-4.5",
            "<think>Weather tool for Paris.</think>\nChecking.\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Paris</arg_value>\n<arg_key>days</arg_key>\n<arg_value>2</arg_value>\n</tool_call>",
            "Weather tool for Paris.", "\nChecking.\n", "get_weather", "{\"city\": \"Paris\", \"days\": 2}",
            ["thinking: Weather tool for Paris.", "text: Checking.", "tool toolu_* get_weather: {\"city\":\"Paris\",\"days\":2}", "stop: ToolUse"]),
        ["glm-4.7"] = new(
            "glm-4.7",
            "Weather tool for Paris.</think><tool_call>get_weather<arg_key>city</arg_key><arg_value>Paris</arg_value></tool_call>",
            "Weather tool for Paris.", null, "get_weather", "{\"city\": \"Paris\"}",
            ["thinking: Weather tool for Paris.", "tool toolu_* get_weather: {\"city\":\"Paris\"}", "stop: ToolUse"]),
        ["kimi-k2-thinking"] = new(
            "kimi-k2-thinking",
            "<think>Weather tool for 東京.</think>Checking.<|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>{\"city\": \"東京\"}<|tool_call_end|><|tool_calls_section_end|>",
            "Weather tool for 東京.", "Checking.", "get_weather", "{\"city\": \"東京\"}",
            ["thinking: Weather tool for 東京.", "text: Checking.", "tool toolu_* get_weather: {\"city\":\"東京\"}", "stop: ToolUse"]),
        ["kimi-k2.5"] = new(
            "kimi-k2.5",
            "<think>Weather tool for Paris.</think><|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>{\"city\": \"Paris\", \"days\": 2}<|tool_call_end|><|tool_calls_section_end|>",
            "Weather tool for Paris.", null, "get_weather", "{\"city\": \"Paris\", \"days\": 2}",
            ["thinking: Weather tool for Paris.", "tool toolu_* get_weather: {\"city\":\"Paris\",\"days\":2}", "stop: ToolUse"],
            ThinkingMode.Enabled),
    };
}

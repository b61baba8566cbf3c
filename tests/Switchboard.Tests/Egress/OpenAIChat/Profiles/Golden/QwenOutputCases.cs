using Switchboard.Canonical;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>Qwen3, Qwen3-Coder and Qwen2.5/Hermes output, written from the models' chat templates and vLLM's parsers.</summary>
internal static class QwenOutputCases
{
    public static Dictionary<string, ProfileOutputCase> All { get; } = new()
    {
        ["qwen3: thinking then a JSON tool call"] = new(
            "qwen3",
            "<think>\nNeed the weather.\n</think>\n\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"days\": 2}}\n</tool_call>",
            ["thinking: Need the weather.\n", "tool toolu_* get_weather: {\"city\": \"Paris\", \"days\": 2}", "stop: ToolUse"]),

        ["qwen3: text and two calls"] = new(
            "qwen3",
            "Sure.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Lima\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\": \\\"Quito\\\"}\"}\n</tool_call>",
            ["text: Sure.", "tool toolu_* get_weather: {\"city\": \"Lima\"}", "tool toolu_* get_weather: {\"city\": \"Quito\"}", "stop: ToolUse"]),

        ["qwen3: thinking switched off, plain answer"] = new(
            "qwen3",
            "Hello! 👋 How can I help?",
            ["text: Hello! 👋 How can I help?", "stop: EndTurn"],
            ThinkingMode.Disabled),

        ["qwen3: broken JSON and a tag in prose stay text"] = new(
            "qwen3",
            "Use the <tool_call> tag.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": }\n</tool_call>",
            ["text: Use the <tool_call> tag.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": }\n</tool_call>", "stop: EndTurn"]),

        ["qwen3: a tag mentioned in prose before a real call"] = new(
            "qwen3",
            "Calls go in a <tool_call> tag:\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Lima\"}}\n</tool_call>",
            ["text: Calls go in a <tool_call> tag:", "tool toolu_* get_weather: {\"city\": \"Lima\"}", "stop: ToolUse"]),

        ["qwen3-coder: XML call with code in a parameter"] = new(
            "qwen3-coder",
            "I'll write the file.\n<tool_call>\n<function=write_file>\n<parameter=path>\nsrc/app.py\n</parameter>\n<parameter=content>\ndef main():\n    print(\"héllo <b>\")\n</parameter>\n</function>\n</tool_call>",
            ["text: I'll write the file.", "tool toolu_* write_file: {\"path\":\"src/app.py\",\"content\":\"def main():\\n    print(\\\"héllo <b>\\\")\"}", "stop: ToolUse"]),

        ["qwen3-coder: typed parameters, one without its closing tag"] = new(
            "qwen3-coder",
            "<tool_call>\n<function=search>\n<parameter=query>\nfoo bar\n</parameter>\n<parameter=max_results>\n10\n</parameter>\n<parameter=exact>\nfalse\n</function>\n</tool_call>",
            ["tool toolu_* search: {\"query\":\"foo bar\",\"max_results\":10,\"exact\":false}", "stop: ToolUse"]),

        ["qwen3-coder: function without the tool_call wrapper"] = new(
            "qwen3-coder",
            "<function=get_weather>\n<parameter=city>\nRome\n</parameter>\n</function>",
            ["tool toolu_* get_weather: {\"city\":\"Rome\"}", "stop: ToolUse"]),

        ["qwen3-coder: malformed function stays text"] = new(
            "qwen3-coder",
            "<tool_call>\n<function=get_weather\n</tool_call> ok",
            ["text: <tool_call>\n<function=get_weather\n</tool_call> ok", "stop: EndTurn"]),

        ["hermes: Qwen2.5 tool call"] = new(
            "hermes",
            "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Berlin\"}}\n</tool_call>",
            ["tool toolu_* get_weather: {\"city\": \"Berlin\"}", "stop: ToolUse"]),

        ["qwen3.5: thinking opened by the template, XML call with a typed parameter"] = new(
            "qwen3.5",
            "Need the weather in Lima.\n</think>\n\n<tool_call>\n<function=get_weather>\n<parameter=city>\nLima\n</parameter>\n<parameter=days>\n2\n</parameter>\n</function>\n</tool_call>",
            ["thinking: Need the weather in Lima.\n", "tool toolu_* get_weather: {\"city\":\"Lima\",\"days\":2}", "stop: ToolUse"]),

        ["qwen3.5: thinking switched off, the answer is text"] = new(
            "qwen3.5",
            "¡Hola! Plain answer.",
            ["text: ¡Hola! Plain answer.", "stop: EndTurn"],
            ThinkingMode.Disabled),

        ["qwen3-thinking: thinking opened by the template, JSON call"] = new(
            "qwen3-thinking",
            "Weather for Kraków.\n</think>\n\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Kraków\"}}\n</tool_call>",
            ["thinking: Weather for Kraków.\n", "tool toolu_* get_weather: {\"city\": \"Kraków\"}", "stop: ToolUse"]),

        ["qwen3-instruct: text and a JSON call, no thinking"] = new(
            "qwen3-instruct",
            "Sure.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Lima\"}}\n</tool_call>",
            ["text: Sure.", "tool toolu_* get_weather: {\"city\": \"Lima\"}", "stop: ToolUse"]),

        ["qwq: thinking opened by the template, then the answer"] = new(
            "qwq",
            "Two plus two is four.\n</think>\n\nIt is 4.",
            ["thinking: Two plus two is four.\n", "text: It is 4.", "stop: EndTurn"]),
    };
}

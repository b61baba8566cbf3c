using Switchboard.Canonical;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>GLM-4.5, 4.6 and 4.7 output, written from Zhipu's chat templates and vLLM's GLM-4.5 tool parser.</summary>
internal static class GlmOutputCases
{
    public static Dictionary<string, ProfileOutputCase> All { get; } = new()
    {
        ["glm-4.5: thinking, text, a call with a typed argument"] = new(
            "glm-4.5",
            "<think>The user wants the weather in Paris for 3 days.</think>\nLet me check.\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Paris</arg_value>\n<arg_key>days</arg_key>\n<arg_value>3</arg_value>\n</tool_call>",
            ["thinking: The user wants the weather in Paris for 3 days.", "text: Let me check.", "tool toolu_* get_weather: {\"city\":\"Paris\",\"days\":3}", "stop: ToolUse"]),

        ["glm-4.5: two calls, objects, booleans, arrays and a number kept a string"] = new(
            "glm-4.5",
            "<think>Two lookups about 東京.</think>\n<tool_call>search\n<arg_key>query</arg_key>\n<arg_value>東京 天気</arg_value>\n<arg_key>max_results</arg_key>\n<arg_value>5</arg_value>\n"
            + "<arg_key>filters</arg_key>\n<arg_value>{\"lang\": \"ja\"}</arg_value>\n<arg_key>exact</arg_key>\n<arg_value>true</arg_value>\n<arg_key>tags</arg_key>\n<arg_value>[\"a\", \"b\"]</arg_value>\n</tool_call>\n"
            + "<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>2046</arg_value>\n</tool_call>",
            [
                "thinking: Two lookups about 東京.",
                "tool toolu_* search: {\"query\":\"東京 天気\",\"max_results\":5,\"filters\":{\"lang\":\"ja\"},\"exact\":true,\"tags\":[\"a\",\"b\"]}",
                "tool toolu_* get_weather: {\"city\":\"2046\"}",
                "stop: ToolUse",
            ]),

        ["glm-4.5: code with angle brackets in a value"] = new(
            "glm-4.5",
            "<think>Write it.</think>\n<tool_call>write_file\n<arg_key>path</arg_key>\n<arg_value>a.py</arg_value>\n<arg_key>content</arg_key>\n<arg_value>if a < b:\n    print(\"<ok>\")\n</arg_value>\n</tool_call>",
            ["thinking: Write it.", "tool toolu_* write_file: {\"path\":\"a.py\",\"content\":\"if a < b:\\n    print(\\\"<ok>\\\")\\n\"}", "stop: ToolUse"]),

        ["glm-4.5: thinking switched off, plain answer"] = new(
            "glm-4.5",
            "Hello! 你好，有什么可以帮你？",
            ["text: Hello! 你好，有什么可以帮你？", "stop: EndTurn"],
            ThinkingMode.Disabled),

        ["glm-4.5: a value without its tags stays text"] = new(
            "glm-4.5",
            "<think>Plan.</think>Try <tool_call>get_weather\n<arg_key>city</arg_key>\nParis\n</tool_call> later.",
            ["thinking: Plan.", "text: Try <tool_call>get_weather\n<arg_key>city</arg_key>\nParis\n</tool_call> later.", "stop: EndTurn"]),

        ["glm-4.5: a complete call whose closing tag the server cut is a call"] = new(
            "glm-4.5",
            "<think>Plan.</think>\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Paris</arg_value>\n",
            ["thinking: Plan.", "tool toolu_* get_weather: {\"city\":\"Paris\"}", "stop: ToolUse"]),

        ["glm-4.5: call cut short by the token limit stays text"] = new(
            "glm-4.5",
            "<think>Plan.</think>\n<tool_call>write_file\n<arg_key>path</arg_key>\n<arg_value>a.txt</arg_value>\n<arg_key>content</arg_key>\n<arg_value>half a fi",
            ["thinking: Plan.", "text: <tool_call>write_file\n<arg_key>path</arg_key>\n<arg_value>a.txt</arg_value>\n<arg_key>content</arg_key>\n<arg_value>half a fi", "stop: EndTurn"]),

        ["glm-4.7: thinking opened by the template, text and a compact call"] = new(
            "glm-4.7",
            "Oslo, two days.</think>Checking.<tool_call>get_weather<arg_key>city</arg_key><arg_value>Oslo</arg_value><arg_key>days</arg_key><arg_value>2</arg_value></tool_call>",
            ["thinking: Oslo, two days.", "text: Checking.", "tool toolu_* get_weather: {\"city\":\"Oslo\",\"days\":2}", "stop: ToolUse"]),

        ["glm-4.7: thinking switched off, the answer is text"] = new(
            "glm-4.7",
            "Plain answer, no thinking: ça va.",
            ["text: Plain answer, no thinking: ça va.", "stop: EndTurn"],
            ThinkingMode.Disabled),
    };
}

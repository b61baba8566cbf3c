using Switchboard.Canonical;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>DeepSeek R1, V3 and V3.1 output, written from DeepSeek's chat templates and the vLLM and llama.cpp parsers.</summary>
internal static class DeepSeekOutputCases
{
    public static Dictionary<string, ProfileOutputCase> All { get; } = new()
    {
        ["deepseek-r1: thinking opened by the template, fenced call"] = new(
            "deepseek-r1",
            "The user asks about 北京.\n</think>\n\n<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{\"city\": \"北京\"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
            ["thinking: The user asks about 北京.\n", "tool toolu_* get_weather: {\"city\": \"北京\"}", "stop: ToolUse"]),

        ["deepseek-v3.1: thinking, text and two calls"] = new(
            "deepseek-v3.1",
            "Two cities.</think>Let me check.<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>get_weather<｜tool▁sep｜>{\"city\": \"Paris\"}<｜tool▁call▁end｜>"
            + "<｜tool▁call▁begin｜>get_weather<｜tool▁sep｜>{\"city\": \"Nice\"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
            ["thinking: Two cities.", "text: Let me check.", "tool toolu_* get_weather: {\"city\": \"Paris\"}", "tool toolu_* get_weather: {\"city\": \"Nice\"}", "stop: ToolUse"],
            ThinkingMode.Enabled),

        ["deepseek-v3.1: thinking not asked for, plain answer"] = new(
            "deepseek-v3.1",
            "Hello there.",
            ["text: Hello there.", "stop: EndTurn"]),

        ["deepseek-v3: fenced call without the outer markers"] = new(
            "deepseek-v3",
            "Checking.\n<｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{\"city\":\"Rome\"}\n```<｜tool▁call▁end｜>",
            ["text: Checking.", "tool toolu_* get_weather: {\"city\":\"Rome\"}", "stop: ToolUse"]),

        ["deepseek-v3: unterminated arguments stay text"] = new(
            "deepseek-v3",
            "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{\"city\":\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
            ["text: <｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{\"city\":\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>", "stop: EndTurn"]),
    };
}

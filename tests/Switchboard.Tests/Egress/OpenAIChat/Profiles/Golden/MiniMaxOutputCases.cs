namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>MiniMax M2.x output (the template opens <c>&lt;think&gt;</c>), written from MiniMax's tool-calling guide.</summary>
internal static class MiniMaxOutputCases
{
    public static Dictionary<string, ProfileOutputCase> All { get; } = new()
    {
        ["minimax: thinking, text, tool call with a typed parameter"] = new(
            "minimax-m2",
            "The user wants the weather in Paris.\n</think>\n\nLet me check.\n<minimax:tool_call>\n<invoke name=\"get_weather\">\n<parameter name=\"city\">Paris</parameter>\n<parameter name=\"days\">3</parameter>\n</invoke>\n</minimax:tool_call>",
            ["thinking: The user wants the weather in Paris.\n", "text: Let me check.", "tool toolu_* get_weather: {\"city\":\"Paris\",\"days\":3}", "stop: ToolUse"]),

        ["minimax: opening tag repeated by the server"] = new(
            "minimax-m2",
            "<think>\nPlan in 日本語.\n</think>\n\nDone: 完了.",
            ["thinking: Plan in 日本語.\n", "text: Done: 完了.", "stop: EndTurn"]),

        ["minimax: two invokes, objects, booleans and arrays"] = new(
            "minimax-m2",
            "Two lookups.</think>\n<minimax:tool_call>\n<invoke name=\"search\">\n<parameter name=\"query\">rust async</parameter>\n<parameter name=\"max_results\">5</parameter>\n"
            + "<parameter name=\"filters\">{\"lang\": \"en\"}</parameter>\n<parameter name=\"exact\">true</parameter>\n<parameter name=\"tags\">[\"a\", \"b\"]</parameter>\n</invoke>\n"
            + "<invoke name='get_weather'>\n<parameter name='city'>Tōkyō</parameter>\n</invoke>\n</minimax:tool_call>",
            [
                "thinking: Two lookups.",
                "tool toolu_* search: {\"query\":\"rust async\",\"max_results\":5,\"filters\":{\"lang\":\"en\"},\"exact\":true,\"tags\":[\"a\",\"b\"]}",
                "tool toolu_* get_weather: {\"city\":\"Tōkyō\"}",
                "stop: ToolUse",
            ]),

        ["minimax: malformed markup stays text"] = new(
            "minimax-m2",
            "Plan.</think>Try <minimax:tool_call><invoke name=\"get_weather\"><parameter name=\"city\">Paris</invoke></minimax:tool_call> later.",
            ["thinking: Plan.", "text: Try <minimax:tool_call><invoke name=\"get_weather\"><parameter name=\"city\">Paris</invoke></minimax:tool_call> later.", "stop: EndTurn"]),

        ["minimax: call cut short by the token limit stays text"] = new(
            "minimax-m2",
            "Plan.</think>\n<minimax:tool_call>\n<invoke name=\"write_file\">\n<parameter name=\"path\">a.txt</parameter>\n<parameter name=\"content\">half a fi",
            ["thinking: Plan.", "text: <minimax:tool_call>\n<invoke name=\"write_file\">\n<parameter name=\"path\">a.txt</parameter>\n<parameter name=\"content\">half a fi", "stop: EndTurn"]),
    };
}

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>gpt-oss Harmony output, written from the Harmony format's documentation.</summary>
internal static class GptOssOutputCases
{
    public static Dictionary<string, ProfileOutputCase> All { get; } = new()
    {
        ["gpt-oss: analysis then final"] = new(
            "gpt-oss",
            "<|channel|>analysis<|message|>The user asks about Paris. No tool needed.<|end|><|start|>assistant<|channel|>final<|message|>It is sunny in Paris ☀️ today.<|return|>",
            ["thinking: The user asks about Paris. No tool needed.", "text: It is sunny in Paris ☀️ today.", "stop: EndTurn"]),

        ["gpt-oss: tool call in the channel header, call token cut by the server"] = new(
            "gpt-oss",
            "<|channel|>analysis<|message|>Need the weather tool for Zürich.<|end|><|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{\"city\":\"Zürich\",\"days\":2}",
            ["thinking: Need the weather tool for Zürich.", "tool toolu_* get_weather: {\"city\":\"Zürich\",\"days\":2}", "stop: ToolUse"]),

        ["gpt-oss: recipient in the role header"] = new(
            "gpt-oss",
            " to=functions.search<|channel|>commentary json<|message|>{\"query\":\"harmony format\",\"max_results\":3}<|call|>",
            ["tool toolu_* search: {\"query\":\"harmony format\",\"max_results\":3}", "stop: ToolUse"]),

        ["gpt-oss: preamble, then two calls"] = new(
            "gpt-oss",
            "<|channel|>analysis<|message|>Two cities.<|end|><|start|>assistant<|channel|>commentary<|message|>Checking both cities.<|end|>"
            + "<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{\"city\":\"Oslo\"}<|call|>"
            + "<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{\"city\":\"Bergen\"}<|call|>",
            ["thinking: Two cities.", "text: Checking both cities.", "tool toolu_* get_weather: {\"city\":\"Oslo\"}", "tool toolu_* get_weather: {\"city\":\"Bergen\"}", "stop: ToolUse"]),

        ["gpt-oss: arguments that are not JSON come back as text"] = new(
            "gpt-oss",
            "<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{\"city\": Paris}<|call|>",
            ["text: {\"city\": Paris}", "stop: EndTurn"]),

        ["gpt-oss: text the server already parsed passes unchanged"] = new(
            "gpt-oss",
            "Plain answer: a <| b, and to= stays.",
            ["text: Plain answer: a <| b, and to= stays.", "stop: EndTurn"]),
    };
}

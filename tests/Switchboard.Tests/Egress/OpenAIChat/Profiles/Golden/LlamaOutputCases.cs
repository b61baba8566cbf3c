namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>Llama 3.1–3.3 JSON tool calls, written from Meta's prompt-format guide and vLLM's llama3_json parser.</summary>
internal static class LlamaOutputCases
{
    public static Dictionary<string, ProfileOutputCase> All { get; } = new()
    {
        ["llama3: the whole answer is a call"] = new(
            "llama3",
            "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"São Paulo\", \"days\": 2}}",
            ["tool toolu_* get_weather: {\"city\": \"São Paulo\", \"days\": 2}", "stop: ToolUse"]),

        ["llama3: python tag, then two calls joined by a semicolon"] = new(
            "llama3",
            "<|python_tag|>{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Lima\"}}; {\"name\": \"search\", \"parameters\": {\"query\": \"Lima } events\", \"max_results\": 3, \"exact\": false}}",
            ["tool toolu_* get_weather: {\"city\": \"Lima\"}", "tool toolu_* search: {\"query\": \"Lima } events\", \"max_results\": 3, \"exact\": false}", "stop: ToolUse"]),

        ["llama3: arguments instead of parameters, blank lines around"] = new(
            "llama3",
            "\n\n{\"name\": \"write_file\", \"arguments\": {\"path\": \"ü.txt\", \"content\": \"line 1\\nline 2\"}}\n",
            ["tool toolu_* write_file: {\"path\": \"ü.txt\", \"content\": \"line 1\\nline 2\"}", "stop: ToolUse"]),

        ["llama3: plain answer"] = new(
            "llama3",
            "Hello! 👋 It is sunny in Zürich.",
            ["text: Hello! 👋 It is sunny in Zürich.", "stop: EndTurn"]),

        ["llama3: a JSON answer that is not a call stays text"] = new(
            "llama3",
            "{\"name\": \"Ada\", \"age\": 36}",
            ["text: {\"name\": \"Ada\", \"age\": 36}", "stop: EndTurn"]),

        ["llama3: a call shown in prose stays text"] = new(
            "llama3",
            "Call it like this: {\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}",
            ["text: Call it like this: {\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}", "stop: EndTurn"]),

        ["llama3: call cut short by the token limit stays text"] = new(
            "llama3",
            "{\"name\": \"write_file\", \"parameters\": {\"path\": \"a.txt\", \"content\": \"half a fi",
            ["text: {\"name\": \"write_file\", \"parameters\": {\"path\": \"a.txt\", \"content\": \"half a fi", "stop: EndTurn"]),
    };
}

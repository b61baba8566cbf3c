using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;
using Switchboard.Tests.Egress.OpenAIChat;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>The tools every golden case offers the model, with schemas that exercise argument typing.</summary>
internal static class GoldenTools
{
    public static IReadOnlyList<ToolDefinition> All { get; } =
    [
        new("get_weather", "Current weather", TestRoutes.Schema("""
            {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]}
            """)),
        new("search", "Web search", TestRoutes.Schema("""
            {"type":"object","properties":{"query":{"type":"string"},"max_results":{"type":"integer"},
             "filters":{"type":"object"},"exact":{"type":"boolean"},"tags":{"type":"array","items":{"type":"string"}}}}
            """)),
        new("write_file", "Write a file", TestRoutes.Schema("""
            {"type":"object","properties":{"path":{"type":"string"},"content":{"type":"string"}},"required":["path","content"]}
            """)),
    ];

    /// <summary>A request for a profile's parser: these tools, and thinking as the case says.</summary>
    public static MessageRequest Request(ThinkingMode? thinking = null) => new()
    {
        Model = "claude-test",
        MaxTokens = 1024,
        Messages = [TestRoutes.User(TestRoutes.Text("hi"))],
        Tools = All,
        Thinking = thinking is { } mode ? new ThinkingConfig(mode, mode == ThinkingMode.Enabled ? 4096 : null) : null,
    };

    public static IContentParser Parser(string profile, ThinkingMode? thinking = null) =>
        ProfileCatalog.Find(profile)!.CreateParser(Request(thinking));
}

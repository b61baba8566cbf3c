using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Routing;

namespace Switchboard.Tests.Egress.OpenAIChat;

/// <summary>Builds routes and requests for the OpenAI egress tests.</summary>
internal static class TestRoutes
{
    private static readonly HttpClient Unused = new();

    public static ModelRoute Route(ModelOptions? model = null, UpstreamOptions? upstream = null, HttpClient? http = null)
    {
        upstream ??= new UpstreamOptions { BaseUrl = "http://127.0.0.1:1/v1" };
        model ??= new ModelOptions { Name = "public-model" };
        return new ModelRoute("claude-test", model, new UpstreamEndpoint("local", upstream, http ?? Unused), "upstream-model");
    }

    public static MessageRequest Request(params Message[] messages) => new()
    {
        Model = "claude-test",
        MaxTokens = 1024,
        Messages = messages,
    };

    public static Message User(params ContentBlock[] content) => new(Role.User, content);

    public static Message Assistant(params ContentBlock[] content) => new(Role.Assistant, content);

    public static Message InlineSystem(string text) => new(Role.System, [new TextBlock(text)]);

    public static TextBlock Text(string text) => new(text);

    public static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement.Clone();
}

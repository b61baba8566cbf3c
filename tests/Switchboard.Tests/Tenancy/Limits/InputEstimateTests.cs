using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Tenancy.Limits;

namespace Switchboard.Tests.Tenancy.Limits;

public sealed class InputEstimateTests
{
    [Fact]
    public void The_admission_estimate_follows_the_pipelines_fallback_count()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""");
        var request = new MessageRequest
        {
            Model = "m",
            MaxTokens = 64_000,
            System = new string('s', 1_000),
            Tools = [new ToolDefinition("get_weather", "Current weather", schema.RootElement)],
            Messages =
            [
                new Message(Role.User, [new TextBlock(new string('u', 401)), new ImageBlock("image/png", "AAAA", null)]),
                new Message(Role.Assistant, [new ThinkingBlock("plan", "sig"), new ToolUseBlock("toolu_1", "get_weather", """{"city":"Oslo"}""")]),
                new Message(Role.User, [new ToolResultBlock("toolu_1", [new TextBlock("Sunny")], false)]),
            ],
        };

        var estimate = InputEstimate.Of(request);

        Assert.Equal(TokenEstimator.Estimate(request), estimate);
        Assert.InRange(estimate, 1_600 + 12 + 350, 1_600 + 12 + 400); // the image, three turns, ~1,500 characters
    }
}

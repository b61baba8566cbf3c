using Switchboard.Configuration;

namespace Switchboard.Tests.Configuration;

public sealed class AnthropicUpstreamRulesTests
{
    private static List<string> Problems(UpstreamOptions upstream)
    {
        var options = new SwitchboardOptions { Upstreams = { ["claude"] = upstream } };
        return new SwitchboardOptionsValidator(["generic"], ["openai-chat", "anthropic"]).Problems(options);
    }

    [Fact]
    public void An_anthropic_upstream_with_its_settings_is_valid()
    {
        var upstream = new UpstreamOptions
        {
            Api = "anthropic",
            BaseUrl = "https://api.anthropic.com/v1",
            KeyHeader = "bearer",
            AnthropicVersion = "2023-06-01",
            AllowServerTools = true,
            Headers = { ["x-provider-route"] = "eu" },
        };

        Assert.Empty(Problems(upstream));
    }

    [Fact]
    public void Every_mistake_is_reported_with_its_key_path()
    {
        var upstream = new UpstreamOptions
        {
            Api = "openai-chat",
            BaseUrl = "http://127.0.0.1:8000/v1",
            KeyHeader = "header",
            AnthropicVersion = "2023 06 01",
            AllowServerTools = true,
            Headers = { ["x-api-key"] = "k", ["bad name"] = "v", ["x-ok"] = "a\r\nb" },
        };

        Assert.Equal(
            [
                "Switchboard:Upstreams:claude:KeyHeader: 'header' is not one of x-api-key, bearer",
                "Switchboard:Upstreams:claude:AnthropicVersion: '2023 06 01' is not a version such as 2023-06-01",
                "Switchboard:Upstreams:claude:Headers:x-api-key: set by Switchboard itself (the key goes in ApiKey, the version in AnthropicVersion)",
                "Switchboard:Upstreams:claude:Headers: 'bad name' is not a valid header name",
                "Switchboard:Upstreams:claude:Headers:x-ok: the value must be one line",
                "Switchboard:Upstreams:claude:AllowServerTools: only an upstream with Api 'anthropic' can run Anthropic's server tools or read PDFs",
            ],
            Problems(upstream));
    }
}

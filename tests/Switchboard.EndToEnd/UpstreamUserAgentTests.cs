using Switchboard.EndToEnd.Fixtures;
using Switchboard.Hosting;
using Switchboard.Telemetry;

namespace Switchboard.EndToEnd;

/// <summary>Switchboard names itself and its version to model servers, and never passes on the client's User-Agent.</summary>
public sealed class UpstreamUserAgentTests
{
    [Fact]
    public async Task Every_upstream_request_carries_Switchboard_and_its_version_as_user_agent()
    {
        await using var host = await SwitchboardHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"fake-model","max_tokens":20,"messages":[{"role":"user","content":"Hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.UserAgent.ParseAdd("some-client/9.9");

        using var response = await host.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var chat = Assert.Single(host.Upstream.Requests, r => r.Path == "/v1/chat/completions");
        Assert.Equal("Switchboard/" + ProductVersion.Value, chat.Headers["user-agent"]);
        Assert.All(host.Upstream.Requests, r => Assert.Equal("Switchboard/" + ProductVersion.Value, r.Headers.GetValueOrDefault("user-agent")));
    }
}

using System.Net;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.AnthropicUpstream;

/// <summary>
/// <c>count_tokens</c> goes to the upstream's own; PDFs and Anthropic's server tools pass only to an upstream that
/// allows them (<c>AllowServerTools</c>); otherwise a server tool is refused and a PDF sent as its text (one that
/// cannot be read is refused).
/// </summary>
public sealed class CountAndGateTests
{
    private const string PdfBody =
        """{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQK"}},{"type":"text","text":"Summarise"}]}]}""";

    private const string ServerToolBody =
        """{"model":"claude-sonnet-4-5","max_tokens":64,"tools":[{"type":"web_search_20250305","name":"web_search","max_uses":3}],"messages":[{"role":"user","content":"News?"}]}""";

    [Fact]
    public async Task Count_tokens_is_the_upstreams_own_count_of_the_clients_body()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();
        host.Upstream.Options.FixedTokenCount = 4242;
        var body = """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Count me"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]}""";

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages/count_tokens", body, ("anthropic-beta", "token-counting-2024-11-01")));

        // A server tool is counted where it is refused: the count comes back only when the upstream allows it.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        await using var allowing = await AnthropicUpstreamHost.StartAsync(null, "--Switchboard:Upstreams:default:AllowServerTools=true");
        allowing.Upstream.Options.FixedTokenCount = 4242;
        using var counted = await allowing.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages/count_tokens", body, ("anthropic-beta", "token-counting-2024-11-01")));

        Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        Assert.Equal(4242, JsonDocument.Parse(await counted.Content.ReadAsStringAsync()).RootElement.GetProperty("input_tokens").GetInt32());
        var sent = Assert.Single(allowing.Upstream.CountTokensRequests);
        Assert.Equal(body.Replace("\"claude-sonnet-4-5\"", "\"fake-model\"", StringComparison.Ordinal), sent.Body.GetRawText());
        Assert.Equal("token-counting-2024-11-01", sent.Headers["anthropic-beta"]);
        Assert.Empty(allowing.Upstream.MessagesRequests);
    }

    [Fact]
    public async Task A_plain_count_goes_to_the_upstream_without_the_switch()
    {
        await using var host = await AnthropicUpstreamHost.StartAsync();

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages/count_tokens",
            """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Count me"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Upstream.CountTokensRequests);
    }

    [Theory]
    [InlineData(PdfBody, "messages.0.content.0: the PDF could not be read (damaged or not a PDF)")]
    [InlineData(ServerToolBody, "tools.0: the Anthropic-defined tool 'web_search' (type 'web_search_20250305') is not supported by Switchboard's models; define it as a custom tool with an input_schema instead")]
    public async Task Pdfs_and_server_tools_are_refused_unless_the_upstream_allows_them(string body, string refusal)
    {
        await using var refusing = await AnthropicUpstreamHost.StartAsync();
        using var refused = await refusing.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", body));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(refusal, JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(refusing.Upstream.MessagesRequests);

        await using var allowing = await AnthropicUpstreamHost.StartAsync(null, "--Switchboard:Upstreams:default:AllowServerTools=true");
        using var passed = await allowing.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", body));

        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        Assert.Equal(body.Replace("\"claude-sonnet-4-5\"", "\"fake-model\"", StringComparison.Ordinal), Assert.Single(allowing.Upstream.MessagesRequests).Body.GetRawText());
    }

    [Fact]
    public async Task An_openai_compatible_upstream_refuses_a_pdf_it_cannot_read_with_the_same_message()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await host.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", PdfBody));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("messages.0.content.0: the PDF could not be read (damaged or not a PDF)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(host.Upstream.Requests);
    }
}

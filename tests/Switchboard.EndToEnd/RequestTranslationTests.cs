using System.Net;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;

namespace Switchboard.EndToEnd;

/// <summary>What reaches the model server for request fields the SDK tests do not cover, sent as raw JSON.</summary>
public sealed class RequestTranslationTests
{
    private const string Tools = """[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]""";

    [Theory]
    [InlineData("""{"type":"any"}""", "\"required\"", null)]
    [InlineData("""{"type":"none"}""", "\"none\"", null)]
    [InlineData("""{"type":"tool","name":"get_weather"}""", """{"type":"function","function":{"name":"get_weather"}}""", null)]
    [InlineData("""{"type":"auto","disable_parallel_tool_use":true}""", "\"auto\"", false)]
    public async Task Tool_choice_becomes_the_openai_tool_choice(string toolChoice, string expected, bool? parallelToolCalls)
    {
        var body = await SendAsync($$"""{"model":"fake-model","max_tokens":64,"tools":{{Tools}},"tool_choice":{{toolChoice}},"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected).RootElement, body.GetProperty("tool_choice")), body.GetProperty("tool_choice").GetRawText());
        Assert.Equal(parallelToolCalls, body.TryGetProperty("parallel_tool_calls", out var p) ? p.GetBoolean() : null);
    }

    [Theory]
    [InlineData("""{"type":"enabled","budget_tokens":2048}""", "low")]
    [InlineData("""{"type":"enabled","budget_tokens":32000}""", "high")]
    [InlineData("""{"type":"disabled"}""", null)]
    public async Task Thinking_budget_becomes_a_reasoning_effort(string thinking, string? effort)
    {
        var body = await SendAsync($$"""{"model":"fake-model","max_tokens":40000,"thinking":{{thinking}},"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(effort, body.TryGetProperty("reasoning_effort", out var e) ? e.GetString() : null);
    }

    [Theory]
    [InlineData("""{"type":"enabled","budget_tokens":2048}""", true)]
    [InlineData("""{"type":"disabled"}""", false)]
    public async Task Thinking_switch_of_the_model_goes_into_the_chat_template_kwargs(string thinking, bool enabled)
    {
        var body = await SendAsync(
            $$"""{"model":"fake-model","max_tokens":4096,"thinking":{{thinking}},"messages":[{"role":"user","content":"Hi"}]}""",
            "--Switchboard:Models:0:ThinkingSwitch=enable_thinking");

        Assert.Equal(enabled, body.GetProperty("chat_template_kwargs").GetProperty("enable_thinking").GetBoolean());
    }

    [Fact]
    public async Task Claude_codes_billing_header_does_not_reach_the_model_verbatim()
    {
        var body = await SendAsync("""
            {"model":"fake-model","max_tokens":64,
             "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.330.55b; cc_entrypoint=sdk-cli; cch=9f3a1;"},
                       {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}],
             "messages":[{"role":"user","content":"Hi"}]}
            """);

        var system = UpstreamBody.Text(UpstreamBody.Messages(body)[0]);
        Assert.Contains("You are Claude Code.", system, StringComparison.Ordinal);
        Assert.DoesNotContain("cch=9f3a1", system, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Base64_image_becomes_a_data_uri_image_part()
    {
        var body = await SendAsync("""
            {"model":"fake-model","max_tokens":64,"messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
              {"type":"text","text":"What is this?"}]}]}
            """);

        var parts = UpstreamBody.Messages(body)[^1].GetProperty("content").EnumerateArray().ToList();
        var image = parts.Single(p => p.GetProperty("type").GetString() == "image_url");
        Assert.Equal("data:image/png;base64,iVBORw0KGgo=", image.GetProperty("image_url").GetProperty("url").GetString());
        Assert.Contains(parts, p => p.GetProperty("type").GetString() == "text" && p.GetProperty("text").GetString() == "What is this?");
    }

    [Fact]
    public async Task A_pdf_document_that_cannot_be_read_is_a_400_naming_the_block()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json("""
            {"model":"fake-model","max_tokens":64,"messages":[{"role":"user","content":[
              {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQ="}}]}]}
            """));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("messages.0.content.0: the PDF could not be read (damaged or not a PDF)", error.GetProperty("message").GetString());
        Assert.Empty(host.Upstream.Requests);
    }

    /// <summary>Sends one request that must succeed, and returns the body the upstream received.</summary>
    private static async Task<JsonElement> SendAsync(string json, params string[] args)
    {
        await using var host = await SwitchboardHost.StartAsync(args: args);
        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(json));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return Assert.Single(host.Upstream.Requests).Body;
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;

namespace Switchboard.EndToEnd;

/// <summary>
/// Mis-encoded text in a request body, over real HTTP: bytes that are not UTF-8 are a 400 naming the field;
/// unpaired surrogate escapes (JavaScript clients cutting a string inside an emoji) reach the model as U+FFFD.
/// Odd JSON shapes are a 400 or are served, never a 5xx.
/// </summary>
public sealed class RequestEncodingTests
{
    [Theory]
    [InlineData("/v1/messages")]
    [InlineData("/v1/messages/count_tokens")]
    public async Task Invalid_utf8_is_a_bad_request_naming_the_field(string path)
    {
        await using var host = await SwitchboardHost.StartAsync();
        var body = Bytes("""{"model":"fake-model","max_tokens":16,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yes"},{"role":"user","content":[{"type":"text","text":"ok"},{"type":"text","text":"bad #"}]}]}""");

        using var response = await host.Http.SendAsync(Post(path, body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.StartsWith("messages.2.content.1.text: invalid UTF-8", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task Unpaired_surrogates_reach_the_model_as_replacement_characters_and_are_counted_in_the_log()
    {
        var logs = new CapturedLogs();
        await using var host = await SwitchboardHost.StartAsync(
            args: ["--Logging:LogLevel:Switchboard=Information"],
            configure: builder => builder.Services.AddSingleton<ILoggerProvider>(logs));
        var body = Encoding.UTF8.GetBytes("""
            {"model":"fake-model","max_tokens":16,"system":"sys \udbff","messages":[{"role":"user","content":"cut \ud83d"},
             {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"read","input":{"path":"\ude00.txt"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"file \ud800 end"}]}],
             "tools":[{"name":"read","description":"d \udfff","input_schema":{"type":"object"}}]}
            """);

        using var response = await host.Http.SendAsync(Post("/v1/messages", body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(host.Upstream.Requests).Body;
        var messages = UpstreamBody.Messages(sent);
        Assert.Equal("sys \uFFFD", UpstreamBody.Text(messages[0]));
        Assert.Equal("cut \uFFFD", UpstreamBody.Text(messages[1]));
        using var arguments = JsonDocument.Parse(messages[2].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()!);
        Assert.Equal("\uFFFD.txt", arguments.RootElement.GetProperty("path").GetString());
        Assert.Equal("file \uFFFD end", UpstreamBody.Text(messages[3]));
        Assert.Equal("d \uFFFD", sent.GetProperty("tools")[0].GetProperty("function").GetProperty("description").GetString());
        Assert.Contains(logs.Lines, line => line.Message.EndsWith("request adjusted: 5 unpaired surrogate escape(s) replaced with U+FFFD", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"model":"fake-model","max_tokens":16,"metadata":DEEP,"messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"model":"fake-model","max_tokens":1e400,"messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.OK)]
    [InlineData("""{"model":"fake-model","max_tokens":16,"temperature":-1e999,"messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"model":"fake-model","max_tokens":"x","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.OK)]
    [InlineData("\uFEFF{\"model\":\"fake-model\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", HttpStatusCode.OK)]
    [InlineData("""{"model":"fake-model","max_tokens":16,"messages":[{"role":"user","content":"hi"}]} {}""", HttpStatusCode.BadRequest)]
    public async Task Odd_json_shapes_are_answered_without_a_server_error(string json, HttpStatusCode expected)
    {
        await using var host = await SwitchboardHost.StartAsync();
        var body = Encoding.UTF8.GetBytes(json.Replace("DEEP", new string('[', 5000) + new string(']', 5000), StringComparison.Ordinal));

        using var response = await host.Http.SendAsync(Post("/v1/messages", body));

        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>The body's UTF-8 with each <c>#</c> replaced by the byte 0xFF, which UTF-8 never uses.</summary>
    private static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json).Select(b => b == (byte)'#' ? (byte)0xFF : b).ToArray();

    private static HttpRequestMessage Post(string path, byte[] body) =>
        new(HttpMethod.Post, path) { Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } } };
}

using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;

namespace Switchboard.EndToEnd.AnthropicUpstream;

/// <summary>
/// A Switchboard whose quickstart upstream is Anthropic-compatible (<c>Api = "anthropic"</c>) in front of the fake
/// server's <c>/v1/messages</c>. The quickstart model <c>fake-model</c> also answers <c>claude-*</c>, so a client asking
/// for <c>claude-sonnet-4-5</c> shows the model rewrite.
/// </summary>
internal static class AnthropicUpstreamHost
{
    public const string UpstreamKey = "sk-ant-upstream-secret-0123456789";

    public static Task<SwitchboardHost> StartAsync(CapturedLogs? logs = null, params string[] args) =>
        SwitchboardHost.StartAsync(
            args: ["--Switchboard:Upstreams:default:Api=anthropic", "--upstream-key", UpstreamKey, "--Logging:LogLevel:Switchboard=Information", .. args],
            configure: logs is null ? null : builder => builder.Services.AddSingleton<ILoggerProvider>(logs));

    public static HttpRequestMessage Post(string path, string body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>The one request log line of <paramref name="response"/>.</summary>
    public static string LogLine(CapturedLogs logs, HttpResponseMessage response)
    {
        var requestId = response.Headers.GetValues("request-id").Single();
        return Assert.Single(logs.Lines, l => l.Message.Contains(requestId, StringComparison.Ordinal) && l.Message.Contains(" POST ", StringComparison.Ordinal)).Message;
    }
}

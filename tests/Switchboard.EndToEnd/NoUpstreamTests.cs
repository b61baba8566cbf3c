using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.Hosting;

namespace Switchboard.EndToEnd;

public sealed class NoUpstreamTests
{
    [Fact]
    public async Task Starts_without_an_upstream_and_says_what_to_configure()
    {
        var logs = new CapturedLogs();
        await using var app = SwitchboardApp.Create(
            ["--port", "0", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Switchboard=Information", TestDataRoot.FreshDirectoryArg()],
            builder => builder.Services.AddSingleton<ILoggerProvider>(logs));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var response = await http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("--upstream", body.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.StartsWith("http://127.0.0.1:", app.Urls.First());
        for (var i = 0; i < 200 && !logs.Lines.Any(l => l.Message.StartsWith("No local model server", StringComparison.Ordinal) || l.Message.StartsWith("Found ", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(50);
        }

        Assert.Contains(logs.Lines, l => l.Message.Contains("No upstream is configured", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Message.Contains("loopback only", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Message.StartsWith("No local model server", StringComparison.Ordinal) || l.Message.StartsWith("Found ", StringComparison.Ordinal));
        await app.StopAsync();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Observability;

/// <summary>
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> on the built program (the variable is process-wide, so Switchboard runs as its
/// own process): a tiny OTLP/HTTP collector in the test receives the request's spans — in the client's trace, the
/// request span named after the model — and the <c>Switchboard</c> meter's metrics.
/// </summary>
public sealed class OtlpExportTests : IDisposable
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "Switchboard.dll");

    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-otlp-").FullName;

    [Fact]
    public async Task Spans_and_metrics_reach_an_otlp_collector()
    {
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        await using var collector = await StartCollectorAsync(received);
        await using var upstream = await FakeModelServer.StartAsync();
        var collectorUrl = collector.Urls.First();
        using var process = Start(collectorUrl, "--upstream", upstream.BaseUrl, "--model", "fake-model", "--port", "0", "--log-format", "json");
        try
        {
            var url = await ListeningUrlAsync(process);
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            var traceId = ActivityTraceId.CreateRandom();
            using var request = RawRequests.Post("/v1/messages", RawRequests.SimpleBody);
            request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            using var response = await http.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);

            var traceBytes = Convert.FromHexString(traceId.ToHexString());
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (DateTime.UtcNow < until && !(Has(received, "/v1/traces", "chat fake-model"u8.ToArray()) && Has(received, "/v1/metrics", "switchboard.requests"u8.ToArray())))
            {
                await Task.Delay(100);
            }

            Assert.True(Has(received, "/v1/traces", traceBytes), "no exported span carries the client's trace id");
            Assert.True(Has(received, "/v1/traces", "chat fake-model"u8.ToArray()), "the request span was not exported");
            Assert.True(Has(received, "/v1/traces", "switchboard"u8.ToArray()));
            Assert.True(Has(received, "/v1/metrics", "switchboard.requests"u8.ToArray()), "the request counter was not exported");
            Assert.True(Has(received, "/v1/metrics", "gen_ai.client.token.usage"u8.ToArray()));
            Assert.False(Has(received, "/v1/traces", "\"Hi\""u8.ToArray()), "prompt text in a span");
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static bool Has(ConcurrentQueue<(string Path, byte[] Body)> received, string path, byte[] needle) =>
        received.Any(r => r.Path == path && r.Body.AsSpan().IndexOf(needle) >= 0);

    private static async Task<WebApplication> StartCollectorAsync(ConcurrentQueue<(string Path, byte[] Body)> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/{signal}", async (HttpContext context, string signal) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue(($"/v1/{signal}", body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        return app;
    }

    private static async Task<string> ListeningUrlAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            using var entry = System.Text.Json.JsonDocument.Parse(line);
            var message = entry.RootElement.GetProperty("Message").GetString()!;
            if (message.Contains(" listening on ", StringComparison.Ordinal))
            {
                _ = DrainAsync(process);
                return message.Split(" listening on ")[1].Split(' ')[0].TrimEnd(';', ',');
            }
        }

        throw new InvalidOperationException("Switchboard did not start");
    }

    /// <summary>Keeps reading the program's output, so a full pipe never blocks its logging.</summary>
    private static async Task DrainAsync(Process process)
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is not null)
            {
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private Process Start(string collectorUrl, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["XDG_DATA_HOME"] = Path.Combine(_directory, "data-home");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collectorUrl.TrimEnd('/');
        start.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        start.Environment["OTEL_METRIC_EXPORT_INTERVAL"] = "300";
        start.Environment["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        return Process.Start(start)!;
    }
}

using System.Diagnostics;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Observability;

/// <summary>
/// <c>--log-format json</c> on the built program: the request line is one JSON object whose <c>Message</c> is the
/// usual text line and whose <c>State</c> holds the same fields, each under its own name, with the trace id of the
/// client's <c>traceparent</c>.
/// </summary>
public sealed class JsonLogTests : IDisposable
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "Switchboard.dll");

    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-json-log-").FullName;

    [Fact]
    public async Task The_request_line_in_json_has_every_field_and_the_trace_id()
    {
        await using var upstream = await FakeModelServer.StartAsync();
        upstream.Enqueue(new ScriptedReply { Content = "Logged.", Usage = new ScriptedUsage { PromptTokens = 9, CompletionTokens = 2 } });
        using var process = Start("--upstream", upstream.BaseUrl, "--model", "fake-model", "--port", "0", "--log-format", "json");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var url = await ReadUntilAsync(process, timeout.Token, m => m.GetProperty("Message").GetString()!.Contains(" listening on ", StringComparison.Ordinal)) is { } started
                ? started.GetProperty("Message").GetString()!.Split(" listening on ")[1].Split(' ')[0].TrimEnd(';', ',')
                : throw new InvalidOperationException("Switchboard did not start");
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            var traceId = ActivityTraceId.CreateRandom();
            using var request = RawRequests.Post("/v1/messages", RawRequests.SimpleBody);
            request.Headers.Add("anthropic-version", "2023-06-01");
            request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            using var response = await http.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);
            var requestId = response.Headers.GetValues("request-id").Single();

            var line = await ReadUntilAsync(process, timeout.Token,
                e => e.TryGetProperty("State", out var s) && s.TryGetProperty("RequestId", out var id) && id.GetString() == requestId);

            Assert.NotNull(line);
            var entry = line.Value;
            var state = entry.GetProperty("State");
            Assert.Equal(1, entry.GetProperty("EventId").GetInt32());
            Assert.StartsWith($"{requestId} POST /v1/messages 200 door=anthropic model=fake-model upstream=default input_tokens=9 output_tokens=2 total_ms=",
                entry.GetProperty("Message").GetString(), StringComparison.Ordinal);
            Assert.Equal("POST", state.GetProperty("Method").GetString());
            Assert.Equal("/v1/messages", state.GetProperty("Path").GetString());
            Assert.Equal(200, state.GetProperty("Status").GetInt32());
            Assert.Equal("anthropic", state.GetProperty("door").GetString());
            Assert.Equal("fake-model", state.GetProperty("model").GetString());
            Assert.Equal("default", state.GetProperty("upstream").GetString());
            Assert.Equal(9, state.GetProperty("input_tokens").GetInt32());
            Assert.Equal(2, state.GetProperty("output_tokens").GetInt32());
            Assert.True(state.GetProperty("total_ms").GetDouble() > 0);
            Assert.Equal(JsonValueKind.Number, state.GetProperty("overhead_us").ValueKind);
            Assert.False(state.TryGetProperty("error", out _));
            Assert.Equal(traceId.ToHexString(), state.GetProperty("trace_id").GetString());
            Assert.Equal(16, state.GetProperty("span_id").GetString()!.Length);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<JsonElement?> ReadUntilAsync(Process process, CancellationToken cancellationToken, Func<JsonElement, bool> wanted)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            using var entry = JsonDocument.Parse(line);
            if (wanted(entry.RootElement))
            {
                return entry.RootElement.Clone();
            }
        }

        return null;
    }

    private Process Start(params string[] args)
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
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        return Process.Start(start)!;
    }
}

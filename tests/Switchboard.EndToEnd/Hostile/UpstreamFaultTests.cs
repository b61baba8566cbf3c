using System.Text;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>
/// Every upstream fault, streamed and not: the client gets an Anthropic error (HTTP or in-stream) of the right kind,
/// or the content that arrived — never a silent empty success, never the upstream's URL, body or key.
/// </summary>
public sealed class UpstreamFaultTests(FaultHostileHost host) : IClassFixture<FaultHostileHost>
{
    [Theory]
    [MemberData(nameof(UpstreamFaults.Cases), MemberType = typeof(UpstreamFaults))]
    public async Task Each_fault_gives_an_error_of_its_kind_and_leaks_nothing(string fault, bool stream)
    {
        var (reply, expect) = UpstreamFaults.All[fault];
        host.Upstream.Reset();
        if (reply is not null)
        {
            host.Upstream.Enqueue(reply);
        }

        string model = reply is null ? HostileHost.DeadModel : "fake-model";
        string body = $$"""{"model":"{{model}}","max_tokens":64,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]}""";
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(25));
        var started = DateTime.UtcNow;
        int logsBefore = host.Logs.Lines.Count;
        var exchange = await Exchange.PostAsync(host.Http, "/v1/messages", body, $"{fault} stream={stream}", cts.Token);
        var problems = new List<string>();
        if (exchange.Status == 0)
        {
            problems.Add($"no answer after {(DateTime.UtcNow - started).TotalSeconds:0.0} s: {exchange.Body}");
        }
        else
        {
            problems.AddRange(Leaks(exchange));
            problems.AddRange(exchange.Status == 200 ? SuccessProblems(exchange, stream, expect) : ErrorProblems(exchange, expect, fault));
        }

        // An expected transport or upstream failure is one warning line, not a stack trace.
        await Task.Delay(200);
        var traces = host.Logs.Lines.Skip(logsBefore).Where(l => l.Message.Contains("\n   at ", StringComparison.Ordinal)).ToList();
        if (traces.Count > 0)
        {
            problems.Add($"{traces.Count} log lines with a stack trace, e.g. [{traces[0].Category}] {Envelope.Short(traces[0].Message)}");
        }

        Assert.True(problems.Count == 0, $"{fault} (stream={stream}) → {exchange.Status}:\n  " + string.Join("\n  ", problems)
            + "\n  body: " + Envelope.Short(exchange.Body));
    }

    [Fact]
    public async Task Broken_tool_call_arguments_arrive_as_the_same_valid_JSON_streamed_and_not()
    {
        const string broken = "{\"location\": \"Par";
        var inputs = new Dictionary<bool, string>();
        foreach (bool stream in new[] { false, true })
        {
            host.Upstream.Reset();
            host.Upstream.Enqueue(new ScriptedReply { ToolCalls = [new ScriptedToolCall { Name = "get_weather", Arguments = broken }], ChunkSize = 5 });
            string body = """
                {"model":"fake-model","max_tokens":64,"stream":STREAM,
                 "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}}}}],
                 "messages":[{"role":"user","content":"Weather in Paris?"}]}
                """.Replace("STREAM", stream ? "true" : "false", StringComparison.Ordinal);
            var exchange = await Exchange.PostAsync(host.Http, "/v1/messages", body, "broken tool arguments");
            Assert.Equal(200, exchange.Status);
            string input;
            if (stream)
            {
                var events = Sse(exchange.Body);
                Assert.Contains(events, e => e.Name == "content_block_start" && e.Json.GetProperty("content_block").GetProperty("type").GetString() == "tool_use");
                input = string.Concat(events.Where(e => e.Name == "content_block_delta" && e.Json.GetProperty("delta").GetProperty("type").GetString() == "input_json_delta")
                    .Select(e => e.Json.GetProperty("delta").GetProperty("partial_json").GetString()));
                if (input.Length == 0)
                {
                    input = "{}";
                }
            }
            else
            {
                using var doc = JsonDocument.Parse(exchange.Body);
                var block = doc.RootElement.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
                input = block.GetProperty("input").GetRawText();
            }

            using (var parsed = ParseOrNull(input))
            {
                Assert.True(parsed is not null, $"stream={stream}: tool input is not valid JSON: {input}");
                Assert.Equal(JsonValueKind.Object, parsed!.RootElement.ValueKind);
                Assert.True(parsed.RootElement.EnumerateObject().Any(), $"stream={stream}: broken arguments silently became {{}}");
                Assert.Contains("Par", input);
                inputs[stream] = JsonSerializer.Serialize(parsed.RootElement);
            }
        }

        Assert.Equal(inputs[false], inputs[true]);
    }

    [Fact]
    public async Task After_every_fault_a_plain_request_still_succeeds()
    {
        host.Upstream.Reset();
        var exchange = await Exchange.PostAsync(host.Http, "/v1/messages", RawRequests.SimpleBody, "plain");
        Assert.Equal(200, exchange.Status);
        Assert.Contains("Hello from the fake model server.", exchange.Body);
    }

    private List<string> Leaks(Exchange exchange)
    {
        string visible = string.Join("\n", exchange.Headers.Select(h => h.Key + ": " + h.Value)) + "\n" + exchange.Body;
        var upstreamRoot = new Uri(host.Upstream.RootUrl);
        var forbidden = new List<string>(UpstreamFaults.SecretFragments)
        {
            host.Upstream.BaseUrl, host.Upstream.RootUrl, $"{upstreamRoot.Host}:{upstreamRoot.Port}", $"127.0.0.1:{host.DeadPort}",
            $"localhost:{upstreamRoot.Port}", "http://127.0.0.1", HostileHost.ApiKey,
        };
        return forbidden.Where(f => visible.Contains(f, StringComparison.OrdinalIgnoreCase)).Select(f => $"client-visible text contains '{f}'").ToList();
    }

    private static List<string> ErrorProblems(Exchange exchange, Expect expect, string fault)
    {
        var problems = Envelope.Problems(exchange.Status, exchange.Headers, exchange.Body, Dialect.Anthropic);
        string type = ErrorType(exchange.Body) ?? "";
        switch (expect)
        {
            case Expect.ServerSide when exchange.Status < 500 || type is not ("api_error" or "overloaded_error" or "timeout_error"):
            case Expect.NotClientAuth when exchange.Status < 500:
                problems.Add($"expected a retryable server-side error (5xx api_error/overloaded_error), got {exchange.Status} {type}");
                break;
            case Expect.Unavailable when !(exchange.Status == 529 && type == "overloaded_error") && !(exchange.Status is >= 502 and <= 504 && type == "api_error"):
                problems.Add($"expected 529 overloaded_error or 502–504 api_error, got {exchange.Status} {type}");
                break;
            case Expect.InvalidRequest when exchange.Status != 400 || type != "invalid_request_error":
                problems.Add($"expected 400 invalid_request_error (the request can never succeed), got {exchange.Status} {type}");
                break;
            case Expect.RateLimited when exchange.Status != 429 || type != "rate_limit_error" || !exchange.Headers.ContainsKey("retry-after"):
                problems.Add($"expected 429 rate_limit_error with retry-after, got {exchange.Status} {type} retry-after={exchange.Headers.GetValueOrDefault("retry-after")}");
                break;
            case Expect.ContentOrError when exchange.Status < 500:
                problems.Add($"expected the content or a server-side error, got {exchange.Status} {type}");
                break;
        }

        if (expect == Expect.InvalidRequest)
        {
            string reason = fault == "422" ? "temperature" : "image input is not supported";
            if (!exchange.Body.Contains(reason, StringComparison.Ordinal))
            {
                problems.Add($"the upstream's short reason ('{reason}') is not in the message");
            }
        }

        if (exchange.Status >= 400 && exchange.Status < 500 && exchange.Status != 429 && exchange.Headers.GetValueOrDefault("x-should-retry") == "true")
        {
            problems.Add("x-should-retry: true on an error that can never succeed");
        }

        return problems;
    }

    private static List<string> SuccessProblems(Exchange exchange, bool stream, Expect expect)
    {
        if (!stream)
        {
            using var doc = JsonDocument.Parse(exchange.Body);
            string text = string.Concat(doc.RootElement.GetProperty("content").EnumerateArray()
                .Where(b => b.GetProperty("type").GetString() == "text").Select(b => b.GetProperty("text").GetString()));
            return expect == Expect.ContentOrError && text.Length > 0
                ? []
                : [$"200 success for an upstream fault (stop_reason {doc.RootElement.GetProperty("stop_reason")}, text '{text}')"];
        }

        var events = Sse(exchange.Body);
        var last = events.LastOrDefault(e => e.Name is not "ping");
        if (last?.Name == "error")
        {
            string type = last.Json.GetProperty("error").GetProperty("type").GetString() ?? "";
            return expect is Expect.ServerSide or Expect.Unavailable or Expect.ContentOrError or Expect.NotClientAuth
                && type is "api_error" or "overloaded_error" or "timeout_error"
                ? []
                : [$"stream ended with an error event of type {type} where {expect} was expected"];
        }

        if (last?.Name != "message_stop")
        {
            return [$"stream ended without message_stop or an error event (last event: {last?.Name ?? "none"})"];
        }

        string streamed = string.Concat(events.Where(e => e.Name == "content_block_delta" && e.Json.GetProperty("delta").GetProperty("type").GetString() == "text_delta")
            .Select(e => e.Json.GetProperty("delta").GetProperty("text").GetString()));
        return expect == Expect.ContentOrError && streamed.Length > 0
            ? []
            : [$"stream ended as a success (message_stop) for an upstream fault, text '{streamed}'"];
    }

    private static string? ErrorType(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("error", out var e) && e.TryGetProperty("type", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonDocument? ParseOrNull(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static List<SseEvent> Sse(string body)
    {
        var events = new List<SseEvent>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
        var task = Task.Run(async () =>
        {
            await foreach (var e in SseEvent.ReadAllAsync(stream))
            {
                events.Add(e);
            }
        });
        task.GetAwaiter().GetResult();
        return events;
    }
}

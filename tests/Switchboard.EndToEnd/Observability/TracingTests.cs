using System.Diagnostics;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;
using Switchboard.Telemetry;

namespace Switchboard.EndToEnd.Observability;

/// <summary>
/// Spans: the client's W3C <c>traceparent</c> is honoured (the request span joins its trace), each upstream attempt
/// is a child span of the request's (a retry is visible as a second one), and the model server receives a
/// <c>traceparent</c> of the same trace whose parent is the attempt. No prompt text in any span.
/// </summary>
public sealed class TracingTests
{
    private const string Prompt = "A medium prompt about the secret word pineapple";

    [Fact]
    public async Task The_clients_trace_continues_through_the_request_span_and_each_attempt_to_the_upstream()
    {
        using var spans = new SpanCollector();
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(ScriptedReply.Fail(400,
            "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (3000 in the messages, 2000 in the completion). Please reduce the length of the messages or completion."));
        host.Upstream.Enqueue(new ScriptedReply { Content = "Fits now.", Usage = new ScriptedUsage { PromptTokens = 12, CompletionTokens = 3 } });
        var traceId = ActivityTraceId.CreateRandom();
        var clientSpan = ActivitySpanId.CreateRandom();
        using var request = RawRequests.Post("/v1/messages",
            $$"""{"model":"fake-model","max_tokens":2000,"messages":[{"role":"user","content":"{{Prompt}}"}]}""");
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{clientSpan.ToHexString()}-01");

        using var response = await host.Http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        var requestId = response.Headers.GetValues("request-id").Single();
        var trace = await spans.WaitAsync(traceId, 3);

        var root = Assert.Single(trace, s => s.OperationName == SwitchboardTracing.RequestSpan);
        var attempts = trace.Where(s => s.OperationName == SwitchboardTracing.AttemptSpan).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(root.SpanId, a.ParentSpanId));
        Assert.All(attempts, a => Assert.Equal(ActivityKind.Client, a.Kind));

        // The request span, tagged from the request record.
        Assert.Equal("chat fake-model", root.DisplayName);
        Assert.Equal("anthropic", root.GetTagItem("switchboard.door"));
        Assert.Equal("fake-model", root.GetTagItem("gen_ai.request.model"));
        Assert.Equal("default", root.GetTagItem("switchboard.upstream"));
        Assert.Equal(requestId, root.GetTagItem("switchboard.request.id"));
        Assert.Equal(12, root.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(3, root.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(200, root.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, root.Status);

        // The first attempt was refused (context window), the retry answered with a smaller budget.
        Assert.Equal("context_window_exceeded", attempts[0].GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.Equal(2000, attempts[0].GetTagItem("gen_ai.request.max_tokens"));
        Assert.Null(attempts[1].GetTagItem("error.type"));
        Assert.Equal(1096, attempts[1].GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal("127.0.0.1", attempts[1].GetTagItem("server.address"));
        Assert.Equal(3, attempts[1].GetTagItem("gen_ai.usage.output_tokens"));

        // The model server saw the same trace, each call parented inside its own attempt.
        Assert.Equal(2, host.Upstream.Requests.Count);
        for (var i = 0; i < 2; i++)
        {
            var traceparent = host.Upstream.Requests[i].Headers["traceparent"];
            var parts = traceparent.Split('-');
            Assert.Equal(traceId.ToHexString(), parts[1]);
            Assert.NotEqual(clientSpan.ToHexString(), parts[2]);
            Assert.NotEqual(root.SpanId.ToHexString(), parts[2]);
        }

        // No prompt text anywhere in the spans.
        Assert.All(trace.SelectMany(s => s.TagObjects), tag => Assert.DoesNotContain("pineapple", tag.Value?.ToString() ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_streamed_request_span_records_the_first_token_time_and_a_failed_one_its_error()
    {
        using var spans = new SpanCollector();
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = "Streamed words.", ChunkSize = 4, ChunkDelayMs = 5 });
        host.Upstream.Enqueue(ScriptedReply.Fail(503, "busy"));

        var streamed = await SendTracedAsync(host, RawRequests.StreamingBody);
        var failed = await SendTracedAsync(host, RawRequests.SimpleBody);

        var stream = Assert.Single(await spans.WaitAsync(streamed, 2), s => s.OperationName == SwitchboardTracing.RequestSpan);
        Assert.IsType<double>(stream.GetTagItem("switchboard.time_to_first_token_ms"));
        Assert.True((bool)Assert.Single(spans.InTrace(streamed), s => s.OperationName == SwitchboardTracing.AttemptSpan).GetTagItem("switchboard.streaming")!);

        var error = Assert.Single(await spans.WaitAsync(failed, 2), s => s.OperationName == SwitchboardTracing.RequestSpan);
        Assert.Equal(ActivityStatusCode.Error, error.Status);
        Assert.Equal("overloaded", error.GetTagItem("error.type"));
        Assert.Equal("overloaded", Assert.Single(spans.InTrace(failed), s => s.OperationName == SwitchboardTracing.AttemptSpan).GetTagItem("error.type"));
    }

    private static async Task<ActivityTraceId> SendTracedAsync(SwitchboardHost host, string body)
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = RawRequests.Post("/v1/messages", body);
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await host.Http.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        return traceId;
    }
}

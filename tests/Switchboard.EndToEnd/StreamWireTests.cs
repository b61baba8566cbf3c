using System.Net;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd;

/// <summary>
/// SSE on the wire, as the SDK hides it: event framing, block indices, signatures and pings. Runs alone: the ping
/// cases need the stream committed well before a delayed upstream answers, which a loaded machine can stall.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class StreamWireTests
{
    [Fact]
    public async Task Every_sse_event_is_an_event_line_then_a_data_line_whose_type_matches()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Reasoning = "Hmm.", Content = "Hello, world!", ChunkSize = 3 });

        using var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody), HttpCompletionOption.ResponseHeadersRead);
        var events = await SseEvent.ReadAllAsync(await response.Content.ReadAsStreamAsync()).ToListAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.All(events, e =>
        {
            Assert.Equal(2, e.Lines.Count);
            Assert.StartsWith("event: ", e.Lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", e.Lines[1], StringComparison.Ordinal);
            Assert.Equal(e.Name, e.Json.GetProperty("type").GetString());
        });
        Assert.Equal("message_start", events[0].Name);
        Assert.Equal("message_stop", events[^1].Name);
        var starts = events.Where(e => e.Name == "content_block_start").Select(e => e.Json.GetProperty("index").GetInt32());
        Assert.Equal([0, 1], starts);
        var thinkingDeltas = events.Where(e => e.Name == "content_block_delta").Select(e => e.Json.GetProperty("delta").GetProperty("type").GetString()).ToList();
        Assert.Equal("signature_delta", thinkingDeltas[thinkingDeltas.LastIndexOf("thinking_delta") + 1]);
    }

    [Theory]
    [InlineData(1500, 0)]
    [InlineData(0, 1500)]
    public async Task Pings_keep_the_stream_alive_while_the_upstream_is_silent(int headerDelayMs, int firstTokenDelayMs)
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:Streaming:PingIntervalSeconds=0.1"]);
        host.Upstream.Enqueue(new ScriptedReply { Content = "Finally.", HeaderDelayMs = headerDelayMs, FirstTokenDelayMs = firstTokenDelayMs });

        using var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody), HttpCompletionOption.ResponseHeadersRead);
        var names = await SseEvent.ReadAllAsync(await response.Content.ReadAsStreamAsync()).Select(e => e.Name).ToListAsync();

        Assert.Equal("message_start", names[0]);
        int firstBlock = names.IndexOf("content_block_start");
        Assert.Contains("ping", names[1..firstBlock]);
        Assert.Equal("message_stop", names[^1]);
    }

    [Fact]
    public async Task Ping_event_data_is_a_ping_object()
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:Streaming:PingIntervalSeconds=0.1"]);
        host.Upstream.Enqueue(new ScriptedReply { Content = "ok", FirstTokenDelayMs = 800 });

        using var response = await host.Http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody), HttpCompletionOption.ResponseHeadersRead);
        var ping = await SseEvent.ReadAllAsync(await response.Content.ReadAsStreamAsync()).FirstAsync(e => e.Name == "ping");

        Assert.Equal("""{"type":"ping"}""", ping.Data);
    }
}

using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress.Anthropic;

namespace Switchboard.Tests.Egress.Anthropic;

public sealed class MessagesEventTests
{
    [Fact]
    public void A_message_start_gives_its_type_and_the_usage_inside_its_message()
    {
        var data = Encoding.UTF8.GetBytes("""{"type":"message_start","message":{"id":"m","content":[],"stop_reason":null,"usage":{"input_tokens":11,"cache_creation_input_tokens":3,"cache_read_input_tokens":40,"output_tokens":1}}}""");

        var e = MessagesEvent.Scan(data);

        Assert.Equal(MessagesEventType.MessageStart, e.Type);
        Assert.Equal(new Usage(11, 1, 40, 3), AnthropicUsageReader.FromMessage(data.AsSpan()[e.Message], default));
    }

    [Fact]
    public void A_delta_gives_its_index_and_delta_and_a_message_delta_its_usage()
    {
        var delta = Encoding.UTF8.GetBytes("""{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Hi"}}""");
        var stop = Encoding.UTF8.GetBytes("""{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":25,"input_tokens":null}}""");

        var e = MessagesEvent.Scan(delta);
        var s = MessagesEvent.Scan(stop);

        Assert.Equal((MessagesEventType.ContentBlockDelta, 2), (e.Type, e.Index));
        Assert.Equal("""{"type":"text_delta","text":"Hi"}""", Encoding.UTF8.GetString(delta.AsSpan()[e.Delta]));
        Assert.Equal(MessagesEventType.MessageDelta, s.Type);
        Assert.Equal(new Usage(5, 25, 0, 0), AnthropicUsageReader.Merge(stop.AsSpan()[s.Usage], new Usage(5, 1, 0, 0)));
    }

    [Theory]
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"type":"ping"} {"type":"ping"}""")]
    [InlineData("not json")]
    public void Data_that_is_not_one_json_object_is_malformed(string data) =>
        Assert.ThrowsAny<JsonException>(() => MessagesEvent.Scan(Encoding.UTF8.GetBytes(data)));

    [Fact]
    public void An_unknown_event_type_is_read_as_unknown()
    {
        Assert.Equal(MessagesEventType.Unknown, MessagesEvent.Scan("""{"type":"future_event","x":{}}"""u8).Type);
    }
}

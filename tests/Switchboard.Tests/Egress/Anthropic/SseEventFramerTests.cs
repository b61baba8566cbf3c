using System.Text;
using Switchboard.Egress.Anthropic;

namespace Switchboard.Tests.Egress.Anthropic;

public sealed class SseEventFramerTests
{
    private static List<(string Raw, string Name, string Data)> Frame(params string[] reads)
    {
        using var framer = new SseEventFramer();
        var events = new List<(string, string, string)>();
        foreach (var read in reads)
        {
            var bytes = Encoding.UTF8.GetBytes(read);
            var at = 0;
            while (at < bytes.Length)
            {
                var space = framer.FreeSpace();
                var n = Math.Min(space.Length, bytes.Length - at);
                bytes.AsSpan(at, n).CopyTo(space.Span);
                framer.Advance(n);
                at += n;
                while (framer.TryNext(out var e))
                {
                    events.Add((Encoding.UTF8.GetString(e.Raw.Span), Encoding.UTF8.GetString(e.Name.Span), Encoding.UTF8.GetString(e.Data.Span)));
                }
            }
        }

        return events;
    }

    [Fact]
    public void Events_split_across_reads_come_out_whole_with_their_exact_bytes()
    {
        var events = Frame("event: message_start\ndata: {\"a\"", ":1}\n\nevent: ping\r\ndata: {}\r\n\r\n: comment\n\n");

        Assert.Equal(3, events.Count);
        Assert.Equal(("event: message_start\ndata: {\"a\":1}\n\n", "message_start", "{\"a\":1}"), events[0]);
        Assert.Equal(("event: ping\r\ndata: {}\r\n\r\n", "ping", "{}"), events[1]);
        Assert.Equal((": comment\n\n", "", ""), events[2]);
    }

    [Fact]
    public void Several_data_lines_are_joined_with_a_line_feed_and_a_large_event_grows_the_buffer()
    {
        var big = new string('x', 100_000);
        var events = Frame("data: one\ndata: two\n\n", "data: " + big + "\n\n");

        Assert.Equal("one\ntwo", events[0].Data);
        Assert.Equal(big, events[1].Data);
    }
}

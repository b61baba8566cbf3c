using System.Buffers;
using System.Text;
using Switchboard.Egress;

namespace Switchboard.Tests.Egress;

public sealed class ToolsFormCacheTests
{
    [Fact]
    public void The_same_bytes_get_the_form_written_once_and_other_bytes_their_own()
    {
        var cache = new ToolsFormCache(maxEntries: 8, maxBytes: 1 << 20);
        var writes = 0;

        var first = Get(cache, "[1]", ref writes);
        var again = Get(cache, "[1]", ref writes);
        var other = Get(cache, "[2]", ref writes);

        Assert.Equal("form of [1]", first);
        Assert.Equal("form of [1]", again);
        Assert.Equal("form of [2]", other);
        Assert.Equal(2, writes);
    }

    [Fact]
    public void Keys_that_share_their_sampled_ends_are_still_told_apart()
    {
        var cache = new ToolsFormCache(maxEntries: 8, maxBytes: 1 << 20);
        var writes = 0;
        var middle = new string('a', 5000);
        var one = "<" + new string('x', 3000) + middle + "1" + middle + new string('y', 3000) + ">";
        var two = "<" + new string('x', 3000) + middle + "2" + middle + new string('y', 3000) + ">";

        Assert.Equal("form of " + one, Get(cache, one, ref writes));
        Assert.Equal("form of " + two, Get(cache, two, ref writes));
        Assert.Equal("form of " + one, Get(cache, one, ref writes));
    }

    [Fact]
    public void The_least_recently_used_entry_goes_when_the_entry_limit_is_reached()
    {
        var cache = new ToolsFormCache(maxEntries: 2, maxBytes: 1 << 20);
        var writes = 0;
        Get(cache, "[a]", ref writes);
        Get(cache, "[b]", ref writes);
        Get(cache, "[a]", ref writes);
        Get(cache, "[c]", ref writes);
        Assert.Equal(3, writes);
        Assert.Equal(2, cache.Count);

        Get(cache, "[a]", ref writes);
        Assert.Equal(3, writes);
        Get(cache, "[b]", ref writes);
        Assert.Equal(4, writes);
    }

    [Fact]
    public void Forms_that_would_take_more_than_a_quarter_of_the_byte_limit_are_not_kept()
    {
        var cache = new ToolsFormCache(maxEntries: 8, maxBytes: 400);
        var writes = 0;
        var large = new string('z', 120);

        Assert.Equal("form of " + large, Get(cache, large, ref writes));
        Assert.Equal("form of " + large, Get(cache, large, ref writes));
        Assert.Equal(2, writes);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void The_byte_limit_evicts_older_entries()
    {
        var cache = new ToolsFormCache(maxEntries: 100, maxBytes: 400);
        var writes = 0;
        for (var i = 0; i < 10; i++)
        {
            Get(cache, $"[{i}{new string('k', 20)}]", ref writes);
        }

        // Each entry holds its key (23-24 bytes) and form (8 more): at most 400 bytes in all.
        Assert.InRange(cache.Count, 1, 400 / 50);
    }

    [Fact]
    public void Concurrent_callers_all_get_the_right_form()
    {
        var cache = new ToolsFormCache(maxEntries: 4, maxBytes: 1 << 20);
        Parallel.For(0, 2000, i =>
        {
            var key = $"[{i % 7}]";
            var form = cache.GetOrAdd(Encoding.UTF8.GetBytes(key), key, static (output, state) => output.Write(Encoding.UTF8.GetBytes("form of " + state)));
            Assert.Equal("form of " + key, Encoding.UTF8.GetString(form.Span));
        });
        Assert.InRange(cache.Count, 1, 4);
    }

    private static string Get(ToolsFormCache cache, string key, ref int writes)
    {
        var counter = new StrongBox(writes);
        var form = cache.GetOrAdd(Encoding.UTF8.GetBytes(key), (key, counter), static (output, state) =>
        {
            state.counter.Value++;
            output.Write(Encoding.UTF8.GetBytes("form of " + state.key));
        });
        writes = counter.Value;
        return Encoding.UTF8.GetString(form.Span);
    }

    private sealed class StrongBox(int value)
    {
        public int Value { get; set; } = value;
    }
}

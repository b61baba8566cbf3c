using System.IO.Pipelines;
using Switchboard.Egress;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Egress;

public sealed class PacedReadStreamTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Flushes_before_each_read_and_pings_only_while_the_upstream_is_silent()
    {
        var time = new ManualTimeProvider();
        var upstream = new Pipe();
        int flushes = 0, pings = 0;
        using var pacing = new StreamPacing(
            _ => { Interlocked.Increment(ref flushes); return ValueTask.CompletedTask; },
            _ => { Interlocked.Increment(ref pings); return ValueTask.CompletedTask; },
            Interval,
            time);
        await using var body = pacing.Wrap(upstream.Reader.AsStream());
        var buffer = new byte[16];

        var read = body.ReadAsync(buffer).AsTask();
        await Until(() => time.ActiveTimers == 1);
        Assert.Equal(1, flushes);
        Assert.Equal(0, pings);

        time.Advance(Interval);
        await Until(() => pings == 1 && time.ActiveTimers == 1);
        time.Advance(Interval);
        await Until(() => pings == 2 && time.ActiveTimers == 1);
        Assert.False(read.IsCompleted);

        await upstream.Writer.WriteAsync("data: {}\n\n"u8.ToArray());
        Assert.Equal(10, await read);
        Assert.Equal(2, pings);

        // Data already waiting: read at once, no timer, still one flush per read.
        await upstream.Writer.WriteAsync("x"u8.ToArray());
        Assert.Equal(1, await body.ReadAsync(buffer));
        Assert.Equal(2, flushes);
        Assert.Equal(2, pings);
    }

    [Fact]
    public async Task Waiting_for_a_task_sends_keep_alives_until_it_completes()
    {
        var time = new ManualTimeProvider();
        var pings = 0;
        using var pacing = new StreamPacing(_ => ValueTask.CompletedTask, _ => { Interlocked.Increment(ref pings); return ValueTask.CompletedTask; }, Interval, time);
        var answer = new TaskCompletionSource<string>();

        var waiting = pacing.WaitAsync(answer.Task, CancellationToken.None);
        await Until(() => time.ActiveTimers == 1);
        time.Advance(Interval);
        await Until(() => pings == 1 && time.ActiveTimers == 1);
        answer.SetResult("headers");

        Assert.Equal("headers", await waiting);
        Assert.Equal(1, pings);
    }

    [Fact]
    public async Task One_timer_serves_every_read_of_a_stream()
    {
        var time = new ManualTimeProvider();
        var upstream = new Pipe();
        var pings = 0;
        using var pacing = new StreamPacing(_ => ValueTask.CompletedTask, _ => { Interlocked.Increment(ref pings); return ValueTask.CompletedTask; }, Interval, time);
        await using var body = pacing.Wrap(upstream.Reader.AsStream());
        var buffer = new byte[16];

        for (var i = 0; i < 20; i++)
        {
            // Each read waits (nothing is there yet), then the token arrives.
            var read = body.ReadAsync(buffer).AsTask();
            await Until(() => time.ActiveTimers == 1);
            Assert.False(read.IsCompleted);
            await upstream.Writer.WriteAsync("t"u8.ToArray());
            Assert.Equal(1, await read);
        }

        Assert.Equal(1, time.CreatedTimers);
        Assert.Equal(0, pings);

        // Still a keep-alive once the upstream falls silent for an interval.
        var silent = body.ReadAsync(buffer).AsTask();
        time.Advance(Interval);
        await Until(() => pings == 1);
        await upstream.Writer.WriteAsync("t"u8.ToArray());
        Assert.Equal(1, await silent);
        Assert.Equal(1, time.CreatedTimers);
    }

    [Fact]
    public async Task A_wait_that_starts_between_ticks_gets_its_keep_alive_a_whole_interval_after_it_began()
    {
        var time = new ManualTimeProvider();
        var upstream = new Pipe();
        var pings = 0;
        using var pacing = new StreamPacing(_ => ValueTask.CompletedTask, _ => { Interlocked.Increment(ref pings); return ValueTask.CompletedTask; }, Interval, time);
        await using var body = pacing.Wrap(upstream.Reader.AsStream());
        var buffer = new byte[16];

        var first = body.ReadAsync(buffer).AsTask();
        await Until(() => time.ActiveTimers == 1);
        time.Advance(TimeSpan.FromSeconds(3));
        await upstream.Writer.WriteAsync("t"u8.ToArray());
        Assert.Equal(1, await first);

        // The next wait begins at 3 s; the timer's tick at 5 s is too early for it, its keep-alive is due at 8 s.
        var second = body.ReadAsync(buffer).AsTask();
        time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(50);
        Assert.Equal(0, pings);
        time.Advance(TimeSpan.FromSeconds(3));
        await Until(() => pings == 1);
        await upstream.Writer.WriteAsync("t"u8.ToArray());
        Assert.Equal(1, await second);
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}

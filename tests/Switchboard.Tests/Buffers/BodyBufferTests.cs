using System.Buffers;
using System.Text;
using Switchboard.Buffers;

namespace Switchboard.Tests.Buffers;

public sealed class BodyBufferTests
{
    [Fact]
    public void Moves_everything_written_since_the_last_move_in_order_and_starts_empty_again()
    {
        using var batch = new BodyBuffer(initialCapacity: 0);
        var output = new ArrayBufferWriter<byte>();
        batch.Write("event: ping\n"u8);
        var large = Encoding.ASCII.GetBytes(new string('x', 10_000));
        batch.Write(large);
        batch.Write("\n\n"u8);

        Assert.Equal(12 + 10_000 + 2, batch.Length);
        batch.MoveTo(output);

        Assert.Equal(0, batch.Length);
        Assert.Equal("event: ping\n" + new string('x', 10_000) + "\n\n", Encoding.ASCII.GetString(output.WrittenSpan));

        batch.MoveTo(output);
        Assert.Equal(10_014, output.WrittenCount);

        batch.Write("data: {}\n\n"u8);
        batch.MoveTo(output);
        Assert.EndsWith("\n\ndata: {}\n\n", Encoding.ASCII.GetString(output.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void Advancing_past_what_was_handed_out_is_refused()
    {
        using var batch = new BodyBuffer(initialCapacity: 0);
        var handedOut = batch.GetSpan(16).Length;

        Assert.Throws<InvalidOperationException>(() => batch.Advance(handedOut + 1));
    }

    [Theory]
    [InlineData(64 * 1024, true)]
    [InlineData(BodyBuffer.MaxPooledLength, true)]
    [InlineData(BodyBuffer.MaxPooledLength + 1, false)]
    [InlineData(20 * 1024 * 1024, false)]
    public void Only_arrays_up_to_the_pooled_size_go_back_to_the_shared_pool(int length, bool pooled)
    {
        var body = new BodyBuffer(initialCapacity: 0);
        body.GetSpan(length)[..length].Fill((byte)'x');
        body.Advance(length);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body.WrittenMemory, out var segment));
        var array = segment.Array!;

        body.Dispose();

        // The pool hands a thread back the array that thread returned last, if it has one of that size.
        var rented = ArrayPool<byte>.Shared.Rent(array.Length);
        Assert.Equal(pooled, ReferenceEquals(array, rented));
        if (pooled)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

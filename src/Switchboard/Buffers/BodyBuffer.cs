using System.Buffers;
using Switchboard.Egress;

namespace Switchboard.Buffers;

/// <summary>
/// A body in pooled memory: written (or read) once, used once, then returned to the pool. Model-server bodies are
/// often hundreds of kilobytes, too large to allocate afresh for every request. Streams also batch the SSE events
/// written between two flushes in one, handed to the response with <see cref="MoveTo"/>: Kestrel's HTTP/1.1 output
/// takes a lock on every <c>GetSpan</c> and <c>Advance</c>, and an event is written in several pieces. Disposed (or
/// moved), it holds no memory and can be written again.
/// <para>
/// Only arrays up to <see cref="MaxPooledLength"/> come from (and go back to) the shared pool. The pool keeps what
/// it is given for the process's life, one array per thread and per size class, so pooling the arrays of a 20 MB
/// request body would pin tens of megabytes per thread after a few such requests. Larger arrays are plain
/// allocations the GC takes back once the request is done.
/// </para>
/// </summary>
public sealed class BodyBuffer : IBufferWriter<byte>, IDisposable
{
    private const int MinimumRent = 4096;

    /// <summary>The largest array rented from the shared pool; larger bodies are allocated and left to the GC.</summary>
    public const int MaxPooledLength = 1024 * 1024;

    private byte[] _buffer;
    private int _written;

    /// <param name="initialCapacity">Bytes to rent at once; 0 rents nothing until something is written.</param>
    public BodyBuffer(int initialCapacity = 16 * 1024)
    {
        _buffer = initialCapacity > 0 ? Allocate(initialCapacity) : [];
    }

    public int Length => _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>What was written, open to edits that keep its length (a request body repaired in place).</summary>
    public Span<byte> WrittenSpanForEdit => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _buffer.Length)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Reads <paramref name="body"/> to its end; false when it is longer than <paramref name="limit"/> bytes.</summary>
    public async Task<bool> ReadFromAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            var room = GetMemory(4096);
            if (room.Length > limit - _written + 1)
            {
                room = room[..(limit - _written + 1)];
            }

            var pending = body.ReadAsync(room, cancellationToken);
            int read;
            if (pending.IsCompleted)
            {
                read = await pending.ConfigureAwait(false);
            }
            else
            {
                using (UpstreamWait.Mark())
                {
                    read = await pending.ConfigureAwait(false);
                }
            }

            if (read == 0)
            {
                return true;
            }

            _written += read;
            if (_written > limit)
            {
                _written = limit;
                return false;
            }
        }
    }

    /// <summary>Writes what is buffered to <paramref name="output"/> and returns the memory to the pool.</summary>
    public void MoveTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_written > 0)
        {
            output.Write(WrittenSpan);
        }

        Dispose();
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        Release(buffer);
    }

    private void Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        var wanted = Math.Max(MinimumRent, Math.Max(_buffer.Length * 2, _written + sizeHint));
        var larger = Allocate((int)Math.Min((long)wanted, Array.MaxLength));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        Release(_buffer);
        _buffer = larger;
    }

    private static byte[] Allocate(int length) =>
        length <= MaxPooledLength ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);

    /// <summary>Pooled arrays go back to the pool; an allocated one (always above the pooled size) is dropped.</summary>
    private static void Release(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= MaxPooledLength)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

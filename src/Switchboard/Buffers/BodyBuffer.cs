using System.Buffers;
using Switchboard.Egress;
using Switchboard.Pipeline;

namespace Switchboard.Buffers;

/// <summary>
/// A body in pooled memory: written (or read) once, used once, then returned to the pool. Model-server bodies are
/// often hundreds of kilobytes, too large to allocate afresh for every request. Streams also batch the SSE events
/// written between two flushes in one, handed to the response with <see cref="MoveTo"/>: Kestrel's HTTP/1.1 output
/// takes a lock on every <c>GetSpan</c> and <c>Advance</c>, and an event is written in several pieces. Disposed (or
/// moved), it holds no memory and can be written again.
/// </summary>
public sealed class BodyBuffer : IBufferWriter<byte>, IDisposable
{
    private const int MinimumRent = 4096;

    private byte[] _buffer;
    private int _written;

    /// <param name="initialCapacity">Bytes to rent at once; 0 rents nothing until something is written.</param>
    public BodyBuffer(int initialCapacity = 16 * 1024)
    {
        _buffer = initialCapacity > 0 ? ArrayPool<byte>.Shared.Rent(initialCapacity) : [];
    }

    public int Length => _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

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
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(MinimumRent, Math.Max(_buffer.Length * 2, _written + sizeHint)));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}

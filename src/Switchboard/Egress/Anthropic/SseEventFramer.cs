using System.Buffers;

namespace Switchboard.Egress.Anthropic;

/// <summary>
/// Cuts an event stream into whole events as bytes arrive: an event ends at a blank line (<c>\n\n</c>, also with
/// <c>\r\n</c> line ends). Each event keeps its exact bytes (for a relay) and gives its <c>event:</c> name and its
/// <c>data:</c> payload (several data lines joined with <c>\n</c>, as the SSE rules say). Comment lines are kept in
/// the bytes and ignored otherwise.
/// </summary>
internal sealed class SseEventFramer : IDisposable
{
    /// <summary>Far above any real event; a stream that never ends an event does not fill memory.</summary>
    public const int MaxEventBytes = 16 * 1024 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start;
    private int _end;
    private byte[]? _joined;

    /// <summary>Where the next read should write.</summary>
    public Memory<byte> FreeSpace()
    {
        if (_start > 0 && _start == _end)
        {
            _start = _end = 0;
        }

        if (_buffer.Length - _end < 4096)
        {
            var pending = _end - _start;
            if (pending + 8192 > MaxEventBytes)
            {
                throw new InvalidDataException("An event is larger than Switchboard accepts");
            }

            var target = pending * 2 + 8192 > _buffer.Length ? ArrayPool<byte>.Shared.Rent(pending * 2 + 8192) : _buffer;
            _buffer.AsSpan(_start, pending).CopyTo(target);
            if (!ReferenceEquals(target, _buffer))
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = target;
            }

            _start = 0;
            _end = pending;
        }

        return _buffer.AsMemory(_end);
    }

    public void Advance(int read) => _end += read;

    /// <summary>True when bytes of an unfinished event are left (the stream ended inside an event).</summary>
    public bool HasPartialEvent => _buffer.AsSpan(_start, _end - _start).TrimStart("\r\n"u8).Length > 0;

    /// <summary>The next complete event, if one has arrived.</summary>
    public bool TryNext(out SseEvent next)
    {
        var pending = _buffer.AsSpan(_start, _end - _start);
        var (length, terminator) = FindEnd(pending);
        if (length < 0)
        {
            next = default;
            return false;
        }

        var raw = _buffer.AsMemory(_start, length + terminator);
        _start += length + terminator;
        next = Parse(raw, length);
        return true;
    }

    private static (int Length, int Terminator) FindEnd(ReadOnlySpan<byte> pending)
    {
        for (var i = 0; i < pending.Length; i++)
        {
            if (pending[i] != (byte)'\n')
            {
                continue;
            }

            // A blank line follows this line end: "\n\n" or "\n\r\n".
            if (i + 1 < pending.Length && pending[i + 1] == (byte)'\n')
            {
                return (i + 1, 1);
            }

            if (i + 2 < pending.Length && pending[i + 1] == (byte)'\r' && pending[i + 2] == (byte)'\n')
            {
                return (i + 1, 2);
            }
        }

        return (-1, 0);
    }

    private SseEvent Parse(ReadOnlyMemory<byte> raw, int length)
    {
        var text = raw.Span[..length];
        ReadOnlyMemory<byte> name = default;
        ReadOnlyMemory<byte> data = default;
        var dataLines = 0;
        var offset = 0;
        while (offset < text.Length)
        {
            var lineEnd = text[offset..].IndexOf((byte)'\n');
            var lineLength = lineEnd < 0 ? text.Length - offset : lineEnd;
            var line = raw.Slice(offset, lineLength);
            if (line.Span.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            offset += lineLength + 1;
            if (Field(line, "event"u8) is { } eventName)
            {
                name = eventName;
            }
            else if (Field(line, "data"u8) is { } payload)
            {
                data = dataLines++ == 0 ? payload : Join(data, payload);
            }
        }

        return new SseEvent(raw, name, data, dataLines > 0);
    }

    private ReadOnlyMemory<byte> Join(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> next)
    {
        // Rare (no Messages API server splits data lines): the joined copy lives until the next join.
        var joined = new byte[first.Length + 1 + next.Length];
        first.Span.CopyTo(joined);
        joined[first.Length] = (byte)'\n';
        next.Span.CopyTo(joined.AsSpan(first.Length + 1));
        _joined = joined;
        return _joined;
    }

    private static ReadOnlyMemory<byte>? Field(ReadOnlyMemory<byte> line, ReadOnlySpan<byte> field)
    {
        var span = line.Span;
        if (!span.StartsWith(field) || span.Length == field.Length || span[field.Length] != (byte)':')
        {
            return span.SequenceEqual(field) ? ReadOnlyMemory<byte>.Empty : (ReadOnlyMemory<byte>?)null;
        }

        var value = line[(field.Length + 1)..];
        return value.Span.StartsWith(" "u8) ? value[1..] : value;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

/// <summary>One event: its exact bytes (terminator included), its name and its data.</summary>
internal readonly record struct SseEvent(ReadOnlyMemory<byte> Raw, ReadOnlyMemory<byte> Name, ReadOnlyMemory<byte> Data, bool HasData)
{
    public bool Is(ReadOnlySpan<byte> name) => Name.Span.SequenceEqual(name);
}

namespace Switchboard.Egress;

/// <summary>
/// The read-only <see cref="Stream"/> shape of an upstream body seen through one of Switchboard's views
/// (<see cref="IdleWatchStream"/>, <see cref="PacedReadStream"/>): reads are asynchronous and go to
/// <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>; everything else is refused. Disposing it disposes the body.
/// </summary>
internal abstract class UpstreamBodyStream(Stream inner) : Stream
{
    protected Stream Inner { get; } = inner;

    public sealed override bool CanRead => true;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public sealed override long Length => throw new NotSupportedException();

    public sealed override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Upstream bodies are read asynchronously.");

    public sealed override void Flush()
    {
    }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

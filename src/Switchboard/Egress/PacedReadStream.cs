
namespace Switchboard.Egress;

/// <summary>A read-only view of an upstream body that applies <see cref="StreamPacing"/> around each read.</summary>
internal sealed class PacedReadStream(Stream inner, StreamPacing pacing) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await pacing.FlushAsync(cancellationToken).ConfigureAwait(false);
        var read = inner.ReadAsync(buffer, cancellationToken);
        if (read.IsCompleted)
        {
            return await read.ConfigureAwait(false);
        }

        using (UpstreamWait.Mark())
        {
            return await pacing.WaitAsync(read.AsTask(), cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Upstream bodies are read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

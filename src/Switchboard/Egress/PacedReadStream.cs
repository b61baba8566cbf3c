namespace Switchboard.Egress;

/// <summary>A read-only view of an upstream body that applies <see cref="StreamPacing"/> around each read.</summary>
internal sealed class PacedReadStream(Stream inner, StreamPacing pacing) : UpstreamBodyStream(inner)
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await pacing.FlushAsync(cancellationToken).ConfigureAwait(false);
        var read = Inner.ReadAsync(buffer, cancellationToken);
        if (read.IsCompleted)
        {
            return await read.ConfigureAwait(false);
        }

        using (UpstreamWait.Mark())
        {
            return await pacing.WaitAsync(read, cancellationToken).ConfigureAwait(false);
        }
    }
}

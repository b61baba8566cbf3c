namespace Switchboard.Egress;

/// <summary>
/// An upstream body that tells its <see cref="UpstreamDeadline"/> about every read, so the idle limit counts from
/// the last one. A read that completes at once costs no extra async step.
/// </summary>
internal sealed class IdleWatchStream(Stream inner, UpstreamDeadline deadline) : UpstreamBodyStream(inner)
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = Inner.ReadAsync(buffer, cancellationToken);
        if (read.IsCompletedSuccessfully)
        {
            deadline.Touch();
            return read;
        }

        return AfterAsync(read);
    }

    private async ValueTask<int> AfterAsync(ValueTask<int> read)
    {
        var count = await read.ConfigureAwait(false);
        deadline.Touch();
        return count;
    }
}

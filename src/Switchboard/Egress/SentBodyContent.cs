using System.Net;

namespace Switchboard.Egress;

/// <summary>
/// A request body in memory that says when the HTTP handler has finished sending it: after that nothing reads the
/// memory again, so its pooled buffer can go back while the answer is still streaming (an agent's prompt is
/// ~80 KB, held for the whole stream otherwise).
/// </summary>
internal sealed class SentBodyContent(ReadOnlyMemory<byte> body) : HttpContent
{
    private volatile bool _sent;

    /// <summary>The handler has written the whole body and returned; the memory is not read again.</summary>
    public bool Sent => _sent;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        _sent = true;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }
}

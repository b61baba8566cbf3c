using System.Buffers;
using Switchboard.Canonical;

namespace Switchboard.Egress;

/// <summary>
/// An upstream answer already in a client dialect (<see cref="Dialect"/>): when the client's door speaks the same
/// one, the pipeline relays it as it arrives and the door's writers are bypassed. It can still be read into canonical
/// content (<see cref="IUpstreamResponse.ReadAsync"/>) for any other door.
/// </summary>
public interface IRelayableResponse : IUpstreamResponse
{
    /// <summary>The dialect of the answer, named as the door that speaks it (e.g. <c>anthropic</c>).</summary>
    string Dialect { get; }

    /// <summary>True when the answer is an event stream, false when it is one whole message.</summary>
    bool IsStream { get; }

    /// <summary>The usage the answer has reported so far (final once it has been relayed completely).</summary>
    Usage Usage { get; }

    /// <summary>True once a content block has gone to the client.</summary>
    bool ContentSent { get; }

    /// <summary>
    /// Writes each complete event of the stream into <paramref name="output"/> as it arrives, unchanged; reads go
    /// through <paramref name="pacing"/> (flush before each wait, keep-alives). A malformed, failed or cut-short
    /// stream throws <see cref="ApiException"/> and nothing of the bad event is written.
    /// </summary>
    Task RelayStreamAsync(IBufferWriter<byte> output, StreamPacing pacing, CancellationToken cancellationToken);

    /// <summary>Reads the whole message, checks it is one and reads its usage; the bytes are the client's answer as they are.</summary>
    Task<ReadOnlyMemory<byte>> ReadMessageAsync(CancellationToken cancellationToken);
}

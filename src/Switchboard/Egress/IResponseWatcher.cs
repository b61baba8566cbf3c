using Switchboard.Canonical;

namespace Switchboard.Egress;

/// <summary>
/// A layer that watches one upstream answer without changing it (the pool's health and in-flight count, the
/// telemetry's attempt span): it hears when the answer is read or relayed, whether that failed, and when the answer
/// is released. <see cref="WatchedResponse.Watch"/> puts it around an answer.
/// </summary>
public interface IResponseWatcher
{
    /// <param name="streaming">The answer is an event stream read as it arrives.</param>
    void ReadStarted(bool streaming);

    /// <summary>Reading failed; the exception goes on to the caller unchanged.</summary>
    void ReadFailed(Exception failure, CancellationToken cancellationToken);

    /// <param name="usage">The usage read so far (final after a complete read).</param>
    void ReadEnded(bool streaming, Usage usage);

    /// <summary>The answer was released (after the egress's own answer).</summary>
    void Released();
}

using System.IO.Pipelines;

namespace Switchboard.Pipeline;

/// <summary>
/// Where the pipeline's answer goes: an HTTP response for a front door, a file or memory for a batch runner.
/// The pipeline decides status and content type; the channel maps them onto its transport.
/// </summary>
public interface IResponseChannel
{
    /// <summary>The request id the answer and its errors carry.</summary>
    string RequestId { get; }

    /// <summary>Fires when nobody is left to answer (the client disconnected).</summary>
    CancellationToken Aborted { get; }

    PipeWriter Body { get; }

    /// <summary>True once status and headers are committed; an error can then only go in-stream.</summary>
    bool HasStarted { get; }

    /// <summary>Sets the status and content type of a whole answer.</summary>
    void Begin(int status, string contentType);

    /// <summary>
    /// Adds a response header (the rate-limit headers a door names); before <see cref="HasStarted"/> only. A
    /// transport without headers ignores it.
    /// </summary>
    void SetHeader(string name, string value);

    /// <summary>Sets up a stream: status 200, the content type, no caching and no buffering on the way.</summary>
    void BeginStream(string contentType);
}

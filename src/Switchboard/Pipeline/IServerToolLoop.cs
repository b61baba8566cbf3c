using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Routing;

namespace Switchboard.Pipeline;

/// <summary>
/// Tools Switchboard runs itself for the client (web search) inside the one client request: the model is offered a
/// function, and each call of it is run and answered and the turn continued upstream until the model answers without
/// it. Implemented outside the pipeline (<c>ServerTools/</c>); the pipeline only asks whether a request needs it and
/// sends through it, so the send and stream stages stay as they are.
/// </summary>
public interface IServerToolLoop
{
    /// <summary>
    /// The run for a request that declares (or replays) a tool this loop runs, when the route's upstream does not run
    /// it natively; null otherwise. Throws <see cref="ApiException"/> for a declaration or replayed result it refuses.
    /// </summary>
    IServerToolRun? Prepare(MessageRequest request, ModelRoute route);
}

/// <summary>One request's server-tool loop.</summary>
public interface IServerToolRun
{
    /// <summary>The first turn's request as the model gets it (the tool offered as a function; the one to count).</summary>
    MessageRequest Request { get; }

    /// <summary>
    /// Sends the first turn (through <paramref name="send"/>, whose flag says whether it is the first) and returns an
    /// answer whose read runs the whole loop: the client's sink receives every turn's content, the server-tool blocks
    /// between them, one stop reason and the summed usage. A refusal of the first turn is thrown here, as from a plain send.
    /// </summary>
    Task<IUpstreamResponse> SendAsync(Func<MessageRequest, bool, CancellationToken, Task<IUpstreamResponse>> send, CancellationToken cancellationToken);
}

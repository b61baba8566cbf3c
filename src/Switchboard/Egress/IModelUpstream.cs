using Switchboard.Canonical;
using Switchboard.Routing;

namespace Switchboard.Egress;

/// <summary>
/// A back-end dialect: sends a canonical request to a model server and reads its answer back into canonical
/// content, and answers what only the upstream's dialect knows: an exact token count and the context window.
/// One implementation per upstream API, registered under its <see cref="Api"/> name (an upstream's <c>Api</c> setting
/// picks it); <c>openai-chat</c> first.
/// </summary>
public interface IModelUpstream
{
    /// <summary>The <c>Api</c> value of the upstreams this implementation serves, e.g. <c>openai-chat</c>.</summary>
    string Api { get; }

    /// <summary>
    /// The request's exact input-token count from the model server's own tokenizer, or null when it has none (the
    /// caller estimates instead).
    /// </summary>
    Task<int?> CountTokensAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken);

    /// <summary>The model's context window as the upstream reports it, or null when unknown.</summary>
    Task<int?> GetContextLengthAsync(ModelRoute route, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the upstream checks thinking signatures itself (the Messages API): it is then sent the thinking
    /// blocks another signer signed, unchanged, and never Switchboard's own.
    /// </summary>
    bool ChecksThinkingSignatures => false;

    /// <summary>
    /// Whether the answer to <paramref name="request"/> will be an <see cref="IRelayableResponse"/> in the dialect the
    /// request came in (its <see cref="MessageRequest.Source"/>): the pipeline then waits for it instead of opening
    /// the stream itself.
    /// </summary>
    bool Relays(MessageRequest request) => false;

    /// <summary>
    /// Sends the request and returns once the upstream has answered with a success status. Failures before that
    /// throw <see cref="ApiException"/> (or <see cref="ContextWindowExceededException"/>) with a client-facing message.
    /// </summary>
    Task<IUpstreamResponse> SendAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken);
}

/// <summary>An upstream answer whose status was success; its body is read into a <see cref="StreamAssembler"/>.</summary>
public interface IUpstreamResponse : IDisposable
{
    /// <summary>
    /// Reads the whole answer into <paramref name="target"/>: content, stop reason and usage. Does not call
    /// <see cref="StreamAssembler.Complete"/>. Throws <see cref="ApiException"/> when the upstream fails midway.
    /// A streamed body is read through <paramref name="pacing"/> when given (flush per read, keep-alives).
    /// </summary>
    Task ReadAsync(StreamAssembler target, StreamPacing? pacing, CancellationToken cancellationToken);
}

/// <summary>The upstream said the prompt plus output budget does not fit the model's context window.</summary>
public sealed class ContextWindowExceededException(string upstreamMessage, int? promptTokens, int? contextLength, int? requestedOutputTokens)
    : Exception(upstreamMessage)
{
    public int? PromptTokens { get; } = promptTokens;

    public int? ContextLength { get; } = contextLength;

    public int? RequestedOutputTokens { get; } = requestedOutputTokens;
}

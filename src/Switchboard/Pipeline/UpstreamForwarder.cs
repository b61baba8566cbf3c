using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Routing;

namespace Switchboard.Pipeline;

/// <summary>
/// Sends a routed request to its upstream, fitting <c>max_tokens</c> to the model first: lowered to the model's
/// output limit, and to what is left of its context window, instead of failing. When the upstream still reports the
/// context is exceeded, the numbers in its error decide: the output budget is lowered once and the request retried,
/// or the client gets Anthropic's own wording, which Claude Code acts on (it compacts on "prompt is too long").
/// The caller's request is never changed: each attempt sends its own copy with the budget fitted for it, so a
/// budget lowered for one attempt (or, later, one upstream of a failover) does not leak into the next. This is the
/// send stage, where failover across upstreams will live.
/// </summary>
public sealed partial class UpstreamForwarder(
    UpstreamApis apis,
    TokenCounter tokenCounter,
    ILogger<UpstreamForwarder> logger)
{
    /// <param name="inputCount">
    /// The request's input-token count when the caller has already started it (a stream needs it for
    /// <c>message_start</c>), so the model server's tokenizer is not asked twice; null: counted here if needed.
    /// </param>
    public async Task<IUpstreamResponse> SendAsync(
        MessageRequest request, ModelRoute route, Task<TokenCount>? inputCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        var upstream = apis.For(route);
        var contextLength = route.Model.ContextLength ?? await upstream.GetContextLengthAsync(route, cancellationToken).ConfigureAwait(false);
        var attempt = await FitOutputAsync(request, route, contextLength, inputCount, cancellationToken).ConfigureAwait(false);
        try
        {
            return await upstream.SendAsync(attempt, route, cancellationToken).ConfigureAwait(false);
        }
        catch (ContextWindowExceededException exceeded)
        {
            var limit = exceeded.ContextLength ?? contextLength;
            if (exceeded.PromptTokens is { } prompt && limit is { } window && prompt < window && attempt.MaxTokens is { } sent
                && window - prompt < sent)
            {
                LogRetry(logger, route.Upstream.Name, sent, window - prompt);
                var retry = attempt with { MaxTokens = window - prompt };
                try
                {
                    return await upstream.SendAsync(retry, route, cancellationToken).ConfigureAwait(false);
                }
                catch (ContextWindowExceededException again)
                {
                    throw ToClientError(again, retry, limit);
                }
            }

            throw ToClientError(exceeded, attempt, limit);
        }
    }

    /// <summary>Anthropic's context-overflow wording, with the numbers when they are known.</summary>
    internal static ApiException ToClientError(ContextWindowExceededException exceeded, MessageRequest request, int? knownContextLength)
    {
        var window = exceeded.ContextLength ?? knownContextLength;
        if (exceeded.PromptTokens is not { } prompt || window is not { } limit)
        {
            return new ApiException(ApiErrorKind.InvalidRequest, $"prompt is too long: {exceeded.Message}");
        }

        if (prompt >= limit)
        {
            return new ApiException(ApiErrorKind.InvalidRequest, $"prompt is too long: {prompt} tokens > {limit} maximum");
        }

        if (request.MaxTokens is not { } budget)
        {
            return new ApiException(ApiErrorKind.InvalidRequest, $"prompt is too long: {exceeded.Message}");
        }

        return new ApiException(ApiErrorKind.InvalidRequest,
            $"input length and `max_tokens` exceed context limit: {prompt} + {budget} > {limit}, decrease input length or `max_tokens` and try again");
    }

    /// <summary>
    /// The request as this attempt sends it: the same object when its budget already fits, else a copy. A request
    /// without a budget gets the model's output limit, fitted like a given one; with no limit configured it goes
    /// without one, and the model server lets the answer use what the context window leaves.
    /// </summary>
    private async Task<MessageRequest> FitOutputAsync(
        MessageRequest request, ModelRoute route, int? contextLength, Task<TokenCount>? inputCount, CancellationToken cancellationToken)
    {
        var maxOutput = route.Model.MaxOutputTokens;
        if ((request.MaxTokens ?? maxOutput) is not { } budget)
        {
            return request;
        }

        if (maxOutput is { } limit && budget > limit)
        {
            budget = limit;
        }

        if (contextLength is not { } window)
        {
            return WithBudget(request, budget);
        }

        // Only pay for an exact count when the budget might not fit; the estimate decides that cheaply.
        var estimate = TokenEstimator.Estimate(request);
        if (estimate / 2 + budget <= window)
        {
            return WithBudget(request, budget);
        }

        var count = await (inputCount ?? tokenCounter.CountAsync(request, route, cancellationToken)).ConfigureAwait(false);
        if (count.Exact && count.Tokens >= window)
        {
            throw new ApiException(ApiErrorKind.InvalidRequest, $"prompt is too long: {count.Tokens} tokens > {window} maximum");
        }

        // An estimate never refuses a request: it only trims the budget, and the upstream has the last word.
        var room = count.Tokens < window ? window - count.Tokens : window;
        return WithBudget(request, Math.Min(budget, room));
    }

    private static MessageRequest WithBudget(MessageRequest request, int budget) =>
        budget == request.MaxTokens ? request : request with { MaxTokens = budget };

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "Upstream {Upstream} reported the context window exceeded; retrying with max_tokens {To} instead of {From}")]
    private static partial void LogRetry(ILogger logger, string upstream, int from, int to);
}

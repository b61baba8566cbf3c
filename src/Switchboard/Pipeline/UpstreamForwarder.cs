using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Routing;
using Switchboard.Routing.Pools;
using Switchboard.Telemetry;

namespace Switchboard.Pipeline;

/// <summary>
/// The send stage. Picks the target of the model's pool for each attempt (<see cref="TargetPicker"/>: healthy targets
/// of the most preferred priority, the conversation's own target by affinity, else the less loaded of two), fits
/// <c>max_tokens</c> to that target's model and sends. A failure before the upstream answered (connection refused or
/// reset, no headers in time, 5xx, 429/529) is reported to the target's health and the request goes to the next
/// target after a short jittered wait, within <see cref="PoolOptions.MaxAttempts"/> and
/// <see cref="PoolOptions.MaxFailoverSeconds"/>; once an upstream has answered, the answer is the client's, and a
/// failure after that is the door's in-stream error (nothing has been sent to the client before this returns).
/// When no target is left the client is told the model is overloaded (529 on the Anthropic door, 503 on the OpenAI
/// doors), naming the model, never an upstream's address. A model with one target keeps the upstream's own error.
/// The output budget: lowered to the model's output limit, and to what is left of its context window, instead of
/// failing. When the upstream still reports the context is exceeded, the numbers in its error decide: the output
/// budget is lowered once and the request retried, or the client gets Anthropic's own wording, which Claude Code acts
/// on (it compacts on "prompt is too long"). The caller's request is never changed: each attempt sends its own copy
/// with the budget fitted for its target, so a budget lowered for one attempt does not leak into the next.
/// </summary>
public sealed partial class UpstreamForwarder
{
    private readonly UpstreamApis _apis;
    private readonly TokenCounter _tokenCounter;
    private readonly UpstreamHealthBoard? _health;
    private readonly PoolOptions _pools;
    private readonly TargetPicker _picker;
    private readonly TimeProvider _time;
    private readonly ILogger<UpstreamForwarder> _logger;
    private readonly ThinkingKey? _thinkingKey;

    /// <summary>A forwarder without health tracking or failover options (tests that send to one upstream).</summary>
    public UpstreamForwarder(UpstreamApis apis, TokenCounter tokenCounter, ILogger<UpstreamForwarder> logger)
        : this(apis, tokenCounter, null, new SwitchboardOptions(), TimeProvider.System, logger)
    {
    }

    public UpstreamForwarder(
        UpstreamApis apis, TokenCounter tokenCounter, UpstreamHealthBoard? health, SwitchboardOptions options, TimeProvider time,
        ILogger<UpstreamForwarder> logger, ThinkingKey? thinkingKey = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _thinkingKey = thinkingKey;
        _apis = apis;
        _tokenCounter = tokenCounter;
        _health = health;
        _pools = options.Pools;
        _picker = new TargetPicker(options.Pools.AffinityLoadFactor);
        _time = time;
        _logger = logger;
    }

    /// <param name="inputCount">
    /// The request's input-token count when the caller has already started it (a stream needs it for
    /// <c>message_start</c>), so the model server's tokenizer is not asked twice; null: counted here if needed.
    /// </param>
    /// <param name="record">Where the target used and the number of attempts are recorded.</param>
    public async Task<IUpstreamResponse> SendAsync(
        MessageRequest request, ModelRoute route, Task<TokenCount>? inputCount, CancellationToken cancellationToken,
        RequestRecord? record = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        if (route.Pool is not { } pool || route.Target is not null)
        {
            return await SendToAsync(request, route, inputCount, cancellationToken).ConfigureAwait(false);
        }

        var key = pool.Targets.Count > 1 && _pools.Affinity ? AffinityKey.Of(pool.Model, record?.SessionKey, request) : null;
        var started = _time.GetTimestamp();
        var tried = new List<PoolTarget>(2);
        ApiException? last = null;
        var target = _picker.Pick(pool, key, tried, _time.GetUtcNow());
        var filteredFor = _apis.For(route).ChecksThinkingSignatures;
        while (target is not null)
        {
            tried.Add(target);
            var targetRoute = target.RouteFor(route);
            var attempt = ForTarget(request, targetRoute, filteredFor);
            if (record is not null)
            {
                record.Target = target.Upstream.Name;
                record.UpstreamModel = target.UpstreamModel;
                record.Attempts = tried.Count;
            }

            var lease = target.Health.Begin();
            var attemptStarted = _time.GetTimestamp();
            try
            {
                var response = await SendToAsync(attempt, targetRoute, inputCount, cancellationToken).ConfigureAwait(false);
                Note(record, target, UpstreamAttempt.Answered, 200, attemptStarted);
                _health?.Succeeded(target.Health);
                return WatchedResponse.Watch(response, new PoolTargetWatcher(lease, target.Health, _health));
            }
            catch (ApiException failure) when (!cancellationToken.IsCancellationRequested
                && UpstreamFailure.KindOf(failure) is { } kind && IsTargetFailure(kind))
            {
                lease.Dispose();
                Note(record, target, kind.LogName(), UpstreamFailure.StatusOf(failure), attemptStarted);
                _health?.Failed(target.Health, kind, failure.Error.RetryAfterSeconds);
                last = failure;
                if (pool.Targets.Count == 1)
                {
                    throw;
                }

                var spent = _time.GetElapsedTime(started);
                var budget = TimeSpan.FromSeconds(_pools.MaxFailoverSeconds);
                var next = tried.Count < _pools.MaxAttempts && spent < budget ? _picker.Pick(pool, key, tried, _time.GetUtcNow()) : null;
                if (next is null)
                {
                    break;
                }

                LogFailover(_logger, target.Upstream.Name, kind.LogName(), pool.Model, tried.Count);
                var wait = Backoff(tried.Count);
                if (wait > TimeSpan.Zero)
                {
                    // Time lost to a failed upstream, not Switchboard's own work: kept out of the overhead figure.
                    using (UpstreamWait.Mark())
                    {
                        await Task.Delay(wait < budget - spent ? wait : budget - spent, _time, cancellationToken).ConfigureAwait(false);
                    }
                }

                target = next;
            }
            catch (Exception failure)
            {
                lease.Dispose();
                Note(record, target, AttemptOutcomes.Of(failure), UpstreamFailure.StatusOf(failure), attemptStarted);
                throw;
            }
        }

        throw AllTargetsDown(pool, tried.Count, last);
    }

    /// <summary>Adds an attempt to the record's attempt log (the request detail's failover view).</summary>
    private void Note(RequestRecord? record, PoolTarget target, string outcome, int? status, long started)
    {
        if (record is not null)
        {
            (record.AttemptLog ??= new List<UpstreamAttempt>(1)).Add(
                new UpstreamAttempt(target.Upstream.Name, outcome, status, _time.GetElapsedTime(started).TotalMilliseconds));
        }
    }

    /// <summary>
    /// The pipeline's thinking replay filter ran for the route's first target. A target that judges thinking
    /// signatures differently (an Anthropic-compatible fallback behind an OpenAI-compatible server, or the reverse)
    /// gets the conversation filtered for itself; once anything is left out, the client's raw body no longer matches
    /// and is not sent.
    /// </summary>
    private MessageRequest ForTarget(MessageRequest request, ModelRoute targetRoute, bool filteredFor)
    {
        var checks = _apis.For(targetRoute).ChecksThinkingSignatures;
        if (_thinkingKey is null || checks == filteredFor)
        {
            return request;
        }

        var messages = ThinkingReplay.ForTarget(request.Messages, _thinkingKey.Value, checks, out var dropped);
        return dropped == 0 ? request : request with { Messages = messages, Source = null };
    }

    /// <summary>
    /// Failures that say something about the target rather than the request, and that another target may not have:
    /// nothing was answered yet, so the request can go elsewhere.
    /// </summary>
    internal static bool IsTargetFailure(UpstreamFailureKind kind) => kind is
        UpstreamFailureKind.Refused or UpstreamFailureKind.Unreachable or UpstreamFailureKind.Reset
        or UpstreamFailureKind.TimedOutBeforeHeaders or UpstreamFailureKind.RateLimited or UpstreamFailureKind.Overloaded
        or UpstreamFailureKind.ServerError or UpstreamFailureKind.BadResponse or UpstreamFailureKind.Unauthorized;

    /// <summary>What the client is told when no target could take the request: the model is overloaded, retry.</summary>
    private ApiException AllTargetsDown(ModelPool pool, int attempts, ApiException? last)
    {
        var now = _time.GetUtcNow();
        var soonest = pool.Targets.Select(t => t.Health.CoolingUntil(now)).Where(u => u is not null).Min();
        var retryAfter = soonest is { } until ? (int)Math.Clamp(Math.Ceiling((until - now).TotalSeconds), 1, 60) : 1;
        if (last?.Error.RetryAfterSeconds is { } asked)
        {
            retryAfter = Math.Clamp(asked, 1, 60);
        }

        LogAllDown(_logger, pool.Model, attempts, pool.Targets.Count);
        var message = attempts == 0
            ? $"Model '{pool.Model}' is overloaded: every upstream serving it is cooling down after failures; retry shortly"
            : $"Model '{pool.Model}' is overloaded: no upstream serving it could take the request ({attempts} tried); retry shortly";
        return new ApiException(new ApiError(ApiErrorKind.Overloaded, message) { Retryable = true, RetryAfterSeconds = retryAfter });
    }

    /// <summary>Doubling per attempt from <see cref="PoolOptions.BackoffMilliseconds"/>, between half and one and a half of it.</summary>
    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(_pools.BackoffMilliseconds * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble()));

    /// <summary>One attempt: the request sent to one target's route, its budget fitted for that target.</summary>
    private async Task<IUpstreamResponse> SendToAsync(
        MessageRequest request, ModelRoute route, Task<TokenCount>? inputCount, CancellationToken cancellationToken)
    {
        var upstream = _apis.For(route);
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
                LogRetry(_logger, route.Upstream.Name, sent, window - prompt);
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

        var count = await (inputCount ?? _tokenCounter.CountAsync(request, route, cancellationToken)).ConfigureAwait(false);
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

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning,
        Message = "Upstream {Upstream} failed ({Kind}) before answering a request for {Model}; trying another target (attempt {Attempt})")]
    private static partial void LogFailover(ILogger logger, string upstream, string kind, string model, int attempt);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning,
        Message = "No upstream could take a request for {Model}: {Attempts} tried of {Targets} targets; the client is told it is overloaded")]
    private static partial void LogAllDown(ILogger logger, string model, int attempts, int targets);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "Upstream {Upstream} reported the context window exceeded; retrying with max_tokens {To} instead of {From}")]
    private static partial void LogRetry(ILogger logger, string upstream, int from, int to);
}

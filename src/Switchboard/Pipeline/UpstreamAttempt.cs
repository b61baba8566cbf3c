namespace Switchboard.Pipeline;

/// <summary>
/// One call to a pool target, as the send stage saw it: the upstream's configured name (never its address), how it
/// ended before an answer was taken (<see cref="Answered"/>, else the failure: <c>overloaded</c>, <c>refused</c>,
/// <c>rate_limited</c>, …), the upstream's HTTP status when it sent one, and the time from the send to that outcome.
/// </summary>
public readonly record struct UpstreamAttempt(string Upstream, string Outcome, int? Status, double DurationMs)
{
    /// <summary>The outcome of the attempt whose answer went to the client.</summary>
    public const string Answered = "ok";
}

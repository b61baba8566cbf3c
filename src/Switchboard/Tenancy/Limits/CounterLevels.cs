namespace Switchboard.Tenancy.Limits;

/// <summary>
/// What a key's buckets hold at one moment (after refilling), and its requests in flight. A level of a limit the
/// key does not have is meaningless and ignored.
/// </summary>
public readonly record struct CounterLevels(double Requests, double InputTokens, double OutputTokens, int InFlight)
{
    public double Of(LimitKind kind) => kind switch
    {
        LimitKind.Requests => Requests,
        LimitKind.InputTokens => InputTokens,
        LimitKind.OutputTokens => OutputTokens,
        LimitKind.Concurrency => InFlight,
        _ => 0,
    };
}

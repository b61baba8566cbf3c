namespace Switchboard.Routing.Pools;

/// <summary>The targets serving one public model, most preferred priority first.</summary>
public sealed class ModelPool
{
    public ModelPool(string model, IEnumerable<PoolTarget> targets)
    {
        Model = model;
        Targets = [.. targets.OrderBy(t => t.Priority)];
    }

    /// <summary>The public model name, for messages.</summary>
    public string Model { get; }

    public IReadOnlyList<PoolTarget> Targets { get; }

    /// <summary>
    /// The route to the most preferred target that is not cooling down (the first target when all are), for what
    /// asks one upstream on the pool's behalf: the tokenizer, the context window.
    /// </summary>
    public ModelRoute Preferred(ModelRoute pooled, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pooled);
        foreach (var target in Targets)
        {
            if (target.Health.IsAvailable(now))
            {
                return ReferenceEquals(target, Targets[0]) ? pooled : target.RouteFor(pooled);
            }
        }

        return pooled;
    }
}

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
}

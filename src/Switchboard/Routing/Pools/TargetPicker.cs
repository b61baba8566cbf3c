namespace Switchboard.Routing.Pools;

/// <summary>
/// Chooses a pool's target for one attempt, among the available targets (not cooling down, not tried yet by this
/// request) of the most preferred priority that has any:
/// <list type="bullet">
/// <item>with an affinity key, rendezvous hashing: the target scoring highest for the key, so one conversation keeps
/// the replica that holds its prompt in cache, and losing a replica moves only its own conversations; passed over
/// while its requests in flight reach <c>AffinityLoadFactor</c> × its weighted share of the pool's (plus one);</item>
/// <item>without one, the power of two choices: two targets drawn by weight, the one with fewer requests in flight
/// per unit of weight wins (a tie by weight). Random draws keep a burst that sees the same (stale) counts from all landing on the
/// one replica that looked idlest.</item>
/// </list>
/// A pool of one target always gets its target for the first attempt, even cooling down: there is nowhere else to go,
/// and the upstream's own answer says more than a refusal by Switchboard would.
/// </summary>
public sealed class TargetPicker(double affinityLoadFactor, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    public PoolTarget? Pick(ModelPool pool, ulong? affinityKey, IReadOnlyCollection<PoolTarget> tried, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(tried);
        if (pool.Targets.Count == 1)
        {
            return tried.Count == 0 ? pool.Targets[0] : null;
        }

        var candidates = Candidates(pool, tried, now);
        if (candidates.Count == 0)
        {
            return null;
        }

        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        return affinityKey is { } key ? Rendezvous(candidates, key) : PowerOfTwo(candidates);
    }

    /// <summary>Available, untried targets of the most preferred priority that has any.</summary>
    private static List<PoolTarget> Candidates(ModelPool pool, IReadOnlyCollection<PoolTarget> tried, DateTimeOffset now)
    {
        var candidates = new List<PoolTarget>(pool.Targets.Count);
        int? priority = null;
        foreach (var target in pool.Targets)
        {
            if (priority is { } chosen && target.Priority != chosen)
            {
                break;
            }

            if (!tried.Contains(target) && target.Health.IsAvailable(now))
            {
                candidates.Add(target);
                priority = target.Priority;
            }
        }

        return candidates;
    }

    private PoolTarget Rendezvous(List<PoolTarget> candidates, ulong key)
    {
        double totalWeight = 0;
        long inFlight = 0;
        foreach (var target in candidates)
        {
            totalWeight += target.Weight;
            inFlight += target.Health.InFlight;
        }

        // Highest score first; weighted rendezvous: score = -weight / ln(u), u uniform in (0, 1) from the hash.
        var scored = candidates
            .Select(t => (Target: t, Score: -t.Weight / Math.Log(Uniform(StableHash.Mix(key ^ t.Seed)))))
            .OrderByDescending(s => s.Score)
            .ToList();
        foreach (var (target, _) in scored)
        {
            // This request counts too, so an idle pool never refuses a conversation its own target.
            var cap = Math.Ceiling(affinityLoadFactor * (inFlight + 1) * target.Weight / totalWeight) + 1;
            if (target.Health.InFlight < cap)
            {
                return target;
            }
        }

        return scored[0].Target;
    }

    private PoolTarget PowerOfTwo(List<PoolTarget> candidates)
    {
        var first = DrawByWeight(candidates, null);
        var second = DrawByWeight(candidates, first);
        var a = first.Health.InFlight / first.Weight;
        var b = second.Health.InFlight / second.Weight;

        // Equally loaded (an idle pool): by weight, so weights hold for sequential traffic too.
        return a < b ? first : b < a ? second
            : _random.NextDouble() * (first.Weight + second.Weight) < first.Weight ? first : second;
    }

    private PoolTarget DrawByWeight(List<PoolTarget> candidates, PoolTarget? except)
    {
        double total = 0;
        foreach (var target in candidates)
        {
            if (!ReferenceEquals(target, except))
            {
                total += target.Weight;
            }
        }

        var point = _random.NextDouble() * total;
        PoolTarget? last = null;
        foreach (var target in candidates)
        {
            if (ReferenceEquals(target, except))
            {
                continue;
            }

            last = target;
            point -= target.Weight;
            if (point < 0)
            {
                return target;
            }
        }

        return last!;
    }

    private static double Uniform(ulong hash) => (hash >> 11 | 1) * (1.0 / (1UL << 53));
}

namespace Switchboard.Configuration;

/// <summary>
/// The rules for pools, part of <see cref="SwitchboardOptionsValidator"/>: every target on a configured upstream with a
/// positive weight, sane failover numbers and per-upstream timeouts and health settings.
/// </summary>
internal static class PoolOptionsRules
{
    private const string Root = SwitchboardOptions.Section;

    public static void Check(SwitchboardOptions options, List<string> problems)
    {
        var pools = options.Pools;
        if (pools.MaxAttempts < 1)
        {
            problems.Add($"{Root}:Pools:MaxAttempts: must be at least 1");
        }

        if (pools.MaxFailoverSeconds <= 0)
        {
            problems.Add($"{Root}:Pools:MaxFailoverSeconds: must be greater than 0");
        }

        if (pools.BackoffMilliseconds < 0)
        {
            problems.Add($"{Root}:Pools:BackoffMilliseconds: must be 0 or more");
        }

        if (pools.AffinityLoadFactor < 1)
        {
            problems.Add($"{Root}:Pools:AffinityLoadFactor: must be at least 1 (1.25: a target may carry 25% more than the mean)");
        }

        foreach (var (name, upstream) in options.Upstreams)
        {
            CheckUpstream($"{Root}:Upstreams:{name}", upstream, problems);
        }

        var upstreamNames = options.Upstreams.Keys.ToList();
        for (var i = 0; i < options.Models.Count; i++)
        {
            CheckTargets($"{Root}:Models:{i}", options.Models[i], upstreamNames, problems);
        }
    }

    private static void CheckUpstream(string path, UpstreamOptions upstream, List<string> problems)
    {
        if (upstream.HeadersTimeoutSeconds < 0)
        {
            problems.Add($"{path}:HeadersTimeoutSeconds: must be 0 (no limit) or more");
        }

        if (upstream.IdleTimeoutSeconds < 0)
        {
            problems.Add($"{path}:IdleTimeoutSeconds: must be 0 (no limit) or more");
        }

        if (upstream.ProbeIntervalSeconds < 0)
        {
            problems.Add($"{path}:ProbeIntervalSeconds: must be 0 (no probe) or more");
        }

        if (!upstream.HealthPath.StartsWith('/'))
        {
            problems.Add($"{path}:HealthPath: '{upstream.HealthPath}' must start with / (a path under BaseUrl, e.g. /models)");
        }

        if (upstream.FailureThreshold < 1)
        {
            problems.Add($"{path}:FailureThreshold: must be at least 1");
        }

        if (upstream.CooldownSeconds <= 0 || upstream.MaxCooldownSeconds < upstream.CooldownSeconds)
        {
            problems.Add($"{path}:CooldownSeconds: must be greater than 0 and at most MaxCooldownSeconds ({upstream.MaxCooldownSeconds:0.###})");
        }
    }

    private static void CheckTargets(string path, ModelOptions model, List<string> upstreamNames, List<string> problems)
    {
        if (model.Targets.Count > 0 && model.Upstream is { Length: > 0 })
        {
            problems.Add($"{path}:Upstream: set either Upstream or Targets, not both");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var t = 0; t < model.Targets.Count; t++)
        {
            var target = model.Targets[t];
            var at = $"{path}:Targets:{t}";
            if (string.IsNullOrWhiteSpace(target.Upstream))
            {
                problems.Add($"{at}:Upstream: required (one of the configured upstreams: {string.Join(", ", upstreamNames)})");
            }
            else if (!upstreamNames.Contains(target.Upstream, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{at}:Upstream: unknown upstream '{target.Upstream}'{DidYouMean.Hint(target.Upstream, upstreamNames)}; configured: {string.Join(", ", upstreamNames)}");
            }
            else if (!seen.Add(target.Upstream + "\n" + (target.UpstreamModel ?? "")))
            {
                problems.Add($"{at}: upstream '{target.Upstream}' with the same model is already a target of this model");
            }

            if (target.Weight <= 0 || double.IsNaN(target.Weight) || double.IsInfinity(target.Weight))
            {
                problems.Add($"{at}:Weight: must be greater than 0");
            }

            if (target.Priority < 0)
            {
                problems.Add($"{at}:Priority: must be 0 or more (0 is preferred)");
            }
        }
    }
}

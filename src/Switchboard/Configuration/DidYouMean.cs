namespace Switchboard.Configuration;

/// <summary>The closest known name to a mistyped one, for "did you mean" hints (edit distance, case-insensitive).</summary>
public static class DidYouMean
{
    /// <summary>The nearest candidate within a third of the name's length (at least 2 edits, at most <paramref name="maxDistance"/>), or null.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates, int maxDistance = int.MaxValue)
    {
        var limit = Math.Min(maxDistance, Math.Max(2, name.Length / 3));
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance <= limit && distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    /// <summary><c> (did you mean 'X'?)</c> or an empty string.</summary>
    public static string Hint(string name, IEnumerable<string> candidates, string prefix = "") =>
        Closest(name, candidates) is { } closest ? $" (did you mean '{prefix}{closest}'?)" : "";

    private static int Distance(string a, string b)
    {
        // Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}

using System.Text;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>Failures gathered over many cases and reported together, grouped by the problem.</summary>
internal sealed class FailureReport
{
    private readonly List<(string Problem, string Case)> _failures = [];
    private readonly Lock _lock = new();
    private int _cases;

    public void Add(Exchange exchange, IEnumerable<string> problems)
    {
        lock (_lock)
        {
            _cases++;
            foreach (var problem in problems)
            {
                _failures.Add((problem, exchange.What));
            }
        }
    }

    public void AssertClean()
    {
        if (_failures.Count == 0)
        {
            return;
        }

        var text = new StringBuilder($"{_failures.Select(f => f.Case).Distinct().Count()} of {_cases} cases failed:\n");
        foreach (var group in _failures.GroupBy(f => Normalize(f.Problem)).OrderByDescending(g => g.Count()))
        {
            text.Append($"  {group.Count()} × {group.Key}\n");
            foreach (var (problem, which) in group.Take(3))
            {
                text.Append($"      e.g. [{Envelope.Short(which)}] {Envelope.Short(problem)}\n");
            }
        }

        Assert.Fail(text.ToString());
    }

    /// <summary>The problem without its variable parts (body excerpts), for grouping.</summary>
    private static string Normalize(string problem)
    {
        int cut = problem.IndexOfAny([':', '{']);
        return cut > 0 ? problem[..cut] : problem;
    }
}

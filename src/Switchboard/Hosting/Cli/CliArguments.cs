using Switchboard.Configuration;

namespace Switchboard.Hosting.Cli;

/// <summary>
/// The arguments of one command (<c>keys create …</c>): positional words, flags with values (<c>--flag value</c> or
/// <c>--flag=value</c>; some may repeat) and switches. Every mistake is collected, so one run lists them all.
/// </summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public List<string> Problems { get; } = [];

    public bool Help => _switches.Contains("--help");

    public static CliArguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueFlags, IReadOnlyCollection<string> switches, IReadOnlyCollection<string>? repeatable = null)
    {
        var parsed = new CliArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                parsed._switches.Add("--help");
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                parsed.Positional.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? arg : arg[..equals]).ToLowerInvariant();
            if (switches.Contains(name))
            {
                if (equals >= 0)
                {
                    parsed.Problems.Add($"{name} takes no value");
                }

                parsed._switches.Add(name);
            }
            else if (valueFlags.Contains(name))
            {
                string? value = null;
                if (equals >= 0)
                {
                    value = arg[(equals + 1)..];
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }

                if (value is null)
                {
                    parsed.Problems.Add($"{name} needs a value");
                    continue;
                }

                if (!parsed._values.TryGetValue(name, out var list))
                {
                    parsed._values[name] = list = [];
                }
                else if (repeatable?.Contains(name) != true)
                {
                    parsed.Problems.Add($"{name} is given more than once");
                }

                list.Add(value);
            }
            else
            {
                parsed.Problems.Add($"unknown flag '{name}'{DidYouMean.Hint(name, valueFlags.Concat(switches))}");
            }
        }

        return parsed;
    }

    public bool Has(string flag) => _values.ContainsKey(flag) || _switches.Contains(flag);

    public string? Value(string flag) => _values.TryGetValue(flag, out var list) ? list[^1] : null;

    public IReadOnlyList<string> Values(string flag) => _values.TryGetValue(flag, out var list) ? list : [];

    public bool Switch(string flag) => _switches.Contains(flag);
}

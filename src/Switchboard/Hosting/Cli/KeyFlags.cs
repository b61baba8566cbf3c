using System.Globalization;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Admin;
using Switchboard.Tenancy.Keys;

namespace Switchboard.Hosting.Cli;

/// <summary>
/// The key settings flags of <c>keys create</c> and <c>keys update</c>, read into <see cref="KeyChanges"/>.
/// <c>none</c> clears a limit, the budget or the expiry; <c>--models '*'</c> allows every model.
/// </summary>
internal static class KeyFlags
{
    public static readonly string[] Values =
        ["--name", "--models", "--rpm", "--input-tpm", "--output-tpm", "--concurrency", "--budget", "--budget-period", "--expires", "--label"];

    public static readonly string[] Switches = ["--disable", "--enable"];

    /// <summary>The flag a <see cref="KeyProblemException.Field"/> comes from.</summary>
    public static string FlagFor(string field) => field switch
    {
        "input_tpm" => "--input-tpm",
        "output_tpm" => "--output-tpm",
        "budget_usd" => "--budget",
        "budget_period" => "--budget-period",
        "expires_at" => "--expires",
        "labels" => "--label",
        "disabled" => "--disable",
        _ => "--" + field,
    };

    public static KeyChanges Read(CliArguments args, List<string> problems)
    {
        var changes = new KeyChanges();
        if (args.Value("--name") is { } name)
        {
            changes = changes with { Name = name };
        }

        if (args.Value("--models") is { } models)
        {
            changes = changes with { Models = new(true, models.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) };
        }

        changes = changes with
        {
            RequestsPerMinute = Whole(args, "--rpm", int.MaxValue, problems) is var (setRpm, rpm) && setRpm ? new(true, (int?)rpm) : default,
            InputTokensPerMinute = Whole(args, "--input-tpm", long.MaxValue, problems) is var (setIn, input) && setIn ? new(true, input) : default,
            OutputTokensPerMinute = Whole(args, "--output-tpm", long.MaxValue, problems) is var (setOut, output) && setOut ? new(true, output) : default,
            Concurrency = Whole(args, "--concurrency", int.MaxValue, problems) is var (setConc, concurrency) && setConc ? new(true, (int?)concurrency) : default,
        };

        if (args.Value("--budget") is { } budget)
        {
            if (IsNone(budget))
            {
                changes = changes with { BudgetUsd = new(true, null) };
            }
            else if (decimal.TryParse(budget.TrimStart('$'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var usd))
            {
                changes = changes with { BudgetUsd = usd };
            }
            else
            {
                problems.Add($"--budget: '{UsageRange.Clip(budget)}' is not an amount of US dollars (e.g. 25 or 12.50), or none");
            }
        }

        Try(problems, () =>
        {
            if (args.Value("--budget-period") is { } period)
            {
                changes = changes with { BudgetPeriod = KeyChangesJson.Period(period, "budget_period") };
            }
        });
        Try(problems, () =>
        {
            if (args.Value("--expires") is { } expires)
            {
                changes = changes with { ExpiresAt = new(true, IsNone(expires) ? null : KeyChangesJson.Expiry(expires, "expires_at")) };
            }
        });

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in args.Values("--label"))
        {
            var equals = label.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add($"--label: '{UsageRange.Clip(label)}' is not NAME=VALUE (NAME= removes a label)");
                continue;
            }

            labels[label[..equals].Trim()] = label[(equals + 1)..];
        }

        changes = changes with { LabelEdits = labels };
        if (args.Switch("--disable") && args.Switch("--enable"))
        {
            problems.Add("--disable and --enable contradict each other");
        }
        else if (args.Switch("--disable") || args.Switch("--enable"))
        {
            changes = changes with { Disabled = args.Switch("--disable") };
        }

        return changes;
    }

    private static void Try(List<string> problems, Action read)
    {
        try
        {
            read();
        }
        catch (KeyProblemException problem)
        {
            problems.Add(problem.Describe(FlagFor));
        }
    }

    private static (bool Set, long? Value) Whole(CliArguments args, string flag, long max, List<string> problems)
    {
        if (args.Value(flag) is not { } text)
        {
            return (false, null);
        }

        if (IsNone(text))
        {
            return (true, null);
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 && number <= max)
        {
            return (true, number);
        }

        problems.Add($"{flag}: '{UsageRange.Clip(text)}' is not a positive whole number (or none for no limit)");
        return (false, null);
    }

    private static bool IsNone(string text) => text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase);
}

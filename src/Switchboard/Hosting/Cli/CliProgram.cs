using System.Globalization;
using System.Text.Json;
using Switchboard.Configuration;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Admin;
using Switchboard.Tenancy.Keys;

namespace Switchboard.Hosting.Cli;

/// <summary>
/// The commands of the same binary that work on the store directly, without a running server:
/// <c>keys create|list|show|update|revoke</c> and <c>usage</c>. Exit codes: 0 done, 1 the store failed or the key
/// does not exist, 2 a mistake in the command (nothing was changed). Keys are printed once, at creation.
/// </summary>
internal static class CliProgram
{
    private const int Failed = 1;

    private static readonly string[] KeyCommands = ["create", "list", "show", "update", "revoke"];

    public static bool Handles(IReadOnlyList<string> args) => args.Count > 0 && args[0] is "keys" or "usage";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        try
        {
            return args[0] == "usage"
                ? await UsageAsync(args.Skip(1).ToList(), output, error)
                : await KeysAsync(args.Skip(1).ToList(), output, error);
        }
        catch (SwitchboardConfigurationException problems)
        {
            return Mistakes(error, problems.Problems);
        }
    }

    private static async Task<int> KeysAsync(List<string> args, TextWriter output, TextWriter error)
    {
        var command = args.Count > 0 && !args[0].StartsWith('-') ? args[0] : null;
        if (command is null)
        {
            if (args.Contains("--help") || args.Contains("-h"))
            {
                await output.WriteLineAsync(CliHelp.Keys);
                return 0;
            }

            return Mistakes(error, [$"keys needs a command: {string.Join(", ", KeyCommands)} (see switchboard keys --help)"]);
        }

        if (!KeyCommands.Contains(command))
        {
            return Mistakes(error, [$"unknown command 'keys {command}'{DidYouMean.Hint(command, KeyCommands)}; commands: {string.Join(", ", KeyCommands)}"]);
        }

        var takesSettings = command is "create" or "update";
        var values = CliSettings.Flags.Concat(takesSettings ? KeyFlags.Values : []).ToArray();
        string[] switches = ["--json", .. takesSettings ? (command == "create" ? ["--disable"] : KeyFlags.Switches) : []];
        var parsed = CliArguments.Parse(args.Skip(1).ToList(), values, switches, repeatable: ["--label"]);
        if (parsed.Help)
        {
            await output.WriteLineAsync(CliHelp.Keys);
            return 0;
        }

        var problems = parsed.Problems;
        var wantsId = command is "show" or "update" or "revoke";
        if (wantsId && parsed.Positional.Count != 1)
        {
            problems.Add($"keys {command} needs one key id, e.g. switchboard keys {command} kZ3aB9xQ2mLp");
        }
        else if (!wantsId && parsed.Positional.Count > 0)
        {
            problems.Add($"keys {command} takes no argument '{UsageRange.Clip(parsed.Positional[0])}' (flags start with --)");
        }

        if (command == "create" && parsed.Value("--name") is null)
        {
            problems.Add("--name is required: who or what the key is for");
        }

        if (command == "update" && !KeyFlags.Values.Concat(KeyFlags.Switches).Any(parsed.Has))
        {
            problems.Add("keys update needs at least one change (see switchboard keys --help)");
        }

        var changes = takesSettings ? KeyFlags.Read(parsed, problems) : new KeyChanges();
        CheckStoreFlags(parsed, problems);
        if (problems.Count > 0)
        {
            return Mistakes(error, problems);
        }

        var id = wantsId ? parsed.Positional[0] : "";
        var json = parsed.Switch("--json");
        var time = TimeProvider.System;
        await using var store = await CliStore.OpenAsync(CliSettings.Load(parsed), error);
        if (store is null)
        {
            return Failed;
        }

        var keys = new KeyManager(store.Keys, time);
        try
        {
            switch (command)
            {
                case "create":
                    var (created, key) = await keys.CreateAsync(changes, CancellationToken.None);
                    if (json)
                    {
                        WriteJson(output, w => AdminJson.WriteKey(w, created, time.GetUtcNow(), key));
                    }
                    else
                    {
                        await output.WriteLineAsync($"Created key {created.Id} for {created.Name}:");
                        await output.WriteLineAsync();
                        await output.WriteLineAsync("    " + key);
                        await output.WriteLineAsync();
                        await output.WriteLineAsync("Copy it now: it cannot be shown again (Switchboard keeps only its SHA-256 digest).");
                        await output.WriteLineAsync("Clients send it as x-api-key or 'Authorization: Bearer' (Claude Code: ANTHROPIC_API_KEY).");
                        await output.WriteLineAsync();
                        KeyText.WriteKey(output, created, time.GetUtcNow());
                    }

                    return 0;

                case "list":
                    var all = await keys.ListAsync(CancellationToken.None);
                    if (json)
                    {
                        WriteJson(output, w =>
                        {
                            w.WriteStartObject();
                            w.WriteStartArray("data");
                            foreach (var each in all)
                            {
                                AdminJson.WriteKey(w, each, time.GetUtcNow());
                            }

                            w.WriteEndArray();
                            w.WriteEndObject();
                        });
                    }
                    else
                    {
                        KeyText.WriteList(output, all, time.GetUtcNow());
                    }

                    return 0;

                default:
                    var found = command switch
                    {
                        "show" => await keys.FindAsync(id, CancellationToken.None),
                        "update" => await keys.UpdateAsync(id, changes, CancellationToken.None),
                        _ => await keys.RevokeAsync(id, CancellationToken.None),
                    };
                    if (found is null)
                    {
                        await error.WriteLineAsync($"switchboard: no key with id '{UsageRange.Clip(id)}' (see switchboard keys list)");
                        return Failed;
                    }

                    if (json)
                    {
                        WriteJson(output, w => AdminJson.WriteKey(w, found, time.GetUtcNow()));
                    }
                    else
                    {
                        if (command == "revoke")
                        {
                            await output.WriteLineAsync($"Key {found.Id} ({found.Name}) is revoked: it no longer works (servers notice within Tenancy:KeyCacheSeconds).");
                        }

                        KeyText.WriteKey(output, found, time.GetUtcNow());
                    }

                    return 0;
            }
        }
        catch (KeyProblemException problem)
        {
            return Mistakes(error, [problem.Describe(KeyFlags.FlagFor)]);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            return StoreFailed(error, failure);
        }
    }

    private static async Task<int> UsageAsync(List<string> args, TextWriter output, TextWriter error)
    {
        var parsed = CliArguments.Parse(args, [.. CliSettings.Flags, "--by", "--key", "--from", "--to"], ["--json"]);
        if (parsed.Help)
        {
            await output.WriteLineAsync(CliHelp.Usage);
            return 0;
        }

        var problems = parsed.Problems;
        if (parsed.Positional.Count > 0)
        {
            problems.Add($"usage takes no argument '{UsageRange.Clip(parsed.Positional[0])}' (flags start with --)");
        }

        CheckStoreFlags(parsed, problems);
        UsageQuery? query = null;
        try
        {
            query = UsageRange.Query(UsageRange.Grouping(parsed.Value("--by") ?? "key", "--by"), parsed.Value("--key"), parsed.Value("--from"), parsed.Value("--to"), "--from", "--to");
        }
        catch (KeyProblemException problem)
        {
            problems.Add(problem.Describe());
        }

        if (problems.Count > 0 || query is null)
        {
            return Mistakes(error, problems);
        }

        await using var store = await CliStore.OpenAsync(CliSettings.Load(parsed), error);
        if (store is null)
        {
            return Failed;
        }

        try
        {
            var totals = await store.Ledger.SummarizeAsync(query, CancellationToken.None);
            var names = query.GroupBy == UsageGrouping.Key
                ? (await store.Keys.ListAsync(CancellationToken.None)).ToDictionary(k => k.Id, k => k.Name, StringComparer.Ordinal)
                : null;
            if (parsed.Switch("--json"))
            {
                WriteJson(output, w => AdminJson.WriteUsage(w, query, totals, names));
            }
            else
            {
                UsageText.Write(output, query, totals, names);
            }

            return 0;
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            return StoreFailed(error, failure);
        }
    }

    private static void CheckStoreFlags(CliArguments parsed, List<string> problems)
    {
        if (parsed.Has("--data-dir") && parsed.Has("--postgres"))
        {
            problems.Add("give --data-dir or --postgres, not both");
        }

        foreach (var flag in CliSettings.Flags)
        {
            if (parsed.Value(flag) is { } value && string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{flag}: must not be empty");
            }
        }
    }

    private static void WriteJson(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = AdminJson.Options.Encoder }))
        {
            write(writer);
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static int Mistakes(TextWriter error, IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            error.WriteLine("switchboard: " + problem);
        }

        return SwitchboardProgram.ConfigurationError;
    }

    private static int StoreFailed(TextWriter error, Exception failure)
    {
        var message = failure.GetBaseException().Message.ReplaceLineEndings(" ");
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"switchboard: the store could not be used: {message}"));
        return Failed;
    }
}

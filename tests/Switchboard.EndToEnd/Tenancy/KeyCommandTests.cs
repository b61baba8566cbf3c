using System.Diagnostics;
using System.Text.Json;
using Switchboard.Tenancy;

namespace Switchboard.EndToEnd.Tenancy;

/// <summary>
/// <c>switchboard keys …</c> and <c>switchboard usage</c> as a user runs them: the built program in a process, on a
/// temporary data directory or a PostgreSQL database, with a running server using the keys it prints.
/// </summary>
public abstract class KeyCommandTests(StoreKind kind) : IAsyncLifetime
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "Switchboard.dll");

    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("switchboard-cli-").FullName;
    private KeyStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await KeyStorage.CreateAsync(kind);

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        Directory.Delete(_workingDirectory, recursive: true);
    }

    private async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private Task<(int ExitCode, string Out, string Error)> KeysAsync(params string[] args) => RunAsync(["keys", .. args, .. _storage.Args]);

    private async Task<JsonElement> JsonAsync(params string[] args)
    {
        var (exitCode, output, error) = await KeysAsync([.. args, "--json"]);
        Assert.True(exitCode == 0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    [Fact]
    public async Task A_key_created_on_the_command_line_is_printed_once_and_works_on_the_server_until_revoked()
    {
        var (exitCode, output, error) = await KeysAsync("create", "--name", "alice", "--models", "fake-*,qwen3*", "--rpm", "60", "--input-tpm", "200000",
            "--output-tpm", "40000", "--concurrency", "4", "--budget", "25", "--budget-period", "monthly", "--expires", "2027-06-30",
            "--label", "team=search", "--label", "owner=bob");
        Assert.True(exitCode == 0, error);
        var key = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("sk-sb-", StringComparison.Ordinal));
        Assert.Contains("cannot be shown again", output, StringComparison.Ordinal);
        var id = key[6..18];

        // Listed and shown, never with the key.
        var (listCode, list, _) = await KeysAsync("list");
        var (showCode, show, _) = await KeysAsync("show", id);
        Assert.Equal((0, 0), (listCode, showCode));
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.Contains("alice", list, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list + show, StringComparison.Ordinal);
        Assert.Contains("$25.00 monthly", show, StringComparison.Ordinal);

        // Every setting as given.
        var shown = await JsonAsync("show", id);
        Assert.Equal(
            $$"""{"id":"{{id}}","name":"alice","status":"active","models":["fake-*","qwen3*"],"rpm":60,"input_tpm":200000,"output_tpm":40000,"concurrency":4,"budget_usd":25,"budget_period":"monthly","expires_at":"2027-06-30T00:00:00Z","disabled":false,"labels":{"owner":"bob","team":"search"},"created_at":"{{shown.GetProperty("created_at").GetString()}}","revoked_at":null}""",
            JsonSerializer.Serialize(shown));

        await using var host = await TenantHost.StartAsync(_storage, cacheSeconds: 1);
        using var client = host.Client(key);
        Assert.Equal(200, (await TenantHost.AskAsync(client)).Status);

        // Revoked by the command (another process): refused within the cache interval.
        var (revokeCode, revokeOut, _) = await KeysAsync("revoke", id);
        Assert.Equal(0, revokeCode);
        Assert.Contains("revoked", revokeOut, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(1.3));
        var refused = await TenantHost.AskAsync(client);
        Assert.Equal((401, $"API key {id} has been revoked"), (refused.Status, refused.Body.GetProperty("error").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Update_changes_each_setting_clears_with_none_and_disables_and_enables()
    {
        var created = await JsonAsync("create", "--name", "svc", "--rpm", "10", "--budget", "5", "--expires", "2027-01-01", "--label", "a=1");
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("sk-sb-" + id + "-", created.GetProperty("key").GetString(), StringComparison.Ordinal);

        var updated = await JsonAsync("update", id, "--name", "svc2", "--models", "qwen3*", "--rpm", "none", "--input-tpm", "7", "--output-tpm", "8",
            "--concurrency", "2", "--budget", "12.5", "--budget-period", "daily", "--expires", "none", "--label", "a=", "--label", "b=2", "--disable");
        Assert.Equal(
            (("svc2", "disabled", "qwen3*"), (JsonValueKind.Null, 7L, 8L, 2L), (12.5m, "daily"), JsonValueKind.Null, "{\"b\":\"2\"}"),
            ((updated.GetProperty("name").GetString(), updated.GetProperty("status").GetString(), updated.GetProperty("models")[0].GetString()),
                (updated.GetProperty("rpm").ValueKind, updated.GetProperty("input_tpm").GetInt64(), updated.GetProperty("output_tpm").GetInt64(), updated.GetProperty("concurrency").GetInt64()),
                (updated.GetProperty("budget_usd").GetDecimal(), updated.GetProperty("budget_period").GetString()),
                updated.GetProperty("expires_at").ValueKind, JsonSerializer.Serialize(updated.GetProperty("labels"))));
        Assert.Equal(JsonSerializer.Serialize(updated), JsonSerializer.Serialize(await JsonAsync("show", id)));

        var enabled = await JsonAsync("update", id, "--enable", "--models", "*", "--budget", "none");
        Assert.Equal(("active", 0, JsonValueKind.Null), (enabled.GetProperty("status").GetString(), enabled.GetProperty("models").GetArrayLength(), enabled.GetProperty("budget_usd").ValueKind));

        var list = await JsonAsync("list");
        Assert.Equal(id, Assert.Single(list.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Usage_is_a_table_or_json_per_key_model_or_day()
    {
        var alice = (await JsonAsync("create", "--name", "alice")).GetProperty("id").GetString()!;
        var store = await _storage.OpenAsync();
        var day = new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero);
        await store.Ledger.AppendAsync(
        [
            new UsageRow { Time = day, RequestId = "req_c1", KeyId = alice, FrontDoor = "anthropic", Model = "qwen3", Status = 200, InputTokens = 1200, CacheReadTokens = 300, CacheWriteTokens = 40, OutputTokens = 77, CostMicros = 1_234_500 },
            new UsageRow { Time = day.AddDays(1), RequestId = "req_c2", KeyId = "other0000000", FrontDoor = "openai-chat", Model = "gpt-oss", Status = 200, InputTokens = 5, OutputTokens = 6, CostMicros = 10 },
        ], CancellationToken.None);

        var (code, table, error) = await RunAsync(["usage", "--by", "model", "--key", alice, .. _storage.Args]);
        var (_, byKey, _) = await RunAsync(["usage", .. _storage.Args]);
        var (_, json, _) = await RunAsync(["usage", "--by", "day", "--from", "2026-11-04", "--to", "2026-11-04", "--json", .. _storage.Args]);

        Assert.True(code == 0, error);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["MODEL", "REQUESTS", "INPUT", "CACHE", "READ", "CACHE", "WRITE", "OUTPUT", "COST", "(USD)"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["qwen3", "1", "1,200", "300", "40", "77", "1.2345"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("total", lines[^1], StringComparison.Ordinal);
        Assert.Contains("alice", byKey, StringComparison.Ordinal);
        Assert.Contains("other0000000", byKey, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var only = Assert.Single(document.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal(("2026-11-04", 5), (only.GetProperty("day").GetString(), only.GetProperty("input_tokens").GetInt32()));
    }

    [Theory]
    [InlineData("keys create --rpm 60", "switchboard: --name is required: who or what the key is for")]
    [InlineData("keys create --name a --rpm sixty", "switchboard: --rpm: 'sixty' is not a positive whole number (or none for no limit)")]
    [InlineData("keys create --name a --budget-period weekly --budget 5", "switchboard: --budget-period: 'weekly' is not a budget period; use monthly, daily or total")]
    [InlineData("keys create --name a --expires 2020-01-01", "switchboard: --expires: 2020-01-01T00:00:00Z is not in the future (to stop a key now, revoke or disable it)")]
    [InlineData("keys create --name a --rmp 5", "switchboard: unknown flag '--rmp' (did you mean '--rpm'?)")]
    [InlineData("keys update", "switchboard: keys update needs one key id, e.g. switchboard keys update kZ3aB9xQ2mLp")]
    [InlineData("keys delete x", "switchboard: unknown command 'keys delete'; commands: create, list, show, update, revoke")]
    [InlineData("keys", "switchboard: keys needs a command: create, list, show, update, revoke (see switchboard keys --help)")]
    [InlineData("usage --by week", "switchboard: --by: 'week' is not a grouping; use key, model or day")]
    [InlineData("usage --from 2026-13-01", "switchboard: --from: '2026-13-01' is not a day; use YYYY-MM-DD (UTC)")]
    public async Task A_mistake_exits_with_code_2_and_plain_lines(string command, string expected)
    {
        var (exitCode, output, error) = await RunAsync([.. command.Split(' '), .. _storage.Args]);

        Assert.Equal((2, expected), (exitCode, error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]));
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal("", output);
        var store = await _storage.OpenAsync();
        Assert.Empty(await store.Keys.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_key_or_store_exits_with_code_1_and_one_line()
    {
        var (missing, _, missingError) = await KeysAsync("show", "AAAAAAAAAAAA");
        var (unreachable, _, unreachableError) = await RunAsync("keys", "list", "--postgres", "Host=127.0.0.1;Port=1;Username=u;Password=hunter2;Timeout=2");

        Assert.Equal((1, "switchboard: no key with id 'AAAAAAAAAAAA' (see switchboard keys list)"), (missing, missingError.Trim()));
        Assert.Equal(1, unreachable);
        Assert.StartsWith("switchboard: cannot open the store", unreachableError, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", unreachableError, StringComparison.Ordinal);
        Assert.Single(unreachableError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_server_started_on_a_store_with_keys_says_keys_are_required_and_without_says_it_is_open()
    {
        async Task<string> StartLineAsync()
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in (string[])[Program, "--port", "0", "--Logging:Console:FormatterName=json", .. _storage.Args])
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    using var entry = JsonDocument.Parse(line);
                    var message = entry.RootElement.GetProperty("Message").GetString()!;
                    if (message.Contains(" listening on ", StringComparison.Ordinal))
                    {
                        return message;
                    }
                }

                return "";
            }
            finally
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }

        Assert.Contains("with no API keys configured", await StartLineAsync(), StringComparison.Ordinal);
        await JsonAsync("create", "--name", "alice");
        Assert.EndsWith("stored API keys exist, so every request needs a key", await StartLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_documents_the_commands()
    {
        var (top, topOut, _) = await RunAsync("--help");
        var (keys, keysOut, _) = await RunAsync("keys", "--help");
        var (usage, usageOut, _) = await RunAsync("usage", "--help");

        Assert.Equal((0, 0, 0), (top, keys, usage));
        foreach (var flag in new[] { "keys create", "--data-dir", "--postgres", "--redis", "--admin-token", "usage [--by key|model|day]" })
        {
            Assert.Contains(flag, topOut, StringComparison.Ordinal);
        }

        foreach (var flag in new[] { "--models", "--rpm", "--input-tpm", "--output-tpm", "--concurrency", "--budget", "--budget-period", "--expires", "--label", "--disable", "--enable", "--json", "none" })
        {
            Assert.Contains(flag, keysOut, StringComparison.Ordinal);
        }

        Assert.Contains("--from", usageOut, StringComparison.Ordinal);
    }
}

public sealed class KeyCommandTestsOnSqlite() : KeyCommandTests(StoreKind.Sqlite);

public sealed class KeyCommandTestsOnPostgreSql() : KeyCommandTests(StoreKind.PostgreSql);

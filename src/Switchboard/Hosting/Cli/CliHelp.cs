namespace Switchboard.Hosting.Cli;

/// <summary>The help texts of the key and usage commands.</summary>
internal static class CliHelp
{
    public const string Commands = """
        Commands (work on the store directly; the server need not run):
          keys create --name NAME [key settings]   create a key; it is printed once
          keys list                                every key, revoked ones included
          keys show ID                             one key's settings and status
          keys update ID [key settings]            change settings ('none' clears a limit)
          keys revoke ID                           stop a key for good
          usage [--by key|model|day] [--key ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                                                   requests, tokens and cost from the usage ledger
          Each takes --json, and --data-dir DIR or --postgres CONNECTION (default: the server's settings).
          More: switchboard keys --help, switchboard usage --help
        """;

    public const string Keys = """
        Usage: switchboard keys create --name NAME [settings] [--json]
               switchboard keys list [--json]
               switchboard keys show ID [--json]
               switchboard keys update ID [settings] [--disable | --enable] [--json]
               switchboard keys revoke ID [--json]

        Stored API keys (sk-sb-<id>-<secret>): the key is printed once by 'keys create'; only its SHA-256 digest
        is kept. Clients send it as x-api-key or 'Authorization: Bearer' (Claude Code: ANTHROPIC_API_KEY).

        Settings (create and update; on update, 'none' clears a limit, the budget or the expiry):
          --name NAME               who or what the key is for (required on create)
          --models GLOBS            comma-separated model names or globs the key may use, e.g. 'qwen3*,gpt-oss-120b',
                                    matched after alias resolution; '*' (the default) allows every model
          --rpm N                   requests per minute
          --input-tpm N             input tokens per minute
          --output-tpm N            output tokens per minute
          --concurrency N           requests at the same time
          --budget USD              spend limit per period in US dollars, e.g. 25
          --budget-period PERIOD    monthly (default), daily or total; UTC calendar periods
          --expires DATE            YYYY-MM-DD (the key stops working when that UTC day begins) or an RFC 3339 time
          --label NAME=VALUE        a label (repeatable); on update NAME= removes it
          --disable                 switch the key off (403) without revoking it; --enable switches it back on

        Store (default: the server's settings from appsettings.json, environment and --config):
          --data-dir DIR            the data directory holding switchboard.db (SQLite)
          --postgres CONNECTION     a PostgreSQL connection string, e.g. 'Host=db;Username=sb;Password=…;Database=sb'
          --config FILE             a JSON configuration file to read Switchboard:Storage from

        Output: a table or aligned lines; --json prints the admin API's JSON instead.
        Exit codes: 0 done, 1 no such key or the store failed, 2 a mistake in the command (nothing changed).
        Reference: docs/TENANCY.md
        """;

    public const string Usage = """
        Usage: switchboard usage [--by key|model|day] [--key ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]

        Totals from the usage ledger: requests, input, cache read, cache write and output tokens, and cost in US
        dollars, one row per key (the default), model or UTC day, and a total.
          --by key|model|day        how to group (default key)
          --key ID                  only this key's requests
          --from DAY, --to DAY      UTC days, both included
          --json                    the admin API's JSON instead of a table
          --data-dir DIR | --postgres CONNECTION | --config FILE   as for 'switchboard keys'
        Reference: docs/TENANCY.md
        """;
}

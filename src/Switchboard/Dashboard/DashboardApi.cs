using System.Globalization;
using System.Text;
using Switchboard.Routing;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Admin;
using Switchboard.Tenancy.Keys;

namespace Switchboard.Dashboard;

/// <summary>
/// The dashboard's own calls under <c>/ui/api/</c> (keys, usage totals and ledger rows are the admin API's, mounted at
/// <c>/ui/api/admin/</c>): this process's traffic window, the upstreams with their health and recent traffic, the
/// model names, usage as CSV, and a short-lived key for the playground.
/// </summary>
public static partial class DashboardApi
{
    /// <summary>How long a playground key lives.</summary>
    public static readonly TimeSpan PlaygroundKeyLifetime = TimeSpan.FromHours(1);

    public const string PlaygroundKeyName = "playground (dashboard)";

    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/traffic", (TrafficWindow window) => DashboardJson.Ok(window.WriteOverview));
        api.MapGet("/upstreams", Upstreams);
        api.MapGet("/models", (ModelCatalog catalog) => DashboardJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var model in catalog.Models)
            {
                w.WriteStringValue(model.Name);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }));
        api.MapGet("/usage.csv", UsageCsvAsync);
        api.MapPost("/playground-key", PlaygroundKeyAsync);
    }

    private static IResult Upstreams(IUpstreamHealthView health, TrafficWindow window) => DashboardJson.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("data");
        foreach (var upstream in health.Report())
        {
            w.WriteStartObject();
            w.WriteString("upstream", upstream.Upstream);
            w.WriteString("api", upstream.Api);
            w.WriteString("host", upstream.Host);
            w.WriteString("state", upstream.State);
            w.WriteNumber("in_flight", upstream.InFlight);
            DashboardJson.WriteTime(w, "cooling_until", upstream.Until);
            w.WriteString("last_failure", upstream.LastFailure);
            var recent = window.Target(upstream.Upstream);
            w.WriteStartObject("last_5_minutes");
            w.WriteNumber("requests", recent?.Requests ?? 0);
            w.WriteNumber("failures", recent?.Failures ?? 0);
            DashboardJson.WriteNumber(w, "ttft_ms_p50", recent?.FirstTokenP50Ms);
            DashboardJson.WriteNumber(w, "ttft_ms_p95", recent?.FirstTokenP95Ms);
            DashboardJson.WriteNumber(w, "duration_ms_p50", recent?.DurationP50Ms);
            DashboardJson.WriteNumber(w, "duration_ms_p95", recent?.DurationP95Ms);
            w.WriteString("last_failure", recent?.LastFailure);
            DashboardJson.WriteTime(w, "last_failure_at", recent?.LastFailureAt);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>The admin API's usage totals as CSV (the same filters), one row per group and a total row.</summary>
    private static async Task<IResult> UsageCsvAsync(HttpContext context, IUsageLedgerStore ledger, KeyManager keys)
    {
        var query = context.Request.Query;
        UsageQuery usage;
        try
        {
            usage = UsageRange.Query(UsageRange.Grouping(query["group_by"], "group_by"), query["key_id"].ToString() is { Length: > 0 } k ? k : null, query["from"], query["to"]);
        }
        catch (KeyProblemException problem)
        {
            return DashboardEndpoints.Problem(StatusCodes.Status400BadRequest, "invalid_request_error", problem.Message);
        }

        var totals = await ledger.SummarizeAsync(usage, context.RequestAborted);
        var names = usage.GroupBy == UsageGrouping.Key
            ? (await keys.ListAsync(context.RequestAborted)).ToDictionary(key => key.Id, key => key.Name, StringComparer.Ordinal)
            : null;
        var csv = UsageCsv.Write(usage.GroupBy, totals, names);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"switchboard-usage-by-{AdminJson.GroupName(usage.GroupBy)}.csv\"";
        return Results.Text(csv, "text/csv; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>
    /// Creates a key that expires in an hour for the playground to call the public endpoints with; it is shown to
    /// the page once, like any new key. Refused (409) while no key is required: the playground needs none then, and
    /// creating the first key would make every client need one.
    /// </summary>
    private static async Task<IResult> PlaygroundKeyAsync(HttpContext context, KeyDirectory directory, KeyManager keys, TimeProvider time, ILoggerFactory loggers)
    {
        if (await directory.AuthenticationRequiredAsync() != true)
        {
            return DashboardEndpoints.Problem(StatusCodes.Status409Conflict, "not_needed",
                "No key is required right now, so the playground sends none. Creating one would make every client need a key.");
        }

        var (record, key) = await keys.CreateAsync(new KeyChanges
        {
            Name = PlaygroundKeyName,
            ExpiresAt = time.GetUtcNow() + PlaygroundKeyLifetime,
            Labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["created_by"] = "dashboard" },
        }, context.RequestAborted);
        LogPlaygroundKey(loggers.CreateLogger(typeof(DashboardApi)), record.Id);
        return DashboardJson.Ok(w => AdminJson.WriteKey(w, record, time.GetUtcNow(), key));
    }

    [LoggerMessage(EventId = 330, Level = LogLevel.Information, Message = "Dashboard: playground key {KeyId} created (expires in an hour)")]
    private static partial void LogPlaygroundKey(ILogger logger, string keyId);
}

/// <summary>Usage totals as CSV: a header, one line per group, a total line; text that a spreadsheet would run as a formula is quoted with a leading apostrophe.</summary>
public static class UsageCsv
{
    public static string Write(UsageGrouping grouping, IReadOnlyList<UsageTotal> totals, IReadOnlyDictionary<string, string>? names)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var csv = new StringBuilder();
        csv.Append(AdminJson.GroupField(grouping));
        if (names is not null)
        {
            csv.Append(",name");
        }

        csv.Append(",requests,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,reasoning_tokens,cost_usd\r\n");
        foreach (var total in totals)
        {
            Line(csv, total.Group, names is null ? null : names.GetValueOrDefault(total.Group) ?? "", total);
        }

        Line(csv, "total", names is null ? null : "", AdminJson.Sum(totals));
        return csv.ToString();
    }

    private static void Line(StringBuilder csv, string group, string? name, UsageTotal total)
    {
        csv.Append(Field(group));
        if (name is not null)
        {
            csv.Append(',').Append(Field(name));
        }

        csv.Append(CultureInfo.InvariantCulture, $",{total.Requests},{total.InputTokens},{total.CacheReadTokens},{total.CacheWriteTokens},{total.OutputTokens},{total.ReasoningTokens},{AdminJson.Usd(total.CostMicros)}\r\n");
    }

    public static string Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}

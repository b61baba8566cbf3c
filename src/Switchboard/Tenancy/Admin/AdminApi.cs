using System.Globalization;
using System.Text.Json;
using Switchboard.Tenancy.Keys;

namespace Switchboard.Tenancy.Admin;

/// <summary>
/// The admin HTTP API under <c>/admin/v1/</c>, served only when <c>Admin:Token</c> is set (otherwise those paths are
/// unknown, 404): keys (<c>POST/GET /keys</c>, <c>GET/PATCH/DELETE /keys/{id}</c>, DELETE revokes), usage totals
/// (<c>GET /usage</c>) and recent ledger rows (<c>GET /requests</c>, filtered by <c>key_id</c>, <c>model</c>, <c>status</c>). Every call needs
/// <c>Authorization: Bearer &lt;token&gt;</c>. JSON in and out; bad input is a 400 naming the field, a store that
/// cannot be reached a 503, never a 500.
/// </summary>
public sealed partial class AdminApi(KeyManager keys, IUsageLedgerStore ledger, TimeProvider time, ILogger<AdminApi> logger)
{
    public const string Prefix = "/admin/v1";

    /// <summary>Largest request body read (a key's settings are small).</summary>
    private const int MaxBody = 64 * 1024;

    private const int DefaultLimit = 100;

    private const int MaxLimit = 1000;

    /// <summary>Maps the admin endpoints, each behind the token check.</summary>
    public static void Map(IEndpointRouteBuilder endpoints, string token)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var check = new AdminToken(token);
        var group = endpoints.MapGroup(Prefix).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!check.Accepts(http.Request.Headers.Authorization.ToString()))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                await AdminResponses.ErrorAsync(http, StatusCodes.Status401Unauthorized, "authentication_error",
                    "the admin API needs 'Authorization: Bearer <Admin:Token>'; the token is missing or wrong");
                return Results.Empty;
            }

            return await next(context);
        });
        MapOperations(group);
    }

    /// <summary>
    /// Maps the admin operations on a group whose caller is already authorized (the bearer token here, the
    /// dashboard's session for <c>/ui/api/admin</c>): one implementation behind every surface.
    /// </summary>
    public static void MapOperations(RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapPost("/keys", (HttpContext context, AdminApi api) => api.Guarded(context, api.CreateAsync));
        group.MapGet("/keys", (HttpContext context, AdminApi api) => api.Guarded(context, api.ListAsync));
        group.MapGet("/keys/{id}", (HttpContext context, string id, AdminApi api) => api.Guarded(context, c => api.ShowAsync(c, id)));
        group.MapMethods("/keys/{id}", ["PATCH"], (HttpContext context, string id, AdminApi api) => api.Guarded(context, c => api.UpdateAsync(c, id)));
        group.MapDelete("/keys/{id}", (HttpContext context, string id, AdminApi api) => api.Guarded(context, c => api.RevokeAsync(c, id)));
        group.MapGet("/usage", (HttpContext context, AdminApi api) => api.Guarded(context, api.UsageAsync));
        group.MapGet("/requests", (HttpContext context, AdminApi api) => api.Guarded(context, api.RequestsAsync));
        group.MapGet("/upstreams", (HttpContext context, Routing.IUpstreamHealthView view) => UpstreamsEndpoint.WriteAsync(context, view));
    }

    private async Task CreateAsync(HttpContext context)
    {
        var changes = KeyChangesJson.Read(await ReadBodyAsync(context));
        var (record, key) = await keys.CreateAsync(changes, context.RequestAborted);
        LogCreated(logger, record.Id, record.Name);
        context.Response.Headers.Location = $"{Prefix}/keys/{record.Id}";
        await AdminResponses.JsonAsync(context, StatusCodes.Status201Created, w => AdminJson.WriteKey(w, record, time.GetUtcNow(), key));
    }

    private async Task ListAsync(HttpContext context)
    {
        var all = await keys.ListAsync(context.RequestAborted);
        var now = time.GetUtcNow();
        await AdminResponses.JsonAsync(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var key in all)
            {
                AdminJson.WriteKey(w, key, now);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private async Task ShowAsync(HttpContext context, string id)
    {
        if (await keys.FindAsync(id, context.RequestAborted) is not { } key)
        {
            await AdminResponses.NotFoundAsync(context, id);
            return;
        }

        await AdminResponses.JsonAsync(context, StatusCodes.Status200OK, w => AdminJson.WriteKey(w, key, time.GetUtcNow()));
    }

    private async Task UpdateAsync(HttpContext context, string id)
    {
        var changes = KeyChangesJson.Read(await ReadBodyAsync(context));
        if (await keys.UpdateAsync(id, changes, context.RequestAborted) is not { } key)
        {
            await AdminResponses.NotFoundAsync(context, id);
            return;
        }

        LogUpdated(logger, key.Id);
        await AdminResponses.JsonAsync(context, StatusCodes.Status200OK, w => AdminJson.WriteKey(w, key, time.GetUtcNow()));
    }

    private async Task RevokeAsync(HttpContext context, string id)
    {
        if (await keys.RevokeAsync(id, context.RequestAborted) is not { } key)
        {
            await AdminResponses.NotFoundAsync(context, id);
            return;
        }

        LogRevoked(logger, key.Id);
        await AdminResponses.JsonAsync(context, StatusCodes.Status200OK, w => AdminJson.WriteKey(w, key, time.GetUtcNow()));
    }

    private async Task UsageAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var keyId = query["key_id"].ToString() is { Length: > 0 } k ? k : null;
        var usage = UsageRange.Query(UsageRange.Grouping(query["group_by"], "group_by"), keyId, query["from"], query["to"]);
        var totals = await ledger.SummarizeAsync(usage, context.RequestAborted);
        IReadOnlyDictionary<string, string>? names = null;
        if (usage.GroupBy == UsageGrouping.Key)
        {
            names = (await keys.ListAsync(context.RequestAborted)).ToDictionary(key => key.Id, key => key.Name, StringComparer.Ordinal);
        }

        await AdminResponses.JsonAsync(context, StatusCodes.Status200OK, w => AdminJson.WriteUsage(w, usage, totals, names));
    }

    private async Task RequestsAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var keyId = query["key_id"].ToString() is { Length: > 0 } k ? k : null;
        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            throw new KeyProblemException("limit", $"must be a whole number from 1 to {MaxLimit}");
        }

        var model = query["model"].ToString() is { Length: > 0 } m ? m : null;
        var (status, failures) = StatusFilter(query["status"].ToString());
        var rows = await ledger.RecentMatchingAsync(new RequestFilter(keyId, model, status, failures), limit, context.RequestAborted);
        await AdminResponses.JsonAsync(context, StatusCodes.Status200OK, w => AdminJson.WriteRequests(w, rows));
    }

    /// <summary><c>status</c>: an HTTP status (<c>429</c>), or <c>errors</c> for every failure; empty for any.</summary>
    private static (int? Status, bool FailuresOnly) StatusFilter(string text)
    {
        if (text.Length == 0)
        {
            return (null, false);
        }

        if (text.Equals("errors", StringComparison.OrdinalIgnoreCase))
        {
            return (null, true);
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 100 and <= 599
            ? (status, false)
            : throw new KeyProblemException("status", "must be an HTTP status such as 429, or 'errors' for every failed request");
    }

    /// <summary>Runs a handler, turning bad input into a 400 naming the field and a failing store into a 503.</summary>
    private async Task Guarded(HttpContext context, Func<HttpContext, Task> handle)
    {
        try
        {
            await handle(context);
        }
        catch (KeyProblemException problem)
        {
            await AdminResponses.InvalidAsync(context, problem.Field, problem.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller left.
        }
        catch (Exception failure) when (!context.Response.HasStarted && failure is not BadHttpRequestException)
        {
            LogStoreFailed(logger, failure, context.Request.Method, context.Request.Path.Value ?? "");
            await AdminResponses.UnavailableAsync(context);
        }
    }

    private static async Task<JsonElement> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBody)
        {
            throw new KeyProblemException(null, $"the body is larger than {MaxBody} bytes");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBody)
            {
                throw new KeyProblemException(null, $"the body is larger than {MaxBody} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return JsonDocument.Parse("{}").RootElement.Clone();
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            return document.RootElement.Clone();
        }
        catch (JsonException bad)
        {
            throw new KeyProblemException(null, $"the body is not valid JSON ({bad.Message.Split(" Path:")[0]})");
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Admin API: key {KeyId} created for {Name}")]
    private static partial void LogCreated(ILogger logger, string keyId, string name);

    [LoggerMessage(EventId = 311, Level = LogLevel.Information, Message = "Admin API: key {KeyId} changed")]
    private static partial void LogUpdated(ILogger logger, string keyId);

    [LoggerMessage(EventId = 312, Level = LogLevel.Information, Message = "Admin API: key {KeyId} revoked")]
    private static partial void LogRevoked(ILogger logger, string keyId);

    [LoggerMessage(EventId = 313, Level = LogLevel.Warning, Message = "Admin API: {Method} {Path} failed: the store could not be used; answered 503")]
    private static partial void LogStoreFailed(ILogger logger, Exception failure, string method, string path);
}

using Switchboard.Canonical;
using Switchboard.Ingress;
using Switchboard.Pipeline;
using Switchboard.Tenancy.Admin;
using Switchboard.Tenancy.Keys;

namespace Switchboard.Tenancy;

/// <summary>
/// <c>GET /v1/usage?group_by=model|day&amp;from=&amp;to=</c>: the presenting key's own usage, never anyone else's
/// (the key id comes from authentication, not from the query). Errors in the dialect the request's headers show.
/// </summary>
public sealed partial class UsageEndpoint(IUsageLedgerStore ledger, HeaderChosenDialect dialects, ILogger<UsageEndpoint> logger)
{
    public async Task GetAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<RequestRecord>()?.Caller is not { } caller)
        {
            await FailAsync(context, new ApiError(ApiErrorKind.Authentication,
                "GET /v1/usage reports the usage of the key presented; send your key as x-api-key or Authorization: Bearer"));
            return;
        }

        UsageQuery query;
        try
        {
            var parameters = context.Request.Query;
            query = UsageRange.Query(UsageRange.Grouping(parameters["group_by"], "group_by", keyAllowed: false), caller.KeyId, parameters["from"], parameters["to"]);
        }
        catch (KeyProblemException problem)
        {
            await FailAsync(context, new ApiError(ApiErrorKind.InvalidRequest, problem.Describe()) { Param = problem.Field });
            return;
        }

        IReadOnlyList<UsageTotal> totals;
        try
        {
            totals = await ledger.SummarizeAsync(query, context.RequestAborted);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogStoreFailed(logger, failure, caller.KeyId);
            await FailAsync(context, new ApiError(ApiErrorKind.Overloaded, "usage store unavailable, retry") { RetryAfterSeconds = 1 });
            return;
        }

        await AdminResponses.JsonAsync(context, StatusCodes.Status200OK, w => AdminJson.WriteUsage(w, query, totals));
    }

    private Task FailAsync(HttpContext context, ApiError error) => ErrorResponse.WriteAsync(context, dialects.For(context.Request), error);

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "GET /v1/usage for key {KeyId}: the usage store could not be read; answered 'retry'")]
    private static partial void LogStoreFailed(ILogger logger, Exception failure, string keyId);
}

using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Ingress;
using Switchboard.Ingress.Anthropic;
using Switchboard.Pipeline;
using Switchboard.Tenancy;

namespace Switchboard.Batches;

/// <summary>
/// The Message Batches API: <c>POST /v1/messages/batches</c> (validated whole before anything is stored),
/// <c>GET /v1/messages/batches</c> (newest first, <c>before_id</c>/<c>after_id</c>/<c>limit</c>),
/// <c>GET …/{id}</c>, <c>POST …/{id}/cancel</c>, <c>DELETE …/{id}</c> (ended batches only) and
/// <c>GET …/{id}/results</c> (JSONL). A caller sees only its own key's batches. Errors in Anthropic's envelope; a
/// store that cannot be reached is a 529 "retry", never a 500.
/// </summary>
public sealed partial class BatchesEndpoints(
    IBatchStore store,
    BatchAccess access,
    BatchDoor door,
    BatchSignal signal,
    SwitchboardOptions options,
    TimeProvider time,
    ILogger<BatchesEndpoints> logger)
{
    public const string BasePath = "/v1/messages/batches";
    public const int DefaultLimit = 20;
    public const int MaxLimit = 1000;

    private readonly BatchesOptions _options = options.Batches;

    public async Task CreateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        BatchRecord batch;
        try
        {
            using var body = await RequestBody.ReadTextAsync(context);
            var plan = BatchCreateReader.Read(body.Json.Span, door, _options.MaxRequests);
            var now = time.GetUtcNow();
            batch = new BatchRecord
            {
                Id = BatchIds.NewBatchId(),
                KeyId = KeyIdOf(context),
                RequestCount = plan.Items.Count,
                CreatedAt = now,
                EndsAt = now + TimeSpan.FromHours(_options.ExpiryHours),
            };
            await store.CreateAsync(batch, plan.Rows(body.Json), context.RequestAborted);
        }
        catch (ApiException refusal)
        {
            await FailAsync(context, refusal.Error);
            return;
        }
        catch (Exception failure) when (IsStoreFailure(failure, context))
        {
            await StoreFailedAsync(context, failure);
            return;
        }

        LogCreated(logger, context.TraceIdentifier, batch.Id, batch.RequestCount, batch.KeyId ?? "(none)");
        signal.Wake();
        await JsonAnswer.WriteAsync(context, writer => BatchJson.WriteBatch(writer, batch, ResultsUrl(context, batch)));
    }

    public async Task ListAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Request.Query;
        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            await FailAsync(context, new ApiError(ApiErrorKind.InvalidRequest, $"limit: must be an integer between 1 and {MaxLimit}"));
            return;
        }

        var before = query["before_id"].ToString() is { Length: > 0 } b ? b : null;
        var after = query["after_id"].ToString() is { Length: > 0 } a ? a : null;
        if (before is not null && after is not null)
        {
            await FailAsync(context, new ApiError(ApiErrorKind.InvalidRequest, "before_id: cannot be combined with after_id"));
            return;
        }

        List<BatchRecord> page;
        try
        {
            page = [.. await store.ListAsync(KeyIdOf(context), before, after, limit + 1, context.RequestAborted)];
        }
        catch (Exception failure) when (IsStoreFailure(failure, context))
        {
            await StoreFailedAsync(context, failure);
            return;
        }

        var hasMore = page.Count > limit;
        if (hasMore)
        {
            // One more than asked shows there is more that way: the newest for before_id, else the oldest.
            page.RemoveAt(before is not null ? 0 : page.Count - 1);
        }

        page.RemoveAll(batch => !access.IsCurrent(batch));
        await JsonAnswer.WriteAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data"u8);
            foreach (var batch in page)
            {
                BatchJson.WriteBatch(writer, batch, ResultsUrl(context, batch));
            }

            writer.WriteEndArray();
            writer.WriteBoolean("has_more"u8, hasMore);
            JsonAnswer.WriteNullable(writer, "first_id"u8, page.Count > 0 ? page[0].Id : null);
            JsonAnswer.WriteNullable(writer, "last_id"u8, page.Count > 0 ? page[^1].Id : null);
            writer.WriteEndObject();
        });
    }

    public async Task GetAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await FindAsync(context, id) is { } batch)
        {
            await JsonAnswer.WriteAsync(context, writer => BatchJson.WriteBatch(writer, batch, ResultsUrl(context, batch)));
        }
    }

    public async Task CancelAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await FindAsync(context, id) is null)
        {
            return;
        }

        BatchRecord? batch;
        try
        {
            batch = await store.CancelAsync(id, time.GetUtcNow(), context.RequestAborted);
        }
        catch (Exception failure) when (IsStoreFailure(failure, context))
        {
            await StoreFailedAsync(context, failure);
            return;
        }

        if (batch is null)
        {
            await NotFoundAsync(context, id);
            return;
        }

        signal.Wake();
        await JsonAnswer.WriteAsync(context, writer => BatchJson.WriteBatch(writer, batch, ResultsUrl(context, batch)));
    }

    public async Task DeleteAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await FindAsync(context, id) is not { } batch)
        {
            return;
        }

        if (batch.Status != BatchStatus.Ended)
        {
            await FailAsync(context, new ApiError(ApiErrorKind.InvalidRequest,
                $"Message batch {batch.Id} cannot be deleted while it is {batch.Status}: cancel it first, and delete it once its processing_status is ended."));
            return;
        }

        bool deleted;
        try
        {
            deleted = await store.DeleteAsync(id, context.RequestAborted);
        }
        catch (Exception failure) when (IsStoreFailure(failure, context))
        {
            await StoreFailedAsync(context, failure);
            return;
        }

        if (!deleted)
        {
            await NotFoundAsync(context, id);
            return;
        }

        await JsonAnswer.WriteAsync(context, writer => BatchJson.WriteDeleted(writer, id));
    }

    public async Task ResultsAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await FindAsync(context, id) is not { } batch)
        {
            return;
        }

        if (batch.Status != BatchStatus.Ended)
        {
            await FailAsync(context, new ApiError(ApiErrorKind.InvalidRequest,
                $"Message batch {batch.Id} has not ended yet (processing_status: {batch.Status}); its results are available once it has."));
            return;
        }

        var response = context.Response;
        var output = response.BodyWriter;
        try
        {
            await foreach (var result in store.ResultsAsync(id, context.RequestAborted))
            {
                if (!response.HasStarted)
                {
                    response.StatusCode = StatusCodes.Status200OK;
                    response.ContentType = BatchJson.ResultsContentType;
                }

                using (var writer = new Utf8JsonWriter(output, ClientJson.Writer))
                {
                    BatchJson.WriteResult(writer, result);
                }

                output.Write("\n"u8);
                if (output.UnflushedBytes > 64 * 1024)
                {
                    await output.FlushAsync(context.RequestAborted);
                }
            }
        }
        catch (Exception failure) when (IsStoreFailure(failure, context) && !response.HasStarted)
        {
            await StoreFailedAsync(context, failure);
            return;
        }

        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = BatchJson.ResultsContentType;
        }

        await output.FlushAsync(context.RequestAborted);
    }

    /// <summary>The caller's key id; null for a keyless caller (open mode).</summary>
    internal static string? KeyIdOf(HttpContext context) => context.Features.Get<RequestRecord>()?.Caller?.KeyId;

    /// <summary>
    /// Where the results are, as the client reached Switchboard (its scheme, host and path base): never an upstream's
    /// address. Set once the batch has ended.
    /// </summary>
    internal static string? ResultsUrl(HttpContext context, BatchRecord batch)
    {
        if (batch.Status != BatchStatus.Ended)
        {
            return null;
        }

        var request = context.Request;
        return $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}{BasePath}/{Uri.EscapeDataString(batch.Id)}/results";
    }

    /// <summary>The batch the caller may see, or null after answering 404 (or 529 when the store failed).</summary>
    private async Task<BatchRecord?> FindAsync(HttpContext context, string id)
    {
        BatchRecord? batch;
        try
        {
            batch = await access.FindAsync(id, KeyIdOf(context), context.RequestAborted);
        }
        catch (Exception failure) when (IsStoreFailure(failure, context))
        {
            await StoreFailedAsync(context, failure);
            return null;
        }

        if (batch is null)
        {
            await NotFoundAsync(context, id);
        }

        return batch;
    }

    private static bool IsStoreFailure(Exception failure, HttpContext context) =>
        failure is not ApiException && !(failure is OperationCanceledException && context.RequestAborted.IsCancellationRequested);

    private static Task NotFoundAsync(HttpContext context, string id) =>
        FailAsync(context, new ApiError(ApiErrorKind.NotFound, $"message_batch_id: no message batch with id '{JsonAnswer.ClipId(id)}'"));

    private Task StoreFailedAsync(HttpContext context, Exception failure)
    {
        LogStoreFailed(logger, failure, context.Request.Method, KeyIdOf(context) ?? "(none)");
        return FailAsync(context, new ApiError(ApiErrorKind.Overloaded, "The batch store is unavailable; retry shortly.") { RetryAfterSeconds = 1 });
    }

    private static Task FailAsync(HttpContext context, ApiError error) => AnthropicErrors.WriteResponseAsync(context, error);

    [LoggerMessage(EventId = 463, Level = LogLevel.Information, Message = "{RequestId} created message batch {BatchId} with {Count} requests for key {KeyId}")]
    private static partial void LogCreated(ILogger logger, string requestId, string batchId, int count, string keyId);

    [LoggerMessage(EventId = 464, Level = LogLevel.Warning, Message = "{Method} /v1/messages/batches… for key {KeyId}: the batch store could not be reached; answered 'retry'")]
    private static partial void LogStoreFailed(ILogger logger, Exception failure, string method, string keyId);
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Pipeline;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Responses;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// The stored-response endpoints of the Responses API: <c>GET /v1/responses/{id}</c> (the response object as it was
/// written), <c>DELETE /v1/responses/{id}</c>, <c>GET /v1/responses/{id}/input_items</c> (paged as OpenAI pages it)
/// and <c>POST /v1/responses/{id}/cancel</c> (400: Switchboard answers every response in the foreground). A caller
/// sees only the responses its key created; another key's id is answered exactly like an unknown one. Errors in
/// OpenAI's envelope; a store that cannot be read is a 503 "retry", never a 500.
/// </summary>
public sealed partial class StoredResponsesEndpoints(ResponsesService door, ResponseAccess responses, ILogger<StoredResponsesEndpoints> logger)
{
    public async Task GetAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);

        // A stream of a stored response would be a replay of a finished one (OpenAI streams only background
        // responses, which Switchboard does not run): a client asking for events must not get a JSON object instead.
        if (context.Request.Query["stream"].ToString() is { Length: > 0 } stream && !stream.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            await FailAsync(context, new ApiError(ApiErrorKind.InvalidRequest,
                "Invalid 'stream': stored responses cannot be streamed, since Switchboard answers every response in the foreground (no 'background' responses); get it without 'stream'.")
            { Param = "stream", Code = "invalid_value" });
            return;
        }

        if (await FindAsync(context, id) is not { } stored)
        {
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.BodyWriter.WriteAsync(Encoding.UTF8.GetBytes(stored.ResponseJson), context.RequestAborted);
    }

    public async Task DeleteAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        bool deleted;
        try
        {
            deleted = await FindVisibleAsync(context, id) is not null && await responses.DeleteAsync(id, KeyIdOf(context), context.RequestAborted);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            await StoreFailedAsync(context, failure);
            return;
        }

        if (!deleted)
        {
            await NotFoundAsync(context, id);
            return;
        }

        await JsonAnswer.WriteAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, id);
            writer.WriteString("object"u8, "response.deleted"u8);
            writer.WriteBoolean("deleted"u8, true);
            writer.WriteEndObject();
        });
    }

    public async Task InputItemsAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Request.Query;
        if (!TryLimit(query["limit"], out var limit))
        {
            await FailAsync(context, new ApiError(ApiErrorKind.InvalidRequest,
                $"Invalid 'limit': expected an integer from 1 to {InputItemsPage.MaxLimit}.") { Param = "limit", Code = "invalid_value" });
            return;
        }

        var order = query["order"].ToString();
        if (order is not ("" or "asc" or "desc"))
        {
            await FailAsync(context, new ApiError(ApiErrorKind.InvalidRequest,
                $"Invalid 'order': '{JsonAnswer.ClipId(order)}'. Expected 'asc' or 'desc'.") { Param = "order", Code = "invalid_value" });
            return;
        }

        if (await FindAsync(context, id) is not { } stored)
        {
            return;
        }

        using var items = JsonDocument.Parse(stored.InputItemsJson);
        var all = items.RootElement.ValueKind == JsonValueKind.Array ? items.RootElement.EnumerateArray().ToList() : [];
        var after = query["after"].ToString() is { Length: > 0 } a ? a : null;
        var before = query["before"].ToString() is { Length: > 0 } b ? b : null;
        if (InputItemsPage.Take(all, order == "asc", limit, after, before, out var unknown) is not { } page)
        {
            var cursor = unknown == "after" ? after : before;
            await FailAsync(context, new ApiError(ApiErrorKind.InvalidRequest,
                $"Invalid '{unknown}': no input item with id '{JsonAnswer.ClipId(cursor)}' in response '{JsonAnswer.ClipId(id)}'.") { Param = unknown, Code = "invalid_value" });
            return;
        }

        await JsonAnswer.WriteAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("object"u8, "list"u8);
            writer.WriteStartArray("data"u8);
            foreach (var item in page.Items)
            {
                item.WriteTo(writer);
            }

            writer.WriteEndArray();
            JsonAnswer.WriteNullable(writer, "first_id"u8, page.Items.Count > 0 ? InputItemsPage.IdOf(page.Items[0]) : null);
            JsonAnswer.WriteNullable(writer, "last_id"u8, page.Items.Count > 0 ? InputItemsPage.IdOf(page.Items[^1]) : null);
            writer.WriteBoolean("has_more"u8, page.HasMore);
            writer.WriteEndObject();
        });
    }

    public Task CancelAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        return FailAsync(context, new ApiError(ApiErrorKind.InvalidRequest,
            $"Cannot cancel response '{JsonAnswer.ClipId(id)}': background responses are not supported; Switchboard answers every response in the foreground, so there is nothing to cancel.")
        {
            Code = "unsupported_parameter",
        });
    }

    /// <summary>The caller's key id; null for a keyless caller (open mode).</summary>
    internal static string? KeyIdOf(HttpContext context) => context.Features.Get<RequestRecord>()?.Caller?.KeyId;

    /// <summary>The response the caller may see, or null after answering 404 (or 503 when the store failed).</summary>
    private async Task<StoredResponse?> FindAsync(HttpContext context, string id)
    {
        StoredResponse? stored;
        try
        {
            stored = await FindVisibleAsync(context, id);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            await StoreFailedAsync(context, failure);
            return null;
        }

        if (stored is null)
        {
            await NotFoundAsync(context, id);
        }

        return stored;
    }

    /// <summary>
    /// Through the door's service, which waits for a save of this id still under way in this process (the door
    /// saves after answering, so a client's next request may come first); then retention.
    /// </summary>
    private async Task<StoredResponse?> FindVisibleAsync(HttpContext context, string id) =>
        await door.FindAsync(id, KeyIdOf(context), context.RequestAborted) is { } found && responses.IsCurrent(found) ? found : null;

    private static bool TryLimit(string? text, out int limit)
    {
        if (string.IsNullOrEmpty(text))
        {
            limit = InputItemsPage.DefaultLimit;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= InputItemsPage.MaxLimit;
    }

    private static Task NotFoundAsync(HttpContext context, string id) =>
        FailAsync(context, new ApiError(ApiErrorKind.NotFound, $"Response with id '{JsonAnswer.ClipId(id)}' not found."));

    private Task StoreFailedAsync(HttpContext context, Exception failure)
    {
        LogStoreFailed(logger, failure, context.Request.Method, KeyIdOf(context) ?? "(none)");
        return FailAsync(context, new ApiError(ApiErrorKind.Overloaded, "The response store is unavailable; retry shortly.") { RetryAfterSeconds = 1 });
    }

    private static Task FailAsync(HttpContext context, ApiError error) => ErrorResponse.WriteAsync(context, OpenAIErrors.Instance, error);

    [LoggerMessage(EventId = 442, Level = LogLevel.Warning, Message = "{Method} /v1/responses/… for key {KeyId}: the response store could not be reached; answered 'retry'")]
    private static partial void LogStoreFailed(ILogger logger, Exception failure, string method, string keyId);
}

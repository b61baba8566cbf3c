using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Tenancy;

namespace Switchboard.Ingress;

/// <summary>
/// <c>GET /v1/models</c> (paged with <c>before_id</c>/<c>after_id</c>/<c>limit</c>) and <c>GET /v1/models/{id}</c>,
/// shared by every door: one body serves the OpenAI and the Anthropic SDKs (<see cref="ModelsWriter"/>), and
/// errors are in the dialect the request's headers show (<see cref="HeaderChosenDialect"/>). A stored key that may use only some models sees only those.
/// </summary>
public sealed class ModelsEndpoint(ModelDirectory directory, ModelCatalog catalog, ModelLimits limits, HeaderChosenDialect dialects)
{

    public async Task ListAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Request.Query;
        var limit = ModelsPaging.DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > ModelsPaging.MaxLimit))
        {
            await FailAsync(context, new ApiError(ApiErrorKind.InvalidRequest, $"limit: Input should be an integer between 1 and {ModelsPaging.MaxLimit}") { Param = "limit" });
            return;
        }

        IReadOnlyList<ModelDescription> page;
        bool hasMore;
        try
        {
            var caller = context.Features.Get<RequestRecord>()?.Caller;
            var visible = directory.All.Where(m => ModelPermission.Allows(caller, m.Id)).ToList();
            (page, hasMore) = ModelsPaging.Paginate(visible, NullIfEmpty(query["before_id"]), NullIfEmpty(query["after_id"]), limit);
        }
        catch (ApiException failure)
        {
            await FailAsync(context, failure.Error);
            return;
        }

        page = await limits.CompleteAsync(page, context.RequestAborted);
        await WriteAsync(context, writer => ModelsWriter.WriteList(writer, page, hasMore));
    }

    public async Task GetAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        ModelDescription info;
        try
        {
            info = directory.Describe(id);
            if (!ModelPermission.Allows(context.Features.Get<RequestRecord>()?.Caller, catalog.FindByName(id)?.Name ?? catalog.Resolve(id).Model.Name))
            {
                // As if it did not exist: the key's model list does not show it either.
                throw new ApiException(ApiErrorKind.NotFound, $"model: {id}");
            }
        }
        catch (ApiException failure)
        {
            await FailAsync(context, failure.Error.Kind == ApiErrorKind.NotFound ? failure.Error with { Code = "model_not_found" } : failure.Error);
            return;
        }

        info = (await limits.CompleteAsync([info], context.RequestAborted))[0];
        await WriteAsync(context, writer => ModelsWriter.WriteModel(writer, info));
    }

    private Task FailAsync(HttpContext context, ApiError error) => ErrorResponse.WriteAsync(context, dialects.For(context.Request), error);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, ClientJson.Writer))
        {
            write(writer);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}

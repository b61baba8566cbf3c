using System.Globalization;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Routing;

namespace Switchboard.Ingress.Anthropic;

/// <summary><c>GET /v1/models</c> (paged with <c>before_id</c>/<c>after_id</c>/<c>limit</c>) and <c>GET /v1/models/{id}</c>.</summary>
public sealed class ModelsEndpoint(ModelDirectory directory)
{
    public async Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var limit = 20;
        if (query["limit"].ToString() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            await AnthropicErrors.WriteResponseAsync(context, new ApiError(ApiErrorKind.InvalidRequest, "limit: Input should be an integer between 1 and 1000"));
            return;
        }

        try
        {
            var (page, hasMore) = ModelsPaging.Paginate(directory.All, NullIfEmpty(query["before_id"]), NullIfEmpty(query["after_id"]), limit);
            await WriteAsync(context, writer => AnthropicModelsWriter.WriteList(writer, page, hasMore));
        }
        catch (ApiException failure)
        {
            await AnthropicErrors.WriteResponseAsync(context, failure.Error);
        }
    }

    public async Task GetAsync(HttpContext context, string id)
    {
        ModelDescription info;
        try
        {
            info = directory.Describe(id);
        }
        catch (ApiException failure)
        {
            await AnthropicErrors.WriteResponseAsync(context, failure.Error);
            return;
        }

        await WriteAsync(context, writer => AnthropicModelsWriter.WriteModel(writer, info));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, AnthropicJson.Writer))
        {
            write(writer);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}

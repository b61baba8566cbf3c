using System.Text.Json;

namespace Switchboard.Tenancy.Admin;

/// <summary>
/// How the admin API answers: JSON bodies, and errors as <c>{"error":{"type","message","field"}}</c> where
/// <c>field</c> names the request field at fault (null when none is).
/// </summary>
public static class AdminResponses
{
    public static Task JsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(write);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, AdminJson.Options))
        {
            write(writer);
        }

        return context.Response.BodyWriter.FlushAsync(context.RequestAborted).AsTask();
    }

    public static Task ErrorAsync(HttpContext context, int status, string type, string message, string? field = null) =>
        JsonAsync(context, status, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("type", type);
            writer.WriteString("message", message);
            writer.WriteString("field", field);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });

    public static Task InvalidAsync(HttpContext context, string? field, string message) =>
        ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", field is null ? message : $"{field}: {message}", field);

    public static Task NotFoundAsync(HttpContext context, string id) =>
        ErrorAsync(context, StatusCodes.Status404NotFound, "not_found_error", $"no key with id '{UsageRange.Clip(id)}'");

    public static Task UnavailableAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "store_unavailable", "the key and usage store is unavailable; retry");
    }
}

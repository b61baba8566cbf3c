using Switchboard.Canonical;
using Switchboard.Ingress;
using Switchboard.Pipeline;

namespace Switchboard.Tenancy;

/// <summary>
/// Requires a configured key on the API paths, from <c>Authorization: Bearer</c> or <c>x-api-key</c>
/// (Claude Code sends either, some versions both: a valid one of the two is enough). Probes stay open. A refusal is
/// written in the dialect of the path, so an OpenAI client gets an OpenAI-shaped 401.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyAuthenticator authenticator, ErrorDialects dialects)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!authenticator.Enabled || !context.Request.Path.StartsWithSegments("/v1"))
        {
            return next(context);
        }

        var bearer = BearerToken(context.Request.Headers.Authorization.ToString());
        var apiKey = context.Request.Headers["x-api-key"].ToString();
        if (bearer.Length == 0 && apiKey.Length == 0)
        {
            return Reject(context, "x-api-key header is required");
        }

        var keyId = (bearer.Length > 0 ? authenticator.Authenticate(bearer) : null)
            ?? (apiKey.Length > 0 ? authenticator.Authenticate(apiKey) : null);
        if (keyId is null)
        {
            return Reject(context, "invalid x-api-key");
        }

        if (context.Features.Get<RequestRecord>() is { } record)
        {
            record.KeyId = keyId;
        }

        return next(context);
    }

    private static string BearerToken(string authorization) =>
        authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : "";

    private Task Reject(HttpContext context, string message) =>
        dialects.WriteAsync(context, new ApiError(ApiErrorKind.Authentication, message));
}

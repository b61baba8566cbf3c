using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Ingress;
using Switchboard.Tenancy.Keys;

namespace Switchboard.Tenancy;

/// <summary>
/// Without API keys anything that can reach the loopback port is trusted, and a web page can reach it: by a
/// cross-site request (<c>Content-Type: text/plain</c> needs no preflight) or, after DNS rebinding, under its own
/// host name. So in key-less mode a request is refused (403 <c>permission_error</c>) when its <c>Host</c> is not a
/// loopback name or address, or when it carries an <c>Origin</c> that is neither loopback nor listed in
/// <c>Switchboard:Cors:AllowedOrigins</c>. Clients that are not browsers send no <c>Origin</c> and are unaffected.
/// With API keys required (configured, or an active stored key) this guard is off: a page cannot present a key it
/// does not have; so is it on the admin API, which needs its own token, and on the dashboard (<c>/ui</c>: its own
/// session, CSRF token and origin check).
/// </summary>
public sealed class CrossSiteGuardMiddleware(RequestDelegate next, SwitchboardOptions options, KeyDirectory directory, ErrorDialects dialects)
{
    private const int MaxEcho = 200;

    private readonly bool _enabled = options.ApiKeys.Count == 0;
    private readonly bool _anyOrigin = options.Cors.AllowedOrigins.Contains("*");
    private readonly HashSet<string> _allowedOrigins = new(options.Cors.AllowedOrigins, StringComparer.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext context)
    {
        if (!_enabled || context.Request.Path.StartsWithSegments("/admin") || context.Request.Path.StartsWithSegments("/ui"))
        {
            return next(context);
        }

        var required = directory.AuthenticationRequiredAsync();
        if (!required.IsCompletedSuccessfully)
        {
            return GuardLaterAsync(context, required);
        }

        return required.Result == true ? next(context) : Guard(context);
    }

    private async Task GuardLaterAsync(HttpContext context, ValueTask<bool?> required)
    {
        // Unknown (the store is down): guarded, the safer side.
        await ((await required) == true ? next(context) : Guard(context));
    }

    private Task Guard(HttpContext context)
    {
        var host = context.Request.Host;
        if (host.HasValue && !LoopbackNames.IsLoopback(host.Host))
        {
            return Reject(context,
                $"Host '{Echo(host.Value)}' is not a loopback name. Without API keys Switchboard only answers requests addressed to localhost or a loopback address; configure API keys to serve other names.");
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !_anyOrigin && !_allowedOrigins.Contains(origin) && !IsLoopbackOrigin(origin))
        {
            return Reject(context,
                $"Cross-site request refused: origin '{Echo(origin)}' is not loopback. Without API keys only pages on localhost, or origins listed in Switchboard:Cors:AllowedOrigins, may call Switchboard.");
        }

        return next(context);
    }

    private static bool IsLoopbackOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && LoopbackNames.IsLoopback(uri.Host);

    /// <summary>The client's value, shortened and with control characters replaced, for the error message.</summary>
    private static string Echo(string value)
    {
        var shown = value.Length > MaxEcho ? value[..MaxEcho] + "…" : value;
        return string.Create(shown.Length, shown, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }

    private Task Reject(HttpContext context, string message) =>
        dialects.WriteAsync(context, new ApiError(ApiErrorKind.Permission, message));
}

using Switchboard.Tenancy.Admin;

namespace Switchboard.Dashboard;

/// <summary>
/// The dashboard's routes under <c>/ui</c>, mapped only when <c>Admin:Token</c> is set. Without a session only the
/// login page and the static files (stylesheet, scripts) are served: a page request is sent to the login page, any
/// other request gets 401. Every state-changing request (<c>POST</c>, <c>PATCH</c>, <c>DELETE</c>) must carry the
/// session's CSRF token in <c>x-csrf-token</c> and come from the dashboard's own origin; the cookie is
/// <c>SameSite=Strict</c> besides. Every answer carries a strict Content-Security-Policy (scripts and styles from
/// <c>/ui/static</c> only, no inline code, no framing) and is not cached.
/// </summary>
public static class DashboardEndpoints
{
    public const string Prefix = "/ui";

    public const string CsrfHeader = "x-csrf-token";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public const string WrongToken = "That is not the admin token. Use the value of Admin:Token (--admin-token).";

    public const string CrossSite = "This form must be sent from the dashboard's own page.";

    private const int MaxLoginBody = 8 * 1024;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var ui = endpoints.MapGroup(Prefix).AddEndpointFilter(GuardAsync);

        ui.MapGet("/login", (HttpContext context, DashboardPages pages) => Html(context, pages.Login(null), StatusCodes.Status200OK));
        ui.MapPost("/login", LoginAsync);
        ui.MapGet("/static/{name}", (HttpContext context, string name, DashboardAssets assets) => StaticFile(context, assets, name));

        var signedIn = ui.MapGroup("").AddEndpointFilter(RequireSessionAsync);
        signedIn.MapGet("/", () => Results.Redirect($"{Prefix}/overview"));
        foreach (var (page, _) in DashboardPages.All)
        {
            signedIn.MapGet("/" + page, (HttpContext context, DashboardPages pages) => Html(context, pages.Render(page, Session(context)), StatusCodes.Status200OK));
        }

        signedIn.MapPost("/logout", (HttpContext context, DashboardSessions sessions) =>
        {
            sessions.End(Session(context));
            context.Response.Cookies.Delete(DashboardSessions.CookieName, CookieOptions(context, TimeSpan.Zero));
            return Results.Redirect($"{Prefix}/login");
        });

        var api = signedIn.MapGroup("/api");
        DashboardApi.Map(api);
        AdminApi.MapOperations(api.MapGroup("/admin"));

        // Anything else under /ui: 404 with a session, the login page or 401 without one (the filter answers first).
        signedIn.Map("/{**rest}", () => NotFound());
    }

    /// <summary>Marks a response with the dashboard's security headers.</summary>
    public static void SecureHeaders(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // Not no-referrer: under it a browser sends "Origin: null" with the dashboard's own forms.
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
    }

    /// <summary>
    /// Adds the security headers, and answers a store that cannot be used (sessions' secret, usage, keys) with 503
    /// and <c>retry-after</c>, like the admin API, rather than an error page.
    /// </summary>
    private static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        SecureHeaders(context.Response);
        try
        {
            return await next(invocation);
        }
        catch (Exception failure) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && failure is not BadHttpRequestException)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardEndpoints));
            DashboardLog.StoreFailed(logger, failure, context.Request.Method, context.Request.Path.Value ?? "");
            context.Response.Headers.RetryAfter = "1";
            return Problem(StatusCodes.Status503ServiceUnavailable, "store_unavailable", "the key and usage store is unavailable; retry");
        }
    }

    public static DashboardSession Session(HttpContext context) => (DashboardSession)context.Items[typeof(DashboardSession)]!;

    private static async ValueTask<object?> RequireSessionAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var sessions = context.RequestServices.GetRequiredService<DashboardSessions>();
        var session = await sessions.ValidateAsync(context.Request.Cookies[DashboardSessions.CookieName], context.RequestAborted);
        var isApi = context.Request.Path.StartsWithSegments(Prefix + "/api");
        if (session is null)
        {
            if (HttpMethods.IsGet(context.Request.Method) && !isApi)
            {
                return Results.Redirect($"{Prefix}/login");
            }

            return Problem(StatusCodes.Status401Unauthorized, "authentication_error", "sign in to the dashboard first");
        }

        var method = context.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            if (!SameOrigin(context.Request) || !DashboardSessions.FixedEquals(context.Request.Headers[CsrfHeader].ToString(), session.CsrfToken))
            {
                return Problem(StatusCodes.Status403Forbidden, "permission_error", "missing or wrong CSRF token, or a cross-site request");
            }
        }

        context.Items[typeof(DashboardSession)] = session;
        return await next(invocation);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, DashboardSessions sessions, DashboardPages pages)
    {
        // A login form posted from another site would sign the victim's browser in as the attacker (login CSRF).
        if (!SameOrigin(context.Request))
        {
            return Html(context, pages.Login(CrossSite), StatusCodes.Status403Forbidden);
        }

        if (!context.Request.HasFormContentType || await ReadLoginFormAsync(context.Request) is not { } form)
        {
            return Html(context, pages.Login("Send the form on this page."), StatusCodes.Status400BadRequest);
        }

        if (!sessions.IsAdminToken(form.TryGetValue("token", out var token) ? token.ToString() : null))
        {
            return Html(context, pages.Login(WrongToken), StatusCodes.Status401Unauthorized);
        }

        var cookie = await sessions.IssueAsync(context.RequestAborted);
        context.Response.Cookies.Append(DashboardSessions.CookieName, cookie, CookieOptions(context, DashboardSessions.Lifetime));
        return Results.Redirect($"{Prefix}/overview");
    }

    /// <summary>The login form's fields, or null when the body is larger than a login form or not a form.</summary>
    private static async Task<Dictionary<string, Microsoft.Extensions.Primitives.StringValues>?> ReadLoginFormAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxLoginBody)
        {
            return null;
        }

        var buffer = new byte[MaxLoginBody + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted)) > 0)
        {
            length += read;
        }

        if (length > MaxLoginBody)
        {
            return null;
        }

        try
        {
            return new Microsoft.AspNetCore.WebUtilities.FormReader(System.Text.Encoding.UTF8.GetString(buffer, 0, length)).ReadForm();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static CookieOptions CookieOptions(HttpContext context, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = Prefix,
        MaxAge = lifetime,
        IsEssential = true,
    };

    /// <summary>
    /// Whether a request comes from this origin: <c>Sec-Fetch-Site</c> (every current browser) says so, or the
    /// <c>Origin</c> header names this host. A request with neither is not from a browser, which has no cookie to abuse.
    /// </summary>
    private static bool SameOrigin(HttpRequest request)
    {
        // Fetch metadata is set by the browser itself; a page cannot forge it.
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none";
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private static IResult StaticFile(HttpContext context, DashboardAssets assets, string name)
    {
        if (assets.Static(name) is not { } asset)
        {
            return NotFound();
        }

        context.Response.Headers.CacheControl = "private, max-age=86400";
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private static IResult Html(HttpContext context, string html, int status)
    {
        context.Response.StatusCode = status;
        return Results.Content(html, "text/html; charset=utf-8", null, status);
    }

    private static IResult NotFound() => Problem(StatusCodes.Status404NotFound, "not_found_error", "no such dashboard page or call");

    /// <summary>The admin API's error shape, <c>{"error":{"type","message"}}</c>.</summary>
    public static IResult Problem(int status, string type, string message) =>
        Results.Content(DashboardJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("type", type);
            w.WriteString("message", message);
            w.WriteEndObject();
            w.WriteEndObject();
        }), "application/json", null, status);
}

using System.Net;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Admin;

namespace Switchboard.Hosting;

/// <summary>
/// Who may read <c>GET /metrics</c> on the main port: with <c>Admin:Token</c> set, whoever presents it as a bearer
/// token (Prometheus sends it with <c>authorization: credentials</c>); without one, only a client on this machine that
/// addresses it by a loopback name, like the quickstart's open gateway. On its own <c>Telemetry:MetricsPort</c>
/// the endpoint needs nothing: that port is the operator's to keep off the network.
/// </summary>
internal sealed class MetricsAccess(string? adminToken)
{
    private readonly AdminToken? _token = adminToken is { Length: > 0 } token ? new AdminToken(token) : null;

    public Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        if (_token is not null ? _token.Accepts(context.Request.Headers.Authorization.ToString()) : IsLocal(context))
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return AdminResponses.ErrorAsync(context, StatusCodes.Status401Unauthorized, "authentication_error", _token is not null
            ? "/metrics needs 'Authorization: Bearer <Admin:Token>'; the token is missing or wrong"
            : "/metrics is served to this machine only until Switchboard:Admin:Token is set (or use Switchboard:Telemetry:MetricsPort)");
    }

    private static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } remote
        && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote)
        && context.Request.Host.HasValue && LoopbackNames.IsLoopback(context.Request.Host.Host);
}

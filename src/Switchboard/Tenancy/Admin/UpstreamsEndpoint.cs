using System.Text.Json;
using Switchboard.Routing;

namespace Switchboard.Tenancy.Admin;

/// <summary>
/// <c>GET /admin/v1/upstreams</c>: every configured upstream as health tracking sees it — state, requests in flight,
/// the end of its cooldown and its last failure's kind. Names and hosts only, never a URL's path or credentials.
/// </summary>
public static class UpstreamsEndpoint
{
    public static Task WriteAsync(HttpContext context, IUpstreamHealthView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var reports = view.Report();
        return AdminResponses.JsonAsync(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("object"u8, "list"u8);
            w.WriteStartArray("data"u8);
            foreach (var report in reports)
            {
                Write(w, report);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static void Write(Utf8JsonWriter w, UpstreamHealthReport report)
    {
        w.WriteStartObject();
        w.WriteString("name"u8, report.Upstream);
        w.WriteString("api"u8, report.Api);
        w.WriteString("host"u8, report.Host);
        w.WriteString("state"u8, report.State);
        w.WriteNumber("in_flight"u8, report.InFlight);
        if (report.Until is { } until)
        {
            w.WriteString("cooling_until"u8, until.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull("cooling_until"u8);
        }

        if (report.LastFailure is { } failure)
        {
            w.WriteString("last_failure"u8, failure);
        }
        else
        {
            w.WriteNull("last_failure"u8);
        }

        w.WriteEndObject();
    }
}

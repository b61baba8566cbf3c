using System.Net;
using System.Text;

namespace Switchboard.Dashboard;

/// <summary>
/// The dashboard's pages, rendered on the server from the embedded templates: the layout (navigation, the session's
/// CSRF token in a meta tag) around each page's markup, and the page's script. Data is fetched by the script from
/// <c>/ui/api/</c> and refreshed in place. Nothing a client sent is put into a page.
/// </summary>
public sealed class DashboardPages(DashboardAssets assets)
{
    /// <summary>Path segment → title, in navigation order.</summary>
    public static readonly IReadOnlyList<(string Name, string Title)> All =
    [
        ("overview", "Overview"), ("usage", "Usage"), ("keys", "Keys"), ("upstreams", "Upstreams"), ("requests", "Requests"), ("playground", "Playground"),
    ];

    public string Render(string page, DashboardSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var title = All.First(p => p.Name == page).Title;
        var nav = new StringBuilder();
        foreach (var (name, text) in All)
        {
            nav.Append(name == page
                ? $"<a href=\"/ui/{name}\" class=\"active\" aria-current=\"page\">{text}</a>"
                : $"<a href=\"/ui/{name}\">{text}</a>");
        }

        return assets.Template("layout.html")
            .Replace("{{css}}", assets.Url("dashboard.css"), StringComparison.Ordinal)
            .Replace("{{title}}", title, StringComparison.Ordinal)
            .Replace("{{nav}}", nav.ToString(), StringComparison.Ordinal)
            .Replace("{{csrf}}", WebUtility.HtmlEncode(session.CsrfToken), StringComparison.Ordinal)
            .Replace("{{page}}", page, StringComparison.Ordinal)
            .Replace("{{content}}", assets.Template($"{page}.html"), StringComparison.Ordinal)
            .Replace("{{common}}", assets.Url("common.js"), StringComparison.Ordinal)
            .Replace("{{script}}", assets.Url($"{page}.js"), StringComparison.Ordinal);
    }

    /// <param name="message">One of the fixed messages of <see cref="DashboardEndpoints"/>, never client text.</param>
    public string Login(string? message) =>
        assets.Template("login.html")
            .Replace("{{css}}", assets.Url("dashboard.css"), StringComparison.Ordinal)
            .Replace("{{message}}", message is null ? "" : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(message)}</p>", StringComparison.Ordinal);
}

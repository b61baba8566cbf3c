using System.Net;
using System.Text;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;

namespace Switchboard.EndToEnd.Dashboard;

/// <summary>
/// The dashboard's access rules over real HTTP: nothing but the login page and its static files without a session,
/// the admin token never in a page or cookie, CSRF and origin checks on every change, its security headers.
/// </summary>
public sealed class DashboardAccessTests
{
    private const string Token = "dashboard-token-for-access-tests";

    private static readonly string[] Pages = ["/ui/overview", "/ui/usage", "/ui/keys", "/ui/upstreams", "/ui/requests", "/ui/playground"];

    private static readonly string[] Statics = ["dashboard.css", "common.js", "overview.js", "usage.js", "keys.js", "upstreams.js", "requests.js", "playground.js"];

    private static Task<SwitchboardHost> StartAsync() => SwitchboardHost.StartAsync(args: ["--admin-token", Token]);

    private static HttpClient Browser(SwitchboardHost host, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseUrl) };

    private static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string token)
    {
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]);
        return await client.PostAsync("/ui/login", form);
    }

    private static async Task<(HttpClient Client, CookieContainer Cookies, string Csrf)> SignedInAsync(SwitchboardHost host)
    {
        var cookies = new CookieContainer();
        var client = Browser(host, cookies);
        using var login = await LoginAsync(client, Token);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var page = await client.GetStringAsync("/ui/keys");
        var csrf = System.Text.RegularExpressions.Regex.Match(page, "name=\"csrf-token\" content=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(csrf);
        return (client, cookies, csrf);
    }

    [Fact]
    public async Task Nothing_under_ui_but_the_login_page_and_its_static_files_is_served_without_a_session()
    {
        await using var host = await StartAsync();
        using var client = Browser(host);

        foreach (var path in Pages.Concat(["/ui", "/ui/", "/ui/nothing-here", "/ui/api/nothing"]))
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"{path}: {response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.Equal("/ui/login", response.Headers.Location?.OriginalString);
            }

            Assert.DoesNotContain("csrf-token", body, StringComparison.Ordinal);
        }

        foreach (var path in new[] { "/ui/api/traffic", "/ui/api/upstreams", "/ui/api/models", "/ui/api/usage.csv", "/ui/api/admin/keys", "/ui/api/admin/usage", "/ui/api/admin/requests" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal((path, HttpStatusCode.Unauthorized), (path, response.StatusCode));
            Assert.Equal("authentication_error", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
        }

        using (var create = await client.PostAsync("/ui/api/admin/keys", new StringContent("""{"name":"mallory"}""", Encoding.UTF8, "application/json")))
        using (var mint = await client.PostAsync("/ui/api/playground-key", null))
        using (var revoke = await client.DeleteAsync("/ui/api/admin/keys/AAAAAAAAAAAA"))
        {
            Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (create.StatusCode, mint.StatusCode, revoke.StatusCode));
        }

        // A forged cookie is no session.
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/ui/api/admin/keys");
        forged.Headers.Add("Cookie", $"sb_dashboard={DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}.bm9uY2U.c2lnbmF0dXJl");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(forged)).StatusCode);

        using var loginPage = await client.GetAsync("/ui/login");
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        foreach (var name in Statics)
        {
            using var file = await client.GetAsync("/ui/static/" + name);
            Assert.Equal((name, HttpStatusCode.OK), (name, file.StatusCode));
        }

        using var template = await client.GetAsync("/ui/static/layout.html");
        Assert.Equal(HttpStatusCode.NotFound, template.StatusCode);
    }

    [Fact]
    public async Task A_wrong_token_gets_a_clear_message_and_no_cookie_and_the_right_one_a_session_cookie_without_the_token()
    {
        await using var host = await StartAsync();
        using var client = Browser(host);

        using var wrong = await LoginAsync(client, Token + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("That is not the admin token", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        // Not a login form: a clear 400, never a 5xx.
        using var huge = await client.PostAsync("/ui/login", new StringContent("token=" + new string('a', 100_000), Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var json = await client.PostAsync("/ui/login", new StringContent("""{"token":"x"}""", Encoding.UTF8, "application/json"));
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/ui/login") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("token=" + new string('b', 50_000)))) };
        chunked.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        chunked.Headers.TransferEncodingChunked = true;
        using var chunkedAnswer = await client.SendAsync(chunked);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (huge.StatusCode, json.StatusCode, chunkedAnswer.StatusCode));
        Assert.False(huge.Headers.Contains("Set-Cookie"));

        using var right = await LoginAsync(client, Token);
        Assert.Equal((HttpStatusCode.Redirect, "/ui/overview"), (right.StatusCode, right.Headers.Location?.OriginalString));
        var cookie = Assert.Single(right.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("sb_dashboard=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/ui", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Token, cookie, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Token)).TrimEnd('='), cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_token_appears_in_no_page_file_or_answer_and_every_page_has_a_strict_content_security_policy()
    {
        await using var host = await StartAsync();
        var (client, cookies, _) = await SignedInAsync(host);
        using var signedIn = client;

        foreach (var path in Pages.Concat(Statics.Select(s => "/ui/static/" + s)).Concat(["/ui/login", "/ui/api/traffic", "/ui/api/upstreams", "/ui/api/models", "/ui/api/admin/keys", "/ui/api/usage.csv"]))
        {
            using var response = await client.GetAsync(path);
            Assert.Equal((path, HttpStatusCode.OK), (path, response.StatusCode));
            Assert.DoesNotContain(Token, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(Switchboard.Dashboard.DashboardEndpoints.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        }

        foreach (Cookie cookie in cookies.GetAllCookies())
        {
            Assert.DoesNotContain(Token, cookie.Value, StringComparison.Ordinal);
        }

        using var page = await client.GetAsync("/ui/overview");
        Assert.Contains("no-store", page.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_need_the_sessions_csrf_token_and_the_dashboards_own_origin()
    {
        await using var host = await StartAsync();
        var (client, _, csrf) = await SignedInAsync(host);
        using var signedIn = client;

        async Task<HttpStatusCode> CreateAsync(string? token, string? origin = null, string? site = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/ui/api/admin/keys") { Content = new StringContent("""{"name":"from-the-dashboard"}""", Encoding.UTF8, "application/json") };
            if (token is not null)
            {
                request.Headers.Add("x-csrf-token", token);
            }

            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }

            if (site is not null)
            {
                request.Headers.Add("Sec-Fetch-Site", site);
            }

            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await CreateAsync(null));
        Assert.Equal(HttpStatusCode.Forbidden, await CreateAsync(csrf + "x"));
        Assert.Equal(HttpStatusCode.Forbidden, await CreateAsync(csrf, origin: "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await CreateAsync(csrf, site: "cross-site"));
        Assert.Equal(0, JsonDocument.Parse(await client.GetStringAsync("/ui/api/admin/keys")).RootElement.GetProperty("data").GetArrayLength());

        Assert.Equal(HttpStatusCode.Created, await CreateAsync(csrf, origin: host.BaseUrl, site: "same-origin"));
        var keys = JsonDocument.Parse(await client.GetStringAsync("/ui/api/admin/keys")).RootElement.GetProperty("data");
        Assert.Equal("from-the-dashboard", Assert.Single(keys.EnumerateArray()).GetProperty("name").GetString());

        // A login form posted from another site is refused too (it would sign the browser in as someone else).
        using var anonymous = Browser(host);
        using var crossLogin = new HttpRequestMessage(HttpMethod.Post, "/ui/login") { Content = new FormUrlEncodedContent([new("token", Token)]) };
        crossLogin.Headers.Add("Origin", "https://evil.example");
        using var refused = await anonymous.SendAsync(crossLogin);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var host = await StartAsync();
        var (client, cookies, csrf) = await SignedInAsync(host);
        using var signedIn = client;
        var session = cookies.GetAllCookies().Single().Value;

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/ui/logout");
        logout.Headers.Add("x-csrf-token", csrf);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SendAsync(logout)).StatusCode);

        using var replay = Browser(host);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/api/admin/keys");
        request.Headers.Add("Cookie", "sb_dashboard=" + session);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Without_an_admin_token_the_dashboard_is_not_served()
    {
        await using var host = await SwitchboardHost.StartAsync();
        using var client = Browser(host);

        foreach (var path in new[] { "/ui/login", "/ui/overview", "/ui/static/common.js" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal((path, HttpStatusCode.NotFound), (path, response.StatusCode));
        }
    }
}

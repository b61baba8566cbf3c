using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Switchboard.FakeUpstream;
using Switchboard.Hosting;

namespace Switchboard.Browser;

/// <summary>
/// A real Switchboard (Kestrel on a loopback port, its own SQLite data directory, an admin token, no configured
/// keys) in front of a fake model server serving <c>fake-model</c>.
/// </summary>
public sealed class DashboardHost : IAsyncDisposable
{
    public const string AdminToken = "dashboard-admin-token-0123456789";

    public const string Model = "fake-model";

    private DashboardHost(FakeModelServer upstream, WebApplication app, FakeModelServer? backup = null)
    {
        Upstream = upstream;
        Backup = backup;
        App = app;
        BaseUrl = app.Urls.First().TrimEnd('/');
        Admin = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public FakeModelServer Upstream { get; }

    /// <summary>The second target of <see cref="StartPoolAsync"/>'s pool (upstream <c>backup</c>); null otherwise.</summary>
    public FakeModelServer? Backup { get; }

    public WebApplication App { get; }

    public string BaseUrl { get; }

    /// <summary>The admin API with the token, for arranging what a test does not do through the page.</summary>
    public HttpClient Admin { get; }

    public static async Task<DashboardHost> StartAsync()
    {
        var upstream = await FakeModelServer.StartAsync(new FakeServerOptions());
        var app = SwitchboardApp.Create([
            "--upstream", upstream.BaseUrl, "--model", Model, "--port", "0", "--host", "127.0.0.1", "--admin-token", AdminToken,
            "--Switchboard:Tenancy:KeyCacheSeconds=0.2", TestDataRoot.FreshDirectoryArg(),
            "--Switchboard:Tenancy:DefaultPrices:InputPerMillion=3", "--Switchboard:Tenancy:DefaultPrices:OutputPerMillion=15",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Switchboard=Warning"]);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }

        return new DashboardHost(upstream, app);
    }

    /// <summary>
    /// The model served by a pool of two fake model servers: upstream <c>primary</c> (<see cref="Upstream"/>,
    /// preferred) and <c>backup</c> (<see cref="Backup"/>), which takes a request when the primary fails.
    /// </summary>
    public static async Task<DashboardHost> StartPoolAsync()
    {
        var primary = await FakeModelServer.StartAsync(new FakeServerOptions());
        var backup = await FakeModelServer.StartAsync(new FakeServerOptions());
        var app = SwitchboardApp.Create([
            "--port", "0", "--host", "127.0.0.1", "--admin-token", AdminToken, TestDataRoot.FreshDirectoryArg(),
            $"--Switchboard:Upstreams:primary:BaseUrl={primary.BaseUrl}", $"--Switchboard:Upstreams:backup:BaseUrl={backup.BaseUrl}",
            $"--Switchboard:Models:0:Name={Model}", "--Switchboard:Models:0:Targets:0:Upstream=primary",
            "--Switchboard:Models:0:Targets:1:Upstream=backup", "--Switchboard:Models:0:Targets:1:Priority=1",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Switchboard=Warning"]);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await primary.DisposeAsync();
            await backup.DisposeAsync();
            throw;
        }

        return new DashboardHost(primary, app, backup);
    }

    public AnthropicClient Client(string apiKey) => new(new ClientOptions { BaseUrl = BaseUrl, ApiKey = apiKey, MaxRetries = 0, Timeout = TimeSpan.FromSeconds(30) });

    /// <summary>Creates a key through the admin API; returns its id and the key.</summary>
    public async Task<(string Id, string Key)> CreateKeyAsync(string name)
    {
        using var response = await Admin.PostAsync("/admin/v1/keys", new StringContent($$"""{"name":"{{name}}"}""", Encoding.UTF8, "application/json"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (body.GetProperty("id").GetString()!, body.GetProperty("key").GetString()!);
    }

    /// <summary>Opens the login page, signs in with the admin token and waits for the overview.</summary>
    public async Task SignInAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(BaseUrl + "/ui/login");
        await page.FillAsync("#token", AdminToken);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(BaseUrl + "/ui/overview");
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Upstream.DisposeAsync();
        if (Backup is not null)
        {
            await Backup.DisposeAsync();
        }
    }
}

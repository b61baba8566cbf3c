using System.Net;
using System.Text.Json;
using Switchboard.EndToEnd.Tenancy;

namespace Switchboard.EndToEnd.Dashboard;

/// <summary>The dashboard over a store that stops answering: 503 with retry-after, as the admin API answers, never a 500.</summary>
public sealed class DashboardStoreTests : IAsyncLifetime
{
    private KeyStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await KeyStorage.CreateAsync(StoreKind.Sqlite);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_store_that_cannot_be_used_is_a_503_with_retry_after()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseUrl) };
        using (var login = await client.PostAsync("/ui/login", new FormUrlEncodedContent([new("token", TenantHost.AdminToken)])))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }

        using (var before = await client.GetAsync("/ui/api/usage.csv"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await _storage.BreakAsync();

        foreach (var path in new[] { "/ui/api/usage.csv", "/ui/api/admin/keys" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal((path, HttpStatusCode.ServiceUnavailable), (path, response.StatusCode));
            Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
            Assert.Equal("store_unavailable", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
        }
    }
}

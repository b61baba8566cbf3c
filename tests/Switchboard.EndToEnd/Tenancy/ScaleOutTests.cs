using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.EndToEnd.Hostile;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Tenancy;

/// <summary>
/// Two Switchboard processes behind one load balancer, sharing PostgreSQL (keys, ledger) and Redis (rate-limit
/// counters): a limited key gets exactly its limit across both, a key revoked through one is refused by the other
/// within the key cache's interval, and the ledger holds every request exactly once. Runs alone: the request limit
/// is a token bucket, and a burst spread over more than its refill time would earn one more request.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class ScaleOutTests : IAsyncLifetime
{
    private const string AdminToken = "scale-out-admin-token";
    private const string Body = """{"model":"fake-model","max_tokens":32,"messages":[{"role":"user","content":"Hi"}]}""";

    private KeyStorage _storage = null!;
    private FakeModelServer _upstream = null!;
    private SwitchboardProcess _first = null!;
    private SwitchboardProcess _second = null!;

    public async Task InitializeAsync()
    {
        _storage = await KeyStorage.CreateAsync(StoreKind.PostgreSql);
        _upstream = await FakeModelServer.StartAsync();
        string[] args =
        [
            "--upstream", _upstream.BaseUrl, "--model", "fake-model", .. _storage.Args, "--redis", TestServices.Redis,
            "--admin-token", AdminToken, "--Switchboard:Tenancy:KeyCacheSeconds=1",
        ];
        var starting = new[] { SwitchboardProcess.StartAsync(args), SwitchboardProcess.StartAsync(args) };
        await Task.WhenAll(starting);
        (_first, _second) = (starting[0].Result, starting[1].Result);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _upstream.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [Fact]
    public async Task A_limited_key_gets_exactly_its_limit_across_both_processes_and_every_request_is_in_the_ledger_once()
    {
        // Ten a minute: one more request every 6 s, far longer than the burst below takes.
        var (id, key) = await CreateKeyAsync(_first, """{"name":"shared","rpm":10}""");
        using var toFirst = Client(_first, key);
        using var toSecond = Client(_second, key);

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => SendAsync(i % 2 == 0 ? toFirst : toSecond)));

        Assert.Equal(10, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Equal(30, answers.Count(a => a.Status == HttpStatusCode.TooManyRequests));

        // The ledger is written behind the requests: wait for it, then every request id is there exactly once.
        var store = await _storage.OpenAsync();
        IReadOnlyList<Switchboard.Tenancy.UsageRow> rows = [];
        for (var attempt = 0; attempt < 100 && rows.Count < answers.Length; attempt++)
        {
            await Task.Delay(100);
            rows = await store.Ledger.RecentAsync(id, 1000, CancellationToken.None);
        }

        Assert.Equal(answers.Select(a => a.RequestId).Order(), rows.Select(r => r.RequestId).Order());
        Assert.Equal(10, rows.Count(r => r.Status == 200));
        Assert.Equal(30, rows.Count(r => r.Status == 429));
    }

    [Fact]
    public async Task A_key_revoked_through_one_process_is_refused_by_the_other_within_the_cache_interval()
    {
        var (id, key) = await CreateKeyAsync(_first, """{"name":"leaving"}""");
        using var toFirst = Client(_first, key);
        using var toSecond = Client(_second, key);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(toSecond)).Status);

        using var admin = AdminClient(_first);
        var revoked = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/admin/v1/keys/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(toFirst)).Status);
        var status = HttpStatusCode.OK;
        while (status != HttpStatusCode.Unauthorized && DateTime.UtcNow - revoked < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
            status = (await SendAsync(toSecond)).Status;
        }

        var took = DateTime.UtcNow - revoked;
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(took < TimeSpan.FromSeconds(3), $"the other process refused the revoked key after {took.TotalSeconds:0.0} s; the cache holds keys for 1 s");
    }

    private static async Task<(string Id, string Key)> CreateKeyAsync(SwitchboardProcess process, string settings)
    {
        using var admin = AdminClient(process);
        using var created = await admin.PostAsync("/admin/v1/keys", new StringContent(settings, Encoding.UTF8, "application/json"));
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body);
        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("key").GetString()!);
    }

    private static HttpClient AdminClient(SwitchboardProcess process)
    {
        var client = new HttpClient { BaseAddress = new Uri(process.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    private static HttpClient Client(SwitchboardProcess process, string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(process.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("x-api-key", key);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return client;
    }

    private static async Task<(HttpStatusCode Status, string RequestId)> SendAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/v1/messages", new StringContent(Body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, response.Headers.GetValues("request-id").Single());
    }
}

using System.Net.Http.Headers;
using System.Text.Json;
using Switchboard.Tenancy;

namespace Switchboard.EndToEnd.Tenancy;

/// <summary>The admin API and <c>GET /v1/usage</c> over real HTTP, against SQLite and PostgreSQL.</summary>
public abstract class AdminApiTests(StoreKind kind) : IAsyncLifetime
{
    private KeyStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await KeyStorage.CreateAsync(kind);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    private static UsageRow Row(string requestId, string? keyId, string model, DateTimeOffset time, long input, long output, long cost) => new()
    {
        Time = time,
        RequestId = requestId,
        KeyId = keyId,
        FrontDoor = "anthropic",
        Model = model,
        Upstream = "default",
        UpstreamModel = model,
        Status = 200,
        InputTokens = input,
        CacheReadTokens = 10,
        CacheWriteTokens = 5,
        OutputTokens = output,
        CostMicros = cost,
        DurationMs = 12.5,
        OverheadUs = 40,
    };

    [Fact]
    public async Task The_admin_api_needs_its_token_and_is_not_served_without_one()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        using var anonymous = host.Client(null);
        using var wrong = host.Client(null);
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TenantHost.AdminToken + "x");

        var (noToken, noTokenBody) = await TenantHost.SendAsync(anonymous, HttpMethod.Get, "/admin/v1/keys");
        var (wrongToken, _) = await TenantHost.SendAsync(wrong, HttpMethod.Post, "/admin/v1/keys", """{"name":"mallory"}""");
        var (right, _) = await TenantHost.SendAsync(host.Admin, HttpMethod.Get, "/admin/v1/keys");

        Assert.Equal((401, "authentication_error"), (noToken, noTokenBody.GetProperty("error").GetProperty("type").GetString()));
        Assert.Equal((401, 200), (wrongToken, right));
        var store = await _storage.OpenAsync();
        Assert.Empty(await store.Keys.ListAsync(CancellationToken.None));

        await using var closed = await TenantHost.StartAsync(_storage, admin: false);
        using var tokenOnClosed = closed.Client(null);
        tokenOnClosed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TenantHost.AdminToken);
        var (notServed, _) = await TenantHost.SendAsync(tokenOnClosed, HttpMethod.Get, "/admin/v1/keys");
        Assert.Equal(404, notServed);
    }

    [Theory]
    [InlineData("""{"name":"a","rpm":0}""", "rpm")]
    [InlineData("""{"name":"a","input_tpm":"lots"}""", "input_tpm")]
    [InlineData("""{"name":"a","budget_usd":-1}""", "budget_usd")]
    [InlineData("""{"name":"a","budget_period":"weekly","budget_usd":5}""", "budget_period")]
    [InlineData("""{"name":"a","expires_at":"tomorrow"}""", "expires_at")]
    [InlineData("""{"name":"a","models":"qwen3*"}""", "models")]
    [InlineData("""{"name":"a","labels":["x"]}""", "labels")]
    [InlineData("""{"name":"a","rmp":5}""", "rmp")]
    [InlineData("""{"rpm":5}""", "name")]
    [InlineData("""{"name":"a",""", null)]
    [InlineData("""[1,2]""", null)]
    public async Task Bad_input_is_a_400_naming_the_field_and_creates_nothing(string json, string? field)
    {
        await using var host = await TenantHost.StartAsync(_storage);

        var (status, body) = await TenantHost.SendAsync(host.Admin, HttpMethod.Post, "/admin/v1/keys", json);

        var error = body.GetProperty("error");
        Assert.Equal((400, "invalid_request_error", field), (status, error.GetProperty("type").GetString(), error.GetProperty("field").GetString()));
        if (field is not null)
        {
            Assert.StartsWith(field + ": ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var store = await _storage.OpenAsync();
        Assert.Empty(await store.Keys.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_ids_are_404_and_bad_queries_400()
    {
        await using var host = await TenantHost.StartAsync(_storage);

        var (show, showBody) = await TenantHost.SendAsync(host.Admin, HttpMethod.Get, "/admin/v1/keys/AAAAAAAAAAAA");
        var (patch, _) = await TenantHost.SendAsync(host.Admin, HttpMethod.Patch, "/admin/v1/keys/nope", """{"rpm":1}""");
        var (delete, _) = await TenantHost.SendAsync(host.Admin, HttpMethod.Delete, "/admin/v1/keys/nope");
        var (grouping, groupingBody) = await TenantHost.SendAsync(host.Admin, HttpMethod.Get, "/admin/v1/usage?group_by=week");
        var (from, fromBody) = await TenantHost.SendAsync(host.Admin, HttpMethod.Get, "/admin/v1/usage?from=yesterday");
        var (limit, limitBody) = await TenantHost.SendAsync(host.Admin, HttpMethod.Get, "/admin/v1/requests?limit=0");

        Assert.Equal((404, "not_found_error"), (show, showBody.GetProperty("error").GetProperty("type").GetString()));
        Assert.Equal((404, 404), (patch, delete));
        Assert.Equal((400, "group_by"), (grouping, groupingBody.GetProperty("error").GetProperty("field").GetString()));
        Assert.Equal((400, "from"), (from, fromBody.GetProperty("error").GetProperty("field").GetString()));
        Assert.Equal((400, "limit"), (limit, limitBody.GetProperty("error").GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Usage_and_recent_requests_come_from_the_ledger_grouped_and_filtered()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        var alice = (await host.CreateKeyAsync("""{"name":"alice"}""")).GetProperty("id").GetString()!;
        var bob = (await host.CreateKeyAsync("""{"name":"bob"}""")).GetProperty("id").GetString()!;
        var day1 = new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero);
        var store = await _storage.OpenAsync();
        await store.Ledger.AppendAsync(
        [
            Row("req_a1", alice, "qwen3", day1, 100, 20, 1_500_000),
            Row("req_a2", alice, "gpt-oss", day1.AddDays(1), 200, 30, 2_000_000),
            Row("req_b1", bob, "qwen3", day1.AddDays(1), 1000, 300, 10_000_000),
        ], CancellationToken.None);

        var (_, byKey) = await TenantHost.SendAsync(host.Admin, HttpMethod.Get, "/admin/v1/usage?group_by=key");
        var (_, aliceByDay) = await TenantHost.SendAsync(host.Admin, HttpMethod.Get, $"/admin/v1/usage?group_by=day&key_id={alice}&from=2026-11-04&to=2026-11-04");
        var (_, recent) = await TenantHost.SendAsync(host.Admin, HttpMethod.Get, $"/admin/v1/requests?key_id={alice}&limit=1");

        var keys = byKey.GetProperty("data").EnumerateArray().ToDictionary(r => r.GetProperty("key_id").GetString()!);
        Assert.Equal(("alice", 2, 300, 3.5m), (keys[alice].GetProperty("name").GetString(), keys[alice].GetProperty("requests").GetInt64(),
            keys[alice].GetProperty("input_tokens").GetInt64(), keys[alice].GetProperty("cost_usd").GetDecimal()));
        Assert.Equal(("bob", 1), (keys[bob].GetProperty("name").GetString(), keys[bob].GetProperty("requests").GetInt64()));
        Assert.Equal(3, byKey.GetProperty("total").GetProperty("requests").GetInt64());
        Assert.Equal(13.5m, byKey.GetProperty("total").GetProperty("cost_usd").GetDecimal());

        var day = Assert.Single(aliceByDay.GetProperty("data").EnumerateArray());
        Assert.Equal(("2026-11-04", 1, 200, 30), (day.GetProperty("day").GetString(), day.GetProperty("requests").GetInt64(),
            day.GetProperty("input_tokens").GetInt64(), day.GetProperty("output_tokens").GetInt64()));
        Assert.Equal(("2026-11-04", "2026-11-04"), (aliceByDay.GetProperty("from").GetString(), aliceByDay.GetProperty("to").GetString()));

        var row = Assert.Single(recent.GetProperty("data").EnumerateArray());
        Assert.Equal(("req_a2", alice, "gpt-oss", 200, 2.0m), (row.GetProperty("request_id").GetString(), row.GetProperty("key_id").GetString(),
            row.GetProperty("model").GetString(), row.GetProperty("status").GetInt32(), row.GetProperty("cost_usd").GetDecimal()));
    }

    [Fact]
    public async Task Recent_requests_are_filtered_by_model_and_status_and_failures()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        var time = new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero);
        var store = await _storage.OpenAsync();
        await store.Ledger.AppendAsync(
        [
            Row("req_ok", "k1", "qwen3", time, 10, 5, 1),
            Row("req_limited", "k1", "qwen3", time.AddSeconds(1), 0, 0, 0) with { Status = 429, ErrorKind = "RateLimit" },
            Row("req_left", "k2", "gpt-oss", time.AddSeconds(2), 10, 1, 1) with { Status = 499 },
            Row("req_broken_stream", "k2", "gpt-oss", time.AddSeconds(3), 10, 1, 1) with { ErrorKind = "Overloaded" },
            Row("req_gateway", "k2", "qwen3", time.AddSeconds(4), 0, 0, 0) with { Status = 502, ErrorKind = "BadGateway" },
        ], CancellationToken.None);

        async Task<string[]> Ids(string query) =>
            [.. (await TenantHost.SendAsync(host.Admin, HttpMethod.Get, "/admin/v1/requests?" + query)).Body.GetProperty("data").EnumerateArray()
                .Select(r => r.GetProperty("request_id").GetString()!)];

        Assert.Equal(["req_gateway", "req_limited", "req_ok"], await Ids("model=qwen3"));
        Assert.Equal(["req_limited"], await Ids("status=429"));
        Assert.Equal(["req_gateway", "req_broken_stream", "req_limited"], await Ids("status=errors"));
        Assert.Equal(["req_broken_stream"], await Ids("status=errors&model=gpt-oss&key_id=k2"));
        var (bad, body) = await TenantHost.SendAsync(host.Admin, HttpMethod.Get, "/admin/v1/requests?status=teapot");
        Assert.Equal((400, "status"), (bad, body.GetProperty("error").GetProperty("field").GetString()));
    }

    [Fact]
    public async Task A_tenant_sees_only_its_own_usage()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        var alice = await host.CreateKeyAsync("""{"name":"alice"}""");
        var bob = await host.CreateKeyAsync("""{"name":"bob"}""");
        var aliceId = alice.GetProperty("id").GetString()!;
        var bobId = bob.GetProperty("id").GetString()!;
        var day1 = new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero);
        var store = await _storage.OpenAsync();
        await store.Ledger.AppendAsync(
        [
            Row("req_t1", aliceId, "qwen3", day1, 100, 20, 1_000_000),
            Row("req_t2", aliceId, "qwen3", day1.AddDays(2), 50, 5, 500_000),
            Row("req_t3", bobId, "qwen3", day1, 9000, 900, 90_000_000),
            Row("req_t4", bobId, "secret-model", day1, 1, 1, 1),
        ], CancellationToken.None);
        using var aliceClient = host.Client(alice.GetProperty("key").GetString());

        var (status, usage) = await TenantHost.SendAsync(aliceClient, HttpMethod.Get, "/v1/usage?group_by=model");
        var (_, byDay) = await TenantHost.SendAsync(aliceClient, HttpMethod.Get, "/v1/usage?group_by=day&from=2026-11-05");
        var (keyGrouping, _) = await TenantHost.SendAsync(aliceClient, HttpMethod.Get, "/v1/usage?group_by=key");
        var (anonymous, _) = await TenantHost.SendAsync(host.Client(null), HttpMethod.Get, "/v1/usage");

        Assert.Equal(200, status);
        var model = Assert.Single(usage.GetProperty("data").EnumerateArray());
        Assert.Equal(("qwen3", 2, 150, 1.5m), (model.GetProperty("model").GetString(), model.GetProperty("requests").GetInt64(),
            model.GetProperty("input_tokens").GetInt64(), model.GetProperty("cost_usd").GetDecimal()));
        Assert.Equal(aliceId, usage.GetProperty("key_id").GetString());
        Assert.DoesNotContain("secret-model", usage.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("2026-11-05", Assert.Single(byDay.GetProperty("data").EnumerateArray()).GetProperty("day").GetString());
        Assert.Equal((400, 401), (keyGrouping, anonymous));
    }

    [Fact]
    public async Task Admin_paths_are_outside_the_key_check_and_the_cross_site_guard_and_stored_keys_turn_the_guard_off()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        using var foreignHost = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/keys");
        foreignHost.Headers.Host = "admin.example.com";
        foreignHost.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TenantHost.AdminToken);
        using var admin = await host.Admin.SendAsync(foreignHost);
        Assert.Equal(200, (int)admin.StatusCode);

        // No key yet: open, loopback-only mode, so a foreign Host is refused on the API.
        using var open = host.Client(null);
        using var before = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        before.Headers.Host = "gateway.example.com";
        Assert.Equal(403, (int)(await open.SendAsync(before)).StatusCode);

        // With a stored key, keys are required and the guard steps aside: the key is what protects the API.
        var created = await host.CreateKeyAsync("""{"name":"alice"}""");
        using var keyed = host.Client(created.GetProperty("key").GetString());
        using var after = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        after.Headers.Host = "gateway.example.com";
        Assert.Equal(200, (int)(await keyed.SendAsync(after)).StatusCode);
        Assert.Equal(401, (await TenantHost.SendAsync(open, HttpMethod.Get, "/v1/models")).Status);
    }
}

public sealed class AdminApiTestsOnSqlite() : AdminApiTests(StoreKind.Sqlite);

public sealed class AdminApiTestsOnPostgreSql() : AdminApiTests(StoreKind.PostgreSql);

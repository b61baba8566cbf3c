using System.Text.Json;
using Switchboard.Tenancy;

namespace Switchboard.EndToEnd.Tenancy;

/// <summary>
/// Stored keys end to end, against SQLite and PostgreSQL: issued by the admin API, presented by clients as
/// x-api-key or Bearer, refused as revoked, expired, disabled or unknown, limited to their models, kept working from
/// the cache while the store is down, and refused within the cache interval when revoked through another process.
/// </summary>
public abstract class StoredKeyTests(StoreKind kind) : IAsyncLifetime
{
    private KeyStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await KeyStorage.CreateAsync(kind);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    private static string ErrorType(JsonElement body) => body.GetProperty("error").GetProperty("type").GetString()!;

    private static string ErrorMessage(JsonElement body) => body.GetProperty("error").GetProperty("message").GetString()!;

    [Fact]
    public async Task A_created_key_works_as_x_api_key_and_as_bearer_and_identifies_the_caller()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        var created = await host.CreateKeyAsync("""{"name":"alice"}""");
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        using var apiKey = host.Client(key);
        using var bearer = host.Client(key, bearer: true);
        using var none = host.Client(null);
        using var wrong = host.Client(key[..^2] + "zz");

        Assert.Equal(200, (await TenantHost.AskAsync(apiKey)).Status);
        Assert.Equal(200, (await TenantHost.AskAsync(bearer)).Status);

        // With an active stored key, a key is required; a wrong one is invalid and never echoed.
        var missing = await TenantHost.AskAsync(none);
        var invalid = await TenantHost.AskAsync(wrong);
        Assert.Equal((401, "authentication_error", "x-api-key header is required"), (missing.Status, ErrorType(missing.Body), ErrorMessage(missing.Body)));
        Assert.Equal((401, "authentication_error", "invalid x-api-key"), (invalid.Status, ErrorType(invalid.Body), ErrorMessage(invalid.Body)));

        // A valid one of the two headers is enough.
        using var both = host.Client("not-a-key");
        both.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(200, (await TenantHost.AskAsync(both)).Status);
        Assert.Matches("^[0-9A-Za-z]{12}$", id);
    }

    [Fact]
    public async Task Revoked_expired_and_disabled_keys_are_refused_each_with_its_reason()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        var revoked = await host.CreateKeyAsync("""{"name":"revoked"}""");
        var disabled = await host.CreateKeyAsync("""{"name":"disabled","disabled":true}""");
        var expiring = await host.CreateKeyAsync($$"""{"name":"expiring","expires_at":"{{DateTimeOffset.UtcNow.AddSeconds(2):yyyy-MM-ddTHH:mm:ss.fffZ}}"}""");
        using var expiringClient = host.Client(expiring.GetProperty("key").GetString());
        Assert.Equal(200, (await TenantHost.AskAsync(expiringClient)).Status);

        var (status, _) = await TenantHost.SendAsync(host.Admin, HttpMethod.Delete, "/admin/v1/keys/" + revoked.GetProperty("id").GetString());
        Assert.Equal(200, status);
        await Task.Delay(TimeSpan.FromSeconds(2.2));

        var revokedAnswer = await TenantHost.AskAsync(host.Client(revoked.GetProperty("key").GetString()));
        var disabledAnswer = await TenantHost.AskAsync(host.Client(disabled.GetProperty("key").GetString()));
        var expiredAnswer = await TenantHost.AskAsync(expiringClient);

        Assert.Equal((401, "authentication_error"), (revokedAnswer.Status, ErrorType(revokedAnswer.Body)));
        Assert.Equal($"API key {revoked.GetProperty("id").GetString()} has been revoked", ErrorMessage(revokedAnswer.Body));
        Assert.Equal((403, "permission_error"), (disabledAnswer.Status, ErrorType(disabledAnswer.Body)));
        Assert.Contains("is disabled", ErrorMessage(disabledAnswer.Body), StringComparison.Ordinal);
        Assert.Equal((401, "authentication_error"), (expiredAnswer.Status, ErrorType(expiredAnswer.Body)));
        Assert.EndsWith("has expired", ErrorMessage(expiredAnswer.Body), StringComparison.Ordinal);
        foreach (var answer in new[] { revokedAnswer, disabledAnswer, expiredAnswer })
        {
            Assert.DoesNotContain("sk-sb-", answer.Body.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_key_revoked_through_another_process_is_refused_within_the_cache_interval()
    {
        await using var first = await TenantHost.StartAsync(_storage, cacheSeconds: 1);
        await using var second = await TenantHost.StartAsync(_storage, cacheSeconds: 1);
        var created = await first.CreateKeyAsync("""{"name":"alice"}""");
        using var onSecond = second.Client(created.GetProperty("key").GetString());
        Assert.Equal(200, (await TenantHost.AskAsync(onSecond)).Status);

        var (status, _) = await TenantHost.SendAsync(first.Admin, HttpMethod.Delete, "/admin/v1/keys/" + created.GetProperty("id").GetString());
        Assert.Equal(200, status);

        var refusedAfter = TimeSpan.Zero;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            if ((await TenantHost.AskAsync(onSecond)).Status == 401)
            {
                refusedAfter = clock.Elapsed;
                break;
            }

            await Task.Delay(50);
        }

        Assert.InRange(refusedAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task A_key_may_use_only_its_models_on_every_door_count_tokens_and_the_model_list()
    {
        await using var host = await TenantHost.StartAsync(_storage, args: ["--Switchboard:Models:0:Aliases:0=claude-*"]);
        var limited = await host.CreateKeyAsync("""{"name":"limited","models":["qwen3*"]}""");
        var allowed = await host.CreateKeyAsync("""{"name":"allowed","models":["fake-*"]}""");
        using var limitedClient = host.Client(limited.GetProperty("key").GetString());
        using var allowedClient = host.Client(allowed.GetProperty("key").GetString());

        var messages = await TenantHost.AskAsync(limitedClient);
        var count = await TenantHost.AskAsync(limitedClient, path: "/v1/messages/count_tokens");
        var chat = await TenantHost.AskAsync(limitedClient, path: "/v1/chat/completions");
        Assert.Equal((403, "permission_error"), (messages.Status, ErrorType(messages.Body)));
        Assert.Equal("This API key does not have permission to use model 'fake-model'", ErrorMessage(messages.Body));
        Assert.Equal((403, "permission_error"), (count.Status, ErrorType(count.Body)));
        Assert.Equal((403, "permission_error"), (chat.Status, ErrorType(chat.Body)));

        // Checked after alias resolution: an alias of an allowed model is allowed.
        Assert.Equal(200, (await TenantHost.AskAsync(allowedClient, model: "claude-sonnet-4-5")).Status);
        Assert.Equal(200, (await TenantHost.AskAsync(allowedClient, path: "/v1/messages/count_tokens")).Status);

        var (_, limitedModels) = await TenantHost.SendAsync(limitedClient, HttpMethod.Get, "/v1/models");
        var (_, allowedModels) = await TenantHost.SendAsync(allowedClient, HttpMethod.Get, "/v1/models");
        var (hiddenStatus, _) = await TenantHost.SendAsync(limitedClient, HttpMethod.Get, "/v1/models/fake-model");
        Assert.Empty(limitedModels.GetProperty("data").EnumerateArray());
        Assert.Equal(["fake-model"], allowedModels.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(404, hiddenStatus);
    }

    [Fact]
    public async Task With_the_store_down_a_cached_key_keeps_working_and_an_uncached_one_gets_retry_never_401()
    {
        await using var host = await TenantHost.StartAsync(_storage, cacheSeconds: 0.2);
        var cached = await host.CreateKeyAsync("""{"name":"cached"}""");
        var uncached = await host.CreateKeyAsync("""{"name":"uncached"}""");
        using var cachedClient = host.Client(cached.GetProperty("key").GetString());
        using var uncachedClient = host.Client(uncached.GetProperty("key").GetString());
        using var uncachedOpenAI = host.Client(uncached.GetProperty("key").GetString(), bearer: true);
        Assert.Equal(200, (await TenantHost.AskAsync(cachedClient)).Status);

        await _storage.BreakAsync();
        await Task.Delay(400);

        var stillWorks = await TenantHost.AskAsync(cachedClient);
        var anthropic = await TenantHost.AskAsync(uncachedClient);
        var openAI = await TenantHost.AskAsync(uncachedOpenAI, path: "/v1/chat/completions");
        Assert.Equal(200, stillWorks.Status);
        Assert.Equal((529, "overloaded_error", "key store unavailable, retry"), (anthropic.Status, ErrorType(anthropic.Body), ErrorMessage(anthropic.Body)));
        Assert.Equal(503, openAI.Status);
        Assert.Equal("server_is_overloaded", openAI.Body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Every_field_round_trips_through_create_show_list_update_and_revoke()
    {
        await using var host = await TenantHost.StartAsync(_storage);
        var created = await host.CreateKeyAsync("""
            {"name":"alice","models":["qwen3*","gpt-oss-120b"],"rpm":60,"input_tpm":200000,"output_tpm":40000,"concurrency":4,
             "budget_usd":25.5,"budget_period":"daily","expires_at":"2027-06-30","disabled":false,"labels":{"team":"search","owner":"Zoë"}}
            """);
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("sk-sb-" + id + "-", created.GetProperty("key").GetString(), StringComparison.Ordinal);

        var (showStatus, shown) = await TenantHost.SendAsync(host.Admin, HttpMethod.Get, "/admin/v1/keys/" + id);
        Assert.Equal(200, showStatus);
        Assert.False(shown.TryGetProperty("key", out _));
        Assert.Equal(
            $$"""{"id":"{{id}}","name":"alice","status":"active","models":["qwen3*","gpt-oss-120b"],"rpm":60,"input_tpm":200000,"output_tpm":40000,"concurrency":4,"budget_usd":25.5,"budget_period":"daily","expires_at":"2027-06-30T00:00:00Z","disabled":false,"labels":{"owner":"Zoë","team":"search"},"created_at":"{{created.GetProperty("created_at").GetString()}}","revoked_at":null}""",
            shown.GetRawText());
        var (_, list) = await TenantHost.SendAsync(host.Admin, HttpMethod.Get, "/admin/v1/keys");
        Assert.Equal(shown.GetRawText(), Assert.Single(list.GetProperty("data").EnumerateArray()).GetRawText());

        var (patchStatus, patched) = await TenantHost.SendAsync(host.Admin, HttpMethod.Patch, "/admin/v1/keys/" + id, """
            {"name":"alice b","models":["fake-*"],"rpm":null,"input_tpm":1000,"output_tpm":null,"concurrency":2,
             "budget_usd":null,"expires_at":"2028-01-01T12:00:00Z","disabled":true,"labels":{"team":"infra"}}
            """);
        Assert.Equal(200, patchStatus);
        var (_, reread) = await TenantHost.SendAsync(host.Admin, HttpMethod.Get, "/admin/v1/keys/" + id);
        Assert.Equal(patched.GetRawText(), reread.GetRawText());
        Assert.Equal(
            $$"""{"id":"{{id}}","name":"alice b","status":"disabled","models":["fake-*"],"rpm":null,"input_tpm":1000,"output_tpm":null,"concurrency":2,"budget_usd":null,"budget_period":null,"expires_at":"2028-01-01T12:00:00Z","disabled":true,"labels":{"team":"infra"},"created_at":"{{created.GetProperty("created_at").GetString()}}","revoked_at":null}""",
            reread.GetRawText());

        // The store holds what the API shows.
        var store = await _storage.OpenAsync();
        var stored = await store.Keys.FindAsync(id, CancellationToken.None);
        Assert.Equal((new KeyLimits(null, 1000, null, 2), (KeyBudget?)null, true), (stored!.Limits, stored.Budget, stored.Disabled));

        var (revokeStatus, revoked) = await TenantHost.SendAsync(host.Admin, HttpMethod.Delete, "/admin/v1/keys/" + id);
        Assert.Equal((200, "revoked"), (revokeStatus, revoked.GetProperty("status").GetString()));
        Assert.NotEqual(JsonValueKind.Null, revoked.GetProperty("revoked_at").ValueKind);
        var (changeRevoked, refusal) = await TenantHost.SendAsync(host.Admin, HttpMethod.Patch, "/admin/v1/keys/" + id, """{"disabled":false}""");
        Assert.Equal((400, "invalid_request_error"), (changeRevoked, ErrorType(refusal)));
    }
}

public sealed class StoredKeyTestsOnSqlite() : StoredKeyTests(StoreKind.Sqlite);

public sealed class StoredKeyTestsOnPostgreSql() : StoredKeyTests(StoreKind.PostgreSql);

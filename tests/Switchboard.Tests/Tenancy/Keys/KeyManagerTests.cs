using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Admin;
using Switchboard.Tenancy.Keys;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Tenancy.Keys;

public sealed class KeyManagerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly MemoryKeyStore _store = new();
    private readonly List<string> _changed = [];

    private KeyManager Manager() => new(_store, _time, _changed.Add);

    private static KeyChanges Json(string json) => KeyChangesJson.Read(JsonDocument.Parse(json).RootElement);

    [Fact]
    public async Task Create_stores_every_setting_and_only_the_digest_of_the_key_it_returns()
    {
        var (record, key) = await Manager().CreateAsync(Json("""
            {"name":"alice","models":["qwen3*","gpt-oss-120b"],"rpm":60,"input_tpm":200000,"output_tpm":40000,"concurrency":4,
             "budget_usd":25.5,"budget_period":"daily","expires_at":"2027-06-30","disabled":true,"labels":{"team":"search"}}
            """), CancellationToken.None);

        var stored = await _store.FindAsync(record.Id, CancellationToken.None);
        Assert.Equal(record, stored);
        Assert.Equal(KeyDigest.Hex(key), stored!.SecretHash);
        Assert.DoesNotContain(key[19..], stored.SecretHash, StringComparison.Ordinal);
        Assert.Equal(("alice", new KeyLimits(60, 200_000, 40_000, 4), new KeyBudget(25_500_000, BudgetPeriod.Daily), true),
            (stored.Name, stored.Limits, stored.Budget, stored.Disabled));
        Assert.Equal(["qwen3*", "gpt-oss-120b"], stored.Models);
        Assert.Equal(new DateTimeOffset(2027, 6, 30, 0, 0, 0, TimeSpan.Zero), stored.ExpiresAt);
        Assert.Equal("search", stored.Labels["team"]);
        Assert.Equal(_time.GetUtcNow(), stored.CreatedAt);
        Assert.Equal([record.Id], _changed);
    }

    [Fact]
    public async Task Update_changes_only_what_is_given_and_null_clears()
    {
        var manager = Manager();
        var (record, _) = await manager.CreateAsync(Json("""{"name":"alice","rpm":60,"concurrency":4,"budget_usd":25,"labels":{"a":"1","b":"2"}}"""), CancellationToken.None);

        var updated = await manager.UpdateAsync(record.Id, Json("""{"rpm":null,"output_tpm":5,"budget_period":"total","labels":{"c":"3"}}"""), CancellationToken.None);

        Assert.Equal(new KeyLimits(null, null, 5, 4), updated!.Limits);
        Assert.Equal(new KeyBudget(25_000_000, BudgetPeriod.Total), updated.Budget);
        Assert.Equal(["c"], updated.Labels.Keys);
        Assert.Equal("alice", updated.Name);

        var edited = await manager.UpdateAsync(record.Id, new KeyChanges { LabelEdits = new Dictionary<string, string> { ["c"] = "", ["d"] = "4" }, BudgetUsd = new(true, null) }, CancellationToken.None);
        Assert.Equal(["d"], edited!.Labels.Keys);
        Assert.Null(edited.Budget);
        Assert.Equal(edited, await _store.FindAsync(record.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Revoke_is_for_good_and_a_revoked_key_cannot_be_changed()
    {
        var manager = Manager();
        var (record, _) = await manager.CreateAsync(Json("""{"name":"alice"}"""), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));

        var revoked = await manager.RevokeAsync(record.Id, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        var again = await manager.RevokeAsync(record.Id, CancellationToken.None);

        Assert.Equal(_time.GetUtcNow().AddMinutes(-1), revoked!.RevokedAt);
        Assert.Equal(revoked, again);
        Assert.Equal("revoked", KeyManager.Status(revoked, _time.GetUtcNow()));
        var problem = await Assert.ThrowsAsync<KeyProblemException>(() => manager.UpdateAsync(record.Id, Json("""{"rpm":1}"""), CancellationToken.None));
        Assert.Contains("revoked", problem.Message, StringComparison.Ordinal);
        Assert.Null(await manager.RevokeAsync("nosuchkeyid0", CancellationToken.None));
        Assert.Null(await manager.UpdateAsync("../../etc", Json("""{"rpm":1}"""), CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"rpm":0}""", "rpm")]
    [InlineData("""{"rpm":-5}""", "rpm")]
    [InlineData("""{"rpm":1.5}""", "rpm")]
    [InlineData("""{"rpm":"60"}""", "rpm")]
    [InlineData("""{"input_tpm":0}""", "input_tpm")]
    [InlineData("""{"output_tpm":-1}""", "output_tpm")]
    [InlineData("""{"concurrency":0}""", "concurrency")]
    [InlineData("""{"concurrency":99999999999}""", "concurrency")]
    [InlineData("""{"budget_usd":0}""", "budget_usd")]
    [InlineData("""{"budget_usd":"25"}""", "budget_usd")]
    [InlineData("""{"budget_period":"weekly","budget_usd":1}""", "budget_period")]
    [InlineData("""{"budget_period":"daily"}""", "budget_period")]
    [InlineData("""{"expires_at":"2020-01-01"}""", "expires_at")]
    [InlineData("""{"expires_at":"next tuesday"}""", "expires_at")]
    [InlineData("""{"models":"qwen3*"}""", "models")]
    [InlineData("""{"models":["qwen3*",""]}""", "models")]
    [InlineData("""{"labels":{"a":1}}""", "labels")]
    [InlineData("""{"disabled":"yes"}""", "disabled")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":42}""", "name")]
    [InlineData("""{"rmp":60}""", "rmp")]
    public async Task Bad_settings_are_refused_naming_the_field(string json, string field)
    {
        var problem = await Assert.ThrowsAsync<KeyProblemException>(async () =>
        {
            var changes = Json(json);
            await Manager().CreateAsync(changes with { Name = changes.Name.IsSet ? changes.Name : "alice" }, CancellationToken.None);
        });

        Assert.Equal(field, problem.Field);
        Assert.Empty(await _store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_star_alone_allows_every_model_and_the_stored_list_is_empty()
    {
        var (record, _) = await Manager().CreateAsync(Json("""{"name":"a","models":["*"]}"""), CancellationToken.None);

        Assert.Empty(record.Models);
        Assert.True(record.AllowsModel("anything"));
    }
}

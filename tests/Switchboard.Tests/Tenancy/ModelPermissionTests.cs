using Switchboard.Canonical;
using Switchboard.Pipeline;
using Switchboard.Tenancy;

namespace Switchboard.Tests.Tenancy;

public sealed class ModelPermissionTests
{
    private static KeyCaller Caller(params string[] models) =>
        new("abc", new ApiKeyRecord { Id = "abc", Name = "a", SecretHash = "", CreatedAt = DateTimeOffset.UnixEpoch, Models = models });

    [Fact]
    public void A_stored_key_may_use_only_the_models_its_globs_match()
    {
        var caller = Caller("qwen3*", "gpt-oss-120b");

        Assert.True(ModelPermission.Allows(caller, "qwen3-coder"));
        Assert.True(ModelPermission.Allows(caller, "GPT-OSS-120B"));
        Assert.False(ModelPermission.Allows(caller, "gpt-oss-20b"));
        var refusal = Assert.Throws<ApiException>(() => ((ICaller)caller).EnsureMayUse("gpt-oss-20b"));
        Assert.Equal((ApiErrorKind.Permission, "This API key does not have permission to use model 'gpt-oss-20b'"), (refusal.Error.Kind, refusal.Error.Message));
    }

    [Fact]
    public void Configured_keys_open_mode_and_keys_without_a_model_list_may_use_every_model()
    {
        Assert.True(ModelPermission.Allows(null, "m"));
        Assert.True(ModelPermission.Allows(new KeyCaller("key_1", null), "m"));
        Assert.True(ModelPermission.Allows(Caller(), "m"));
    }
}

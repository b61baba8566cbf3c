using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

public sealed class ModelDirectoryTests
{
    private static ModelDirectory Directory(params ModelOptions[] models)
    {
        var options = new SwitchboardOptions { Models = [.. models] };
        options.Upstreams["gpu"] = new UpstreamOptions { BaseUrl = "http://127.0.0.1:8000/v1" };
        return new ModelDirectory(new ModelCatalog(options, new UpstreamRegistry(options)));
    }

    [Fact]
    public void Lists_configured_models_in_order_with_their_names_limits_and_a_created_time_that_does_not_move()
    {
        var directory = Directory(
            new ModelOptions { Name = "qwen3-coder", DisplayName = "Qwen3 Coder", ContextLength = 262144, MaxOutputTokens = 65536 },
            new ModelOptions { Name = "llama" });

        Assert.Collection(
            directory.All,
            qwen => Assert.Equal(("qwen3-coder", "Qwen3 Coder", DateTimeOffset.UnixEpoch, 262144, 65536), (qwen.Id, qwen.DisplayName, qwen.CreatedAt, qwen.MaxInputTokens, qwen.MaxOutputTokens)),
            llama => Assert.Equal(("llama", "llama", DateTimeOffset.UnixEpoch, (int?)null, (int?)null), (llama.Id, llama.DisplayName, llama.CreatedAt, llama.MaxInputTokens, llama.MaxOutputTokens)));

        // A second start describes the same instant: clients that cache or sort by it see nothing new.
        Assert.Equal(directory.All[0], Directory(new ModelOptions { Name = "qwen3-coder", DisplayName = "Qwen3 Coder", ContextLength = 262144, MaxOutputTokens = 65536 }).All[0]);
    }

    [Fact]
    public void An_alias_is_described_under_its_own_name_with_its_targets_limits()
    {
        var directory = Directory(new ModelOptions { Name = "qwen3-coder", DisplayName = "Qwen3 Coder", Aliases = ["claude-*"], ContextLength = 131072, MaxOutputTokens = 8192 });

        var alias = directory.Describe("claude-sonnet-4-5");

        Assert.Equal(("claude-sonnet-4-5", "Qwen3 Coder", 131072, 8192), (alias.Id, alias.DisplayName, alias.MaxInputTokens, alias.MaxOutputTokens));
        Assert.Equal("qwen3-coder", alias.Profile?.Name);
    }

    [Fact]
    public void An_unknown_name_is_not_found()
    {
        var failure = Assert.Throws<ApiException>(() => Directory(new ModelOptions { Name = "qwen3-coder" }).Describe("delta"));

        Assert.Equal(ApiErrorKind.NotFound, failure.Error.Kind);
    }
}

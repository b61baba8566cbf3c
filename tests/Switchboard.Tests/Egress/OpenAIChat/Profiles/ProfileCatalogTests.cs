using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

public sealed class ProfileCatalogTests
{
    [Theory]
    [InlineData("MiniMax-M2.7", "minimax-m2")]
    [InlineData("MiniMaxAI/MiniMax-M2.5", "minimax-m2")]
    [InlineData("openai/gpt-oss-120b", "gpt-oss")]
    [InlineData("gpt-oss:20b", "gpt-oss")]
    [InlineData("Qwen/Qwen3-Coder-30B-A3B-Instruct", "qwen3-coder")]
    [InlineData("Qwen/Qwen3-235B-A22B-Thinking-2507", "qwen3-thinking")]
    [InlineData("Qwen/Qwen3-30B-A3B-Instruct-2507", "qwen3-instruct")]
    [InlineData("Qwen/Qwen3.5-397B-A17B", "qwen3.5")]
    [InlineData("qwen3:8b", "qwen3")]
    [InlineData("Qwen/QwQ-32B", "qwq")]
    [InlineData("Qwen/Qwen2.5-Coder-32B-Instruct", "hermes")]
    [InlineData("NousResearch/Hermes-3-Llama-3.1-8B", "hermes")]
    [InlineData("deepseek-ai/DeepSeek-R1-0528", "deepseek-r1")]
    [InlineData("deepseek-reasoner", "deepseek-r1")]
    [InlineData("deepseek-ai/DeepSeek-V3.1-Terminus", "deepseek-v3.1")]
    [InlineData("deepseek-ai/DeepSeek-V3-0324", "deepseek-v3")]
    [InlineData("zai-org/GLM-4.6", "glm-4.5")]
    [InlineData("zai-org/GLM-4.7", "glm-4.7")]
    [InlineData("moonshotai/Kimi-K2-Thinking", "kimi-k2-thinking")]
    [InlineData("moonshotai/Kimi-K2-Instruct-0905", "kimi-k2")]
    [InlineData("moonshotai/Kimi-K2.5", "kimi-k2.5")]
    [InlineData("meta-llama/Llama-3.3-70B-Instruct", "llama3")]
    [InlineData("mistralai/Devstral-Small-2507", "mistral")]
    [InlineData("my-finetune", "generic")]
    public void Upstream_model_name_picks_the_family(string upstreamModel, string expected)
    {
        Assert.Equal(expected, ProfileCatalog.Detect(upstreamModel).Name);
    }

    [Fact]
    public void A_named_profile_wins_over_the_model_name()
    {
        var profile = ProfileCatalog.For(new ModelOptions { Name = "coder", Profile = "Qwen3-Coder" }, "some-local-name");

        Assert.Equal("qwen3-coder", profile.Name);
    }

    [Fact]
    public void An_unknown_profile_name_is_a_configuration_error_naming_the_known_ones()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ProfileCatalog.For(new ModelOptions { Name = "m", Profile = "nope" }, "m"));

        Assert.Contains("Model 'm': unknown Profile 'nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains("minimax-m2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_switches_override_the_family_defaults()
    {
        var model = new ModelOptions { Name = "m", ThinkTags = false, ReasoningEffort = true, ThinkingSwitch = "none" };

        var profile = ProfileCatalog.For(model, "Qwen3-8B");

        Assert.Equal("qwen3", profile.Name);
        Assert.False(profile.ThinkTags);
        Assert.True(profile.ReasoningEffort);
        Assert.Null(profile.ThinkingSwitch);
    }

    [Fact]
    public void A_configured_switch_makes_thinking_switchable()
    {
        var profile = ProfileCatalog.For(new ModelOptions { Name = "m", ThinkingSwitch = "enable_thinking" }, "MiniMax-M2");

        Assert.Equal(ThinkingAbility.Switchable, profile.Thinking);
        Assert.Equal("enable_thinking", profile.ThinkingSwitch);
    }

    [Fact]
    public void Generic_keeps_the_behaviour_of_models_without_a_family()
    {
        var generic = ProfileCatalog.For(new ModelOptions { Name = "m" }, "my-finetune");

        Assert.Equal("generic", generic.Name);
        Assert.False(generic.ThinkTags);
        Assert.True(generic.ReasoningEffort);
        Assert.Null(generic.ThinkingSwitch);
        Assert.Equal(ThinkingHistory.ReasoningContentField, generic.History);
        Assert.IsType<PlainContentParser>(generic.CreateParser(Golden.GoldenTools.Request()));
        Assert.IsType<ThinkTagParser>(ProfileCatalog.For(new ModelOptions { Name = "m", ThinkTags = true }, "my-finetune").CreateParser(Golden.GoldenTools.Request()));
    }

    [Fact]
    public void Every_profile_name_is_unique_and_every_pattern_reaches_its_own_profile()
    {
        Assert.Equal(ProfileCatalog.All.Count, ProfileCatalog.All.Select(p => p.Name).Distinct().Count());
        foreach (var profile in ProfileCatalog.All)
        {
            foreach (var pattern in profile.Patterns)
            {
                // A pattern shadowed by an earlier profile would never pick its own.
                Assert.Equal(profile.Name, ProfileCatalog.Detect(pattern.Replace("*", "x", StringComparison.Ordinal)).Name);
            }
        }
    }

    [Theory]
    [InlineData("gpt-oss", "Thinking cannot be turned off; thinking disabled is sent as reasoning_effort low.")]
    [InlineData("minimax-m2", "Thinking cannot be turned off; thinking settings are ignored.")]
    [InlineData("qwen3-coder", "This model does not think; thinking settings are ignored.")]
    [InlineData("deepseek-v3.1", "Thinking is switched with chat_template_kwargs.thinking.")]
    [InlineData("generic", null)]
    public void Thinking_note_says_what_the_switches_really_do(string profile, string? note)
    {
        Assert.Equal(note, ProfileCatalog.Find(profile)!.ThinkingNote());
    }

    [Theory]
    [InlineData("deepseek-v3.1", null, false)]
    [InlineData("deepseek-v3.1", ThinkingMode.Adaptive, true)]
    [InlineData("qwen3", null, true)]
    [InlineData("qwen3", ThinkingMode.Disabled, false)]
    [InlineData("minimax-m2", ThinkingMode.Disabled, true)]
    [InlineData("qwen3-coder", ThinkingMode.Enabled, false)]
    public void Whether_the_model_thinks_follows_its_switch_and_default(string profile, ThinkingMode? mode, bool thinks)
    {
        Assert.Equal(thinks, ProfileCatalog.Find(profile)!.ThinksFor(Golden.GoldenTools.Request(mode)));
    }
}

using Microsoft.Extensions.Configuration;
using Switchboard.Configuration;
using Switchboard.Hosting;
using Switchboard.Pipeline;
using Switchboard.Telemetry;

namespace Switchboard.Tests.Hosting;

public sealed class CommandLineTests
{
    private static (IConfiguration Configuration, SwitchboardOptions Options) Configure(params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(args, CommandLine.SwitchMappings).Build();
        var options = configuration.GetSection(SwitchboardOptions.Section).Get<SwitchboardOptions>() ?? new SwitchboardOptions();
        CommandLine.ApplyQuickstart(configuration, options);
        return (configuration, options);
    }

    [Fact]
    public void Quickstart_flags_make_one_upstream_and_a_model_that_answers_to_every_name()
    {
        var (configuration, options) = Configure("--upstream", "http://127.0.0.1:8000/v1", "--model", "gpt-oss-120b",
            "--upstream-key", "up-key", "--api-key", "client-key", "--port", "4100");

        var upstream = Assert.Single(options.Upstreams);
        Assert.Equal(("default", "http://127.0.0.1:8000/v1", "up-key"), (upstream.Key, upstream.Value.BaseUrl, upstream.Value.ApiKey));
        var model = Assert.Single(options.Models);
        Assert.Equal(("gpt-oss-120b", "default", "gpt-oss-120b"), (model.Name, model.Upstream, model.UpstreamModel));
        Assert.Equal(["*"], model.Aliases);
        Assert.Equal(["client-key"], options.ApiKeys);
        Assert.Equal("4100", configuration["Switchboard:Port"]);
    }

    [Fact]
    public void Settings_for_the_quickstart_model_given_as_configuration_keys_are_kept()
    {
        var (_, options) = Configure("--upstream", "http://127.0.0.1:8000/v1", "--model", "qwen3",
            "--Switchboard:Models:0:ThinkTags=true", "--Switchboard:Models:0:ContextLength=32768");

        var model = Assert.Single(options.Models);
        Assert.Equal("qwen3", model.Name);
        Assert.True(model.ThinkTags);
        Assert.Equal(32768, model.ContextLength);
        Assert.Equal("default", model.Upstream);
    }

    [Fact]
    public void Without_flags_nothing_is_invented()
    {
        var (_, options) = Configure();

        Assert.Empty(options.Upstreams);
        Assert.Empty(options.Models);
        Assert.Empty(options.ApiKeys);
    }
}

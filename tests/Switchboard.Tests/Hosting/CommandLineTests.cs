using Microsoft.Extensions.Configuration;
using Switchboard.Configuration;
using Switchboard.Hosting;

namespace Switchboard.Tests.Hosting;

public sealed class CommandLineTests
{
    private static SwitchboardOptions Load(params string[] args)
    {
        var commandLine = CommandLine.Parse(args);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(commandLine.Settings).Build();
        return StartupConfiguration.Load(configuration, commandLine);
    }

    private static IReadOnlyList<string> Problems(params string[] args) =>
        Assert.Throws<SwitchboardConfigurationException>(() => Load(args)).Problems;

    [Fact]
    public void Quickstart_flags_make_one_upstream_and_a_model_that_answers_to_every_name()
    {
        var options = Load("--upstream", "http://127.0.0.1:8000/v1", "--model", "gpt-oss-120b",
            "--upstream-key", "up-key", "--api-key", "client-key", "--port=4100");

        var upstream = Assert.Single(options.Upstreams);
        Assert.Equal(("default", "http://127.0.0.1:8000/v1", "up-key"), (upstream.Key, upstream.Value.BaseUrl, upstream.Value.ApiKey));
        var model = Assert.Single(options.Models);
        Assert.Equal(("gpt-oss-120b", "default", "gpt-oss-120b"), (model.Name, model.Upstream, model.UpstreamModel));
        Assert.Equal(["*"], model.Aliases);
        Assert.Equal(["client-key"], options.ApiKeys);
        Assert.Equal(4100, options.Port);
    }

    [Fact]
    public void Settings_for_the_quickstart_model_given_as_configuration_keys_are_kept()
    {
        var options = Load("--upstream", "http://127.0.0.1:8000/v1", "--model", "qwen3",
            "--Switchboard:Models:0:ThinkTags=true", "--Switchboard:Models:0:ContextLength", "32768");

        var model = Assert.Single(options.Models);
        Assert.Equal("qwen3", model.Name);
        Assert.True(model.ThinkTags);
        Assert.Equal(32768, model.ContextLength);
        Assert.Equal("default", model.Upstream);
    }

    [Fact]
    public void The_upstream_flag_merges_with_the_default_upstreams_other_settings()
    {
        var options = Load("--upstream", "http://127.0.0.1:8000/v1", "--model", "m",
            "--Switchboard:Upstreams:default:TimeoutSeconds=3", "--Switchboard:Upstreams:default:Tokenizer=estimate");

        var upstream = Assert.Single(options.Upstreams).Value;
        Assert.Equal(("http://127.0.0.1:8000/v1", 3.0, "estimate"), (upstream.BaseUrl, upstream.TimeoutSeconds, upstream.Tokenizer));
    }

    [Fact]
    public void Without_flags_nothing_is_invented()
    {
        var options = Load();

        Assert.Empty(options.Upstreams);
        Assert.Empty(options.Models);
        Assert.Empty(options.ApiKeys);
    }

    [Fact]
    public void An_unknown_flag_is_refused_with_the_nearest_known_one()
    {
        var problem = Assert.Single(Problems("--upstream", "http://127.0.0.1:8000/v1", "--modle", "x"));

        Assert.StartsWith("unknown flag '--modle' (did you mean '--model'?)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_flag_is_reported_at_once()
    {
        var problems = Problems("--port", "abc", "--host", "foo", "--upstream", "notaurl", "stray");

        Assert.Equal(
        [
            "unexpected argument 'stray': flags start with -- (see --help)",
            "--port: 'abc' is not a port number (0-65535; 0 picks a free port)",
            "--host: 'foo' is not an IP address or 'localhost' (e.g. 127.0.0.1, 0.0.0.0, ::)",
            "--upstream: 'notaurl' is not an http(s) URL (e.g. http://127.0.0.1:8000/v1)",
        ], problems);
    }

    [Theory]
    [InlineData("99999")]
    [InlineData("-1")]
    public void A_port_out_of_range_is_refused(string port)
    {
        Assert.Equal($"--port: '{port}' is not a port number (0-65535; 0 picks a free port)", Assert.Single(Problems("--port", port)));
    }

    [Fact]
    public void A_model_without_an_upstream_and_a_flag_without_a_value_are_refused()
    {
        Assert.Equal(["--port needs a value (see --help)", "--model needs --upstream URL: the model is served by that upstream"],
            Problems("--model", "m", "--port"));
    }

    [Fact]
    public void A_misspelt_section_on_the_command_line_is_refused()
    {
        Assert.Equal("--Swichboard:Port: unknown configuration section 'Swichboard' (did you mean 'Switchboard'?)",
            Assert.Single(Problems("--Swichboard:Port=4100")));
    }

    [Fact]
    public void Help_and_version_are_recognised()
    {
        Assert.True(CommandLine.Parse(["--help"]).Help);
        Assert.True(CommandLine.Parse(["-h"]).Help);
        Assert.True(CommandLine.Parse(["--version"]).Version);
        Assert.Contains("docs/CONFIGURATION.md", CommandLine.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_less_gateway_is_not_bound_to_the_network()
    {
        Assert.StartsWith("Switchboard:Host: '0.0.0.0' would expose a gateway without API keys",
            Assert.Single(Problems("--host", "0.0.0.0")), StringComparison.Ordinal);
        Assert.Equal("0.0.0.0", Load("--host", "0.0.0.0", "--api-key", "k").Host);
    }
}

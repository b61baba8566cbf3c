using Microsoft.Extensions.Configuration;
using Switchboard.Configuration;
using Switchboard.Hosting;

namespace Switchboard.Tests.Configuration;

public sealed class ConfigurationValidationTests
{
    private static SwitchboardOptions Load(string json, params string[] args)
    {
        var commandLine = CommandLine.Parse(args);
        var configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)))
            .AddInMemoryCollection(commandLine.Settings)
            .Build();
        return StartupConfiguration.Load(configuration, commandLine);
    }

    private static IReadOnlyList<string> Problems(string json, params string[] args) =>
        Assert.Throws<SwitchboardConfigurationException>(() => Load(json, args)).Problems;

    [Fact]
    public void A_wrong_typed_value_is_named_by_its_key_path_and_nothing_else_is_blamed()
    {
        var problems = Problems("""
            { "Switchboard": {
                "Upstreams": { "vllm": { "BaseUrl": "http://127.0.0.1:8000/v1", "TimeoutSeconds": "ten" } },
                "Models": [ { "Name": "m", "Upstream": "vllm", "ThinkTags": "yes" } ] } }
            """);

        Assert.Equal(
        [
            "Switchboard:Models:0:ThinkTags: 'yes' is not true or false",
            "Switchboard:Upstreams:vllm:TimeoutSeconds: 'ten' is not a number",
        ], problems);
    }

    [Fact]
    public void Unknown_keys_are_refused_with_the_nearest_known_name()
    {
        var problems = Problems("""
            { "Switchboard": {
                "ApiKey": "sk-1",
                "Upstream": { "a": { "BaseUrl": "http://127.0.0.1:8000/v1" } },
                "Upstreams": { "b": { "BaseUri": "http://127.0.0.1:8001/v1" } },
                "Streming": { "PingIntervalSeconds": 5 } } }
            """);

        Assert.Equal(
        [
            "Switchboard:ApiKey: unknown setting 'ApiKey' (did you mean 'ApiKeys'?)",
            "Switchboard:Streming: unknown setting 'Streming' (did you mean 'Streaming'?)",
            "Switchboard:Upstream: unknown setting 'Upstream' (did you mean 'Upstreams'?)",
            "Switchboard:Upstreams:b:BaseUri: unknown setting 'BaseUri' (did you mean 'BaseUrl'?)",
            "Switchboard:Upstreams:b:BaseUrl: required (an OpenAI-compatible base URL such as http://127.0.0.1:8000/v1)",
        ], problems);
    }

    [Fact]
    public void Model_and_upstream_mistakes_are_all_reported_together()
    {
        var problems = Problems("""
            { "Switchboard": {
                "ApiKeys": "sk-single",
                "Upstreams": {
                  "vllm": { "BaseUrl": "localhost:8000/v1", "Api": "anthropic-messages" },
                  "ollama": { "BaseUrl": "http://127.0.0.1:11434/v1" } },
                "Models": [
                  { "Name": "a", "Upstream": "vlm" },
                  { "Name": "b", "Upstream": "ollama", "Aliases": [ "a-fast", "claude-*" ], "Profile": "qwen4" },
                  { "Name": "A", "Upstream": "ollama", "Aliases": [ "a-fast" ] },
                  { "Name": "c" } ] } }
            """);

        Assert.Equal("Switchboard:ApiKeys: 'sk-single' is a single value, but this setting expects a list, e.g. [\"…\"]", problems[0]);
        Assert.Contains("Switchboard:Upstreams:vllm:BaseUrl: 'localhost:8000/v1' is not an http(s) URL (e.g. http://127.0.0.1:8000/v1)", problems);
        Assert.Contains("Switchboard:Upstreams:vllm:Api: unknown API 'anthropic-messages'; known: openai-chat, anthropic", problems);
        Assert.Contains("Switchboard:Models:0:Upstream: unknown upstream 'vlm' (did you mean 'vllm'?); configured: ollama, vllm", problems);
        Assert.Contains(problems, p => p.StartsWith("Switchboard:Models:1:Profile: unknown profile 'qwen4' (did you mean 'qwen3'?). Known profiles: gpt-oss, minimax-m2,", StringComparison.Ordinal));
        Assert.Contains("Switchboard:Models:2:Name: 'A' is already used by Switchboard:Models:0:Name", problems);
        Assert.Contains("Switchboard:Models:2:Aliases:0: 'a-fast' is already used by Switchboard:Models:1:Aliases:0", problems);
        Assert.Contains("Switchboard:Models:3:Upstream: required when more than one upstream is configured (ollama, vllm)", problems);
        Assert.Equal(8, problems.Count);
    }

    [Fact]
    public void Log_levels_and_the_console_formatter_are_checked()
    {
        var problems = Problems("""{ "Logging": { "LogLevel": { "Default": "Verbose" }, "Console": { "FormatterName": "jsno" } } }""");

        Assert.Equal(
        [
            "Logging:LogLevel:Default: 'Verbose' is not a log level (Trace, Debug, Information, Warning, Error, Critical, None)",
            "Logging:Console:FormatterName: unknown formatter 'jsno' (did you mean 'json'?); known: simple, json, systemd",
        ], problems);
    }

    [Fact]
    public void A_valid_file_binds_every_section()
    {
        var options = Load("""
            { "Switchboard": {
                "ApiKeys": [ "sk-1" ], "Port": 4100, "Cors": { "AllowedOrigins": [ "https://chat.example.com" ] },
                "Upstreams": { "vllm": { "BaseUrl": "http://127.0.0.1:8000/v1", "TimeoutSeconds": 30, "Api": "openai-chat" } },
                "Models": [ { "Name": "m", "Profile": "Qwen3", "Aliases": [ "claude-*" ] } ] } }
            """);

        Assert.Equal((4100, "https://chat.example.com", 30.0, "Qwen3"),
            (options.Port, Assert.Single(options.Cors.AllowedOrigins), options.Upstreams["vllm"].TimeoutSeconds, options.Models[0].Profile));
    }

    [Fact]
    public void A_cors_origin_with_a_path_is_refused()
    {
        Assert.StartsWith("Switchboard:Cors:AllowedOrigins:0: 'https://chat.example.com/app' is not an origin",
            Assert.Single(Problems("""{ "Switchboard": { "Cors": { "AllowedOrigins": [ "https://chat.example.com/app" ] } } }""")), StringComparison.Ordinal);
    }
}

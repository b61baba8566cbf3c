using Microsoft.Extensions.Configuration;
using Switchboard.Configuration;
using Switchboard.Hosting;

namespace Switchboard.Tests.Hosting;

public sealed class TelemetryOptionsTests
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
    public void Metrics_and_traces_are_on_by_default_with_metrics_on_the_main_port()
    {
        var options = Load();

        Assert.True(options.Telemetry.Metrics);
        Assert.True(options.Telemetry.Traces);
        Assert.Null(options.Telemetry.MetricsPort);
    }

    [Fact]
    public void The_flags_set_the_metrics_port_and_the_console_format()
    {
        var commandLine = CommandLine.Parse(["--metrics-port", "9464", "--log-format", "json"]);

        Assert.Equal("9464", commandLine.Settings["Switchboard:Telemetry:MetricsPort"]);
        Assert.Equal("json", commandLine.Settings["Logging:Console:FormatterName"]);
        Assert.Equal(9464, Load("--metrics-port", "9464").Telemetry.MetricsPort);
    }

    [Fact]
    public void A_bad_metrics_port_or_log_format_is_named()
    {
        Assert.Contains("--log-format: 'xml' is not a console log format (simple, json or systemd)", Problems("--log-format", "xml"));
        Assert.Contains("Switchboard:Telemetry:MetricsPort: 70000 is not a port (1-65535)", Problems("--metrics-port", "70000"));
        Assert.Contains(Problems("--port", "4100", "--metrics-port", "4100"), p => p.StartsWith("Switchboard:Telemetry:MetricsPort: 4100 is the main port", StringComparison.Ordinal));
        Assert.Contains(Problems("--metrics-port", "9464", "--Switchboard:Telemetry:Metrics=false"),
            p => p.StartsWith("Switchboard:Telemetry:MetricsPort: set, but Telemetry:Metrics is false", StringComparison.Ordinal));
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.Hosting;

namespace Switchboard.EndToEnd;

public sealed class LoggingConfigurationTests
{
    private static async Task<IReadOnlyList<(string Category, LogLevel Level, string Message)>> RequestLogsAsync(params string[] args)
    {
        var logs = new CapturedLogs();
        await using var app = SwitchboardApp.Create(["--port", "0", TestDataRoot.FreshDirectoryArg(), .. args], b => b.Services.AddSingleton<ILoggerProvider>(logs));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        (await http.GetAsync("/healthz")).Dispose();
        await app.StopAsync();
        return logs.Lines;
    }

    [Fact]
    public async Task AspNetCore_categories_default_to_warning_and_configuration_overrides_it()
    {
        var defaults = await RequestLogsAsync();
        var configured = await RequestLogsAsync("--Logging:LogLevel:Microsoft.AspNetCore=Information");

        Assert.DoesNotContain(defaults, l => l.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && l.Level < LogLevel.Warning);
        Assert.Contains(configured, l => l.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && l.Message.StartsWith("Request starting", StringComparison.Ordinal));
    }
}

using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Console;

namespace Switchboard.Hosting;

/// <summary>
/// Switchboard's logging defaults — one-line console entries with a timestamp, ASP.NET Core's own categories at
/// <c>Warning</c> — set beneath every configuration source, so <c>Logging:LogLevel:*</c>,
/// <c>Logging:Console:FormatterName</c> (e.g. <c>json</c>) and <c>Logging:Console:FormatterOptions:*</c> override them.
/// </summary>
internal static class LoggingDefaults
{
    private static readonly Dictionary<string, string?> Levels = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    public static void Apply(WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();

        // The slim host registers its console as "simple" in code, over configuration; the configured formatter is
        // put back last. Sections are read when the options are first built, after every source has been added.
        var console = builder.Configuration.GetSection("Logging:Console");
        builder.Services.Configure<ConsoleLoggerOptions>(options =>
        {
            if (console["FormatterName"] is { Length: > 0 } formatter)
            {
                options.FormatterName = formatter;
            }
        });

        var formatterOptions = console.GetSection("FormatterOptions");
        builder.Services.Configure<SimpleConsoleFormatterOptions>(simple =>
        {
            if (formatterOptions["SingleLine"] is null)
            {
                simple.SingleLine = true;
            }

            if (formatterOptions["TimestampFormat"] is null)
            {
                simple.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
            }
        });
    }
}

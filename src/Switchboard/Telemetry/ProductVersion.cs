using System.Reflection;

namespace Switchboard.Telemetry;

/// <summary>
/// The product version from the project's <c>Version</c>, as <c>--version</c>, the start-up log, <c>/healthz</c> and the
/// <c>User-Agent</c> sent upstream show it.
/// </summary>
public static class ProductVersion
{
    public static string Value { get; } = Read();

    private static string Read()
    {
        var informational = typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

        // The SDK appends "+<commit>"; the product version is what precedes it.
        return informational?.Split('+')[0] ?? typeof(ProductVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}

using System.Text.Json;

namespace Switchboard.Egress;

/// <summary>
/// With no upstream configured, looks for the usual local model servers once at start and logs what it found and
/// the command line that would use it. It never routes to them by itself: where requests go is configuration.
/// </summary>
public sealed partial class LocalServerProbe(UpstreamRegistry upstreams, ILogger<LocalServerProbe> logger) : BackgroundService
{
    private static readonly (string Name, int Port)[] KnownServers =
        [("Ollama", 11434), ("vLLM", 8000), ("llama.cpp", 8080), ("LM Studio", 1234), ("SGLang", 30000)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (upstreams.All.Count > 0)
        {
            return;
        }

        LogNoUpstream(logger);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        http.DefaultRequestHeaders.UserAgent.Add(UpstreamUserAgent.Value);
        var probes = KnownServers.Select(server => ProbeAsync(http, server.Name, server.Port, stoppingToken));
        var found = (await Task.WhenAll(probes)).Count(ok => ok);
        if (found == 0)
        {
            LogNothingFound(logger);
        }
    }

    private async Task<bool> ProbeAsync(HttpClient http, string name, int port, CancellationToken cancellationToken)
    {
        var baseUrl = $"http://127.0.0.1:{port}/v1";
        try
        {
            await using var body = await http.GetStreamAsync($"{baseUrl}/models", cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            var models = document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                ? data.EnumerateArray().Select(m => m.TryGetProperty("id", out var id) ? id.GetString() : null).OfType<string>().ToList()
                : [];
            LogFound(logger, name, baseUrl, string.Join(", ", models), models.FirstOrDefault() ?? "<model>");
            return true;
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning,
        Message = "No upstream is configured: requests will be refused until one is. Looking for local model servers…")]
    private static partial void LogNoUpstream(ILogger logger);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning,
        Message = "Found {Server} at {BaseUrl} serving [{Models}]. To use it: --upstream {BaseUrl} --model {Model}")]
    private static partial void LogFound(ILogger logger, string server, string baseUrl, string models, string model);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning,
        Message = "No local model server answered (Ollama :11434, vLLM :8000, llama.cpp :8080, LM Studio :1234, SGLang :30000). Start one, or pass --upstream <url> --model <name>.")]
    private static partial void LogNothingFound(ILogger logger);
}

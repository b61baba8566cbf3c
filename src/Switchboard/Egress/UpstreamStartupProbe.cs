using System.Net;
using System.Text.Json;
using Switchboard.Configuration;

namespace Switchboard.Egress;

/// <summary>
/// Asks each configured upstream once, in the background at start, for <c>GET {BaseUrl}/models</c>, and tells the
/// operator what it found: which models it serves (with their context windows when reported), a configured model it
/// does not list, a base URL that is missing its <c>/v1</c>, a refused key, or no answer at all. The start-up log is
/// the operator's, so it names URLs; nothing here reaches a client, and routing never depends on it.
/// </summary>
public sealed partial class UpstreamStartupProbe(
    UpstreamRegistry upstreams, SwitchboardOptions options, ILogger<UpstreamStartupProbe> logger) : BackgroundService
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(upstreams.All.Select(upstream => ProbeAsync(upstream, stoppingToken)));
    }

    private async Task ProbeAsync(UpstreamEndpoint upstream, CancellationToken stoppingToken)
    {
        // (public model, the name this upstream knows it by): models routed to it, and pools with a target on it.
        var models = options.Models
            .Where(m => m.Targets.Count == 0 && string.Equals(m.Upstream ?? (upstreams.All.Count == 1 ? upstream.Name : null), upstream.Name, StringComparison.OrdinalIgnoreCase))
            .Select(m => (m.Name, UpstreamModel: m.UpstreamModel ?? m.Name))
            .Concat(options.Models.SelectMany(m => m.Targets
                .Where(t => string.Equals(t.Upstream, upstream.Name, StringComparison.OrdinalIgnoreCase))
                .Select(t => (m.Name, UpstreamModel: t.UpstreamModel ?? m.UpstreamModel ?? m.Name))))
            .ToList();
        var answer = await GetModelsAsync(upstream, upstream.BaseUrl, stoppingToken);
        switch (answer)
        {
            case { Served: { } served }:
                var listing = string.Join(", ", served.Select(s => s.ContextLength is { } context ? $"{s.Id} (context {context})" : s.Id));
                LogReachable(logger, upstream.Name, upstream.BaseUrl, listing);
                if (models.Count == 0)
                {
                    LogNoModel(logger, upstream.Name, listing);
                }

                foreach (var (model, upstreamModel) in models)
                {
                    if (served.Count > 0 && !served.Any(s => string.Equals(s.Id, upstreamModel, StringComparison.Ordinal)))
                    {
                        LogModelNotListed(logger, upstream.Name, upstream.BaseUrl, upstreamModel, model, listing);
                    }
                }

                break;
            case { Status: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden }:
                LogKeyRefused(logger, upstream.Name, upstream.BaseUrl, (int)answer.Status);
                break;
            case { Status: { } status }:
                var withV1 = upstream.BaseUrl + "/v1";
                if (!upstream.BaseUrl.EndsWith("/v1", StringComparison.OrdinalIgnoreCase)
                    && await GetModelsAsync(upstream, withV1, stoppingToken) is { Served: not null })
                {
                    LogMissingV1(logger, upstream.Name, upstream.BaseUrl, withV1);
                }
                else
                {
                    LogUnexpectedAnswer(logger, upstream.Name, upstream.BaseUrl, (int)status);
                }

                break;
            default:
                LogUnreachable(logger, upstream.Name, upstream.BaseUrl, answer.Failure ?? "no answer");
                break;
        }
    }

    private static async Task<ProbeAnswer> GetModelsAsync(UpstreamEndpoint upstream, string baseUrl, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/models");
            UpstreamProbeHeaders.Add(request, upstream.Options);

            using var response = await upstream.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new ProbeAnswer(response.StatusCode, null, null);
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token);
            if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                return new ProbeAnswer(response.StatusCode, null, null);
            }

            var served = data.EnumerateArray()
                .Where(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                .Select(m => new ServedModel(
                    m.GetProperty("id").GetString()!,
                    m.TryGetProperty("max_model_len", out var length) && length.TryGetInt32(out var context) ? context : null))
                .ToList();
            return new ProbeAnswer(response.StatusCode, served, null);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return new ProbeAnswer(null, null, $"no answer within {ProbeTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException failure)
        {
            return new ProbeAnswer(null, null, failure.HttpRequestError is HttpRequestError.Unknown ? failure.Message : failure.HttpRequestError.ToString());
        }
        catch (JsonException)
        {
            return new ProbeAnswer(HttpStatusCode.UnprocessableContent, null, null);
        }
    }

    private sealed record ServedModel(string Id, int? ContextLength);

    private sealed record ProbeAnswer(HttpStatusCode? Status, List<ServedModel>? Served, string? Failure);

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Upstream {Upstream} at {BaseUrl} answers; it serves [{Served}]")]
    private static partial void LogReachable(ILogger logger, string upstream, string baseUrl, string served);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning,
        Message = "Upstream {Upstream} at {BaseUrl} is not reachable ({Reason}): requests for its models fail until it is. Is the model server running, and is this its address?")]
    private static partial void LogUnreachable(ILogger logger, string upstream, string baseUrl, string reason);

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning,
        Message = "Upstream {Upstream} at {BaseUrl} does not answer GET /models, but {Suggested} does: did you mean {Suggested} (--upstream, or Switchboard:Upstreams:{Upstream}:BaseUrl)?")]
    private static partial void LogMissingV1(ILogger logger, string upstream, string baseUrl, string suggested);

    [LoggerMessage(EventId = 63, Level = LogLevel.Warning,
        Message = "Upstream {Upstream} at {BaseUrl} answered GET /models with HTTP {Status}, not a models list: is this its OpenAI-compatible base URL (usually ending in /v1)?")]
    private static partial void LogUnexpectedAnswer(ILogger logger, string upstream, string baseUrl, int status);

    [LoggerMessage(EventId = 64, Level = LogLevel.Warning,
        Message = "Upstream {Upstream} at {BaseUrl} refused its key (HTTP {Status}): check --upstream-key or Switchboard:Upstreams:{Upstream}:ApiKey")]
    private static partial void LogKeyRefused(ILogger logger, string upstream, string baseUrl, int status);

    [LoggerMessage(EventId = 65, Level = LogLevel.Warning,
        Message = "Upstream {Upstream} at {BaseUrl} does not list model {UpstreamModel} (configured for {Model}); it serves [{Served}]. Requests for it will fail unless the server knows it by that name.")]
    private static partial void LogModelNotListed(ILogger logger, string upstream, string baseUrl, string upstreamModel, string model, string served);

    [LoggerMessage(EventId = 66, Level = LogLevel.Warning,
        Message = "No model routes to upstream {Upstream}; it serves [{Served}]. Add --model NAME or a Switchboard:Models entry.")]
    private static partial void LogNoModel(ILogger logger, string upstream, string served);
}

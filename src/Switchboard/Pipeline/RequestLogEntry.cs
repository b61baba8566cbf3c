using Switchboard.Configuration;
using Switchboard.Hosting;
using Switchboard.Telemetry;

namespace Switchboard.Pipeline;

/// <summary>
/// What the one log line per request says, filled in by whoever learns it (auth: key id; endpoints: model,
/// upstream, tokens, first-token time). Lives in <c>HttpContext.Features</c>.
/// </summary>
public sealed class RequestLogEntry
{
    public string? KeyId { get; set; }

    public string? Model { get; set; }

    public string? Upstream { get; set; }

    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    /// <summary>Milliseconds from request start to the first content sent to the client.</summary>
    public double? TimeToFirstTokenMs { get; set; }

    /// <summary>The error type when the request failed, including failures after a stream began.</summary>
    public string? ErrorType { get; set; }
}

using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>
/// A request as its client sent it: the dialect it is written in, the body (referencing the request's parsed
/// document, alive for the request) and the dialect's own headers worth forwarding (<c>anthropic-beta</c>,
/// <c>anthropic-version</c>). An egress that speaks <see cref="Dialect"/> may send <see cref="Body"/> itself.
/// </summary>
public sealed record RequestSource(string Dialect, JsonElement Body)
{
    /// <summary>Header name and value pairs the client sent that an upstream of the same dialect should get.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}

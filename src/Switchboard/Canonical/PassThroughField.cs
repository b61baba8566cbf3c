using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>A top-level request field carried unchanged to the upstream; <see cref="Value"/> references the request's document.</summary>
public sealed record PassThroughField(string Name, JsonElement Value);

using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Ingress.Anthropic;

/// <summary>One entry of <c>GET /v1/models</c>, with the model family profile it runs with when known.</summary>
public sealed record ModelInfo(string Id, string DisplayName, DateTimeOffset CreatedAt, ModelProfile? Profile = null);

using Switchboard.Egress;
using Switchboard.Routing;

namespace Switchboard.Pipeline;

/// <summary>
/// The egress implementations by API name; a route's upstream <c>Api</c> setting picks one. Every configured
/// upstream's API is checked when this is built, at start-up, so a typo stops the server instead of a request.
/// Each egress is handed out wrapped by the <see cref="IUpstreamDecorator"/>s (telemetry's attempt spans).
/// </summary>
public sealed class UpstreamApis
{
    private readonly Dictionary<string, IModelUpstream> _byApi = new(StringComparer.OrdinalIgnoreCase);

    public UpstreamApis(IEnumerable<IModelUpstream> implementations, UpstreamRegistry upstreams, IEnumerable<IUpstreamDecorator>? decorators = null)
    {
        ArgumentNullException.ThrowIfNull(implementations);
        ArgumentNullException.ThrowIfNull(upstreams);
        var wrappers = decorators?.ToArray() ?? [];
        foreach (var implementation in implementations)
        {
            _byApi[implementation.Api] = wrappers.Aggregate(implementation, (inner, decorator) => decorator.Decorate(inner));
        }

        foreach (var upstream in upstreams.All)
        {
            if (!_byApi.ContainsKey(upstream.Options.Api))
            {
                throw new InvalidOperationException(
                    $"Upstream '{upstream.Name}' has Api '{upstream.Options.Api}'; known: {string.Join(", ", _byApi.Keys.Order(StringComparer.Ordinal))}.");
            }
        }
    }

    /// <summary>The egress that speaks the route's upstream API.</summary>
    public IModelUpstream For(ModelRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return _byApi.TryGetValue(route.Upstream.Options.Api, out var upstream)
            ? upstream
            : throw new InvalidOperationException($"No egress for Api '{route.Upstream.Options.Api}'");
    }
}

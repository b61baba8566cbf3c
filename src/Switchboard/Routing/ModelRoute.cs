using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Routing;

/// <summary>Where one request goes: the upstream, the model name it knows there, and that model's settings.</summary>
public sealed record ModelRoute(string RequestedModel, ModelOptions Model, UpstreamEndpoint Upstream, string UpstreamModel)
{
    private ModelProfile? _profile;

    /// <summary>The model's family profile with its own settings applied; found from the options unless given.</summary>
    public ModelProfile Profile
    {
        get => _profile ??= ProfileCatalog.For(Model, UpstreamModel);
        init => _profile = value;
    }
}

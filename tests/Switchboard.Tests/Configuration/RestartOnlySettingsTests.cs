using Microsoft.Extensions.Configuration;
using Switchboard.Configuration;

namespace Switchboard.Tests.Configuration;

public sealed class RestartOnlySettingsTests
{
    private static Dictionary<string, string?> Of(params (string Key, string Value)[] pairs) =>
        RestartOnlySettings.Of(new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build());

    [Fact]
    public void Upstreams_and_models_reload_everything_else_is_named_without_its_value()
    {
        var running = Of(("Switchboard:Port", "4000"), ("Switchboard:Storage:Redis", "redis:6379,password=one"),
            ("Switchboard:Upstreams:a:BaseUrl", "http://a/v1"), ("Switchboard:Models:0:Name", "m"), ("Switchboard:ApiKeys:0", "k1"));
        var next = Of(("Switchboard:Port", "4001"), ("Switchboard:Storage:Redis", "redis:6379,password=two"),
            ("Switchboard:Upstreams:a:BaseUrl", "http://b/v1"), ("Switchboard:Models:0:Name", "n"), ("Switchboard:ApiKeys:0", "k1"),
            ("Switchboard:Admin:Token", "t"));

        var changed = RestartOnlySettings.Changed(running, next);

        Assert.Equal(["Switchboard:Admin", "Switchboard:Port", "Switchboard:Storage"], changed);
        Assert.Empty(RestartOnlySettings.Changed(running, running));
    }
}

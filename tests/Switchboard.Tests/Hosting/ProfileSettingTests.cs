using Microsoft.Extensions.DependencyInjection;
using Switchboard.Configuration;
using Switchboard.Hosting;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Hosting;

public sealed class ProfileSettingTests
{
    [Fact]
    public void An_unknown_profile_stops_start_up_with_a_message_naming_it()
    {
        var error = Assert.Throws<SwitchboardConfigurationException>(() => SwitchboardApp.Create(
            ["--upstream", "http://127.0.0.1:1/v1", "--model", "m", "--port", "0", "--Switchboard:Models:0:Profile=qwen4"]));

        Assert.StartsWith("Switchboard:Models:0:Profile: unknown profile 'qwen4' (did you mean 'qwen3'?). Known profiles: gpt-oss, minimax-m2,",
            Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_known_profile_is_accepted_in_any_case()
    {
        await using var app = SwitchboardApp.Create(
            ["--upstream", "http://127.0.0.1:1/v1", "--model", "m", "--port", "0", "--Switchboard:Models:0:Profile=MiniMax-M2", TestDataRoot.FreshDirectoryArg()]);

        var route = app.Services.GetRequiredService<Switchboard.Routing.ModelCatalog>().Resolve("m");

        Assert.Equal("minimax-m2", route.Profile.Name);
    }
}

namespace Switchboard.Hosting.Cli;

/// <summary>Registers the stores for a command (until storage registration is merged).</summary>
internal static class StoreSetupForCli
{
    public static void Add(IServiceCollection services, Configuration.SwitchboardOptions options) =>
        throw new NotSupportedException("stores are not wired yet");
}

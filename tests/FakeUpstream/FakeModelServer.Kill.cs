namespace Switchboard.FakeUpstream;

/// <summary>A replica that dies: for pool tests, a server that stops at once rather than finishing its answers.</summary>
public sealed partial class FakeModelServer
{
    /// <summary>Stops listening and cuts every open connection, answers in progress included (a killed process).</summary>
    public async Task KillAsync()
    {
        using var now = new CancellationTokenSource();
        await now.CancelAsync();
        await _app.StopAsync(now.Token);
    }
}

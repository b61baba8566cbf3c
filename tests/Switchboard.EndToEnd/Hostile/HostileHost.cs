using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;
using Switchboard.Hosting;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>
/// One Switchboard configured through its <c>Switchboard:</c> keys (not the quickstart flags, so upstream settings such
/// as the timeout apply) in front of a <see cref="FakeModelServer"/> that demands an upstream key, with every log line
/// captured. Model <c>fake-model</c> catches every name; <c>dead-model</c> routes to an upstream nobody listens on.
/// Shared by all cases of one test class (xunit runs a class's cases one after another).
/// </summary>
public abstract class HostileHost : IAsyncLifetime
{
    public const string ApiKey = "sk-switchboard-hostile-client-key-0f9e8d";
    public const string UpstreamKey = "sk-upstream-secret-key-7c6b5a4d3e2f";
    public const string DeadModel = "dead-model";

    public CapturedLogs Logs { get; } = new();

    public FakeModelServer Upstream { get; private set; } = null!;

    public WebApplication App { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Port of the <c>dead</c> upstream: free when the host started, so connecting is refused.</summary>
    public int DeadPort { get; private set; }

    /// <summary>Sends the client key and <c>anthropic-version</c>.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>No client key (for key-less instances).</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>False: no <c>ApiKeys</c>, the loopback-only key-less mode.</summary>
    protected virtual bool WithClientKey => true;

    protected virtual IEnumerable<string> ExtraArgs => [];

    public async Task InitializeAsync()
    {
        Upstream = await FakeModelServer.StartAsync(new FakeServerOptions { ApiKey = UpstreamKey });
        DeadPort = FreePort();
        List<string> args =
        [
            "--port", "0", "--host", "127.0.0.1",
            $"--Switchboard:Upstreams:default:BaseUrl={Upstream.BaseUrl}",
            $"--Switchboard:Upstreams:default:ApiKey={UpstreamKey}",
            $"--Switchboard:Upstreams:dead:BaseUrl=http://127.0.0.1:{DeadPort}/v1",
            "--Switchboard:Upstreams:dead:ApiKey=" + UpstreamKey,
            "--Switchboard:Models:0:Name=" + DeadModel, "--Switchboard:Models:0:Upstream=dead",
            "--Switchboard:Models:0:ContextLength=32768",
            "--Switchboard:Models:1:Name=fake-model", "--Switchboard:Models:1:Upstream=default",
            "--Switchboard:Models:1:Aliases:0=*",
            "--Logging:LogLevel:Default=Information",
            TestDataRoot.FreshDirectoryArg(),
        ];
        if (WithClientKey)
        {
            args.AddRange(["--api-key", ApiKey]);
        }

        args.AddRange(ExtraArgs);
        App = SwitchboardApp.Create([.. args], builder => builder.Services.AddSingleton<ILoggerProvider>(Logs));
        await App.StartAsync();
        BaseUrl = App.Urls.First().TrimEnd('/');
        Http = NewClient(withKey: WithClientKey);
        Anonymous = NewClient(withKey: false);
    }

    public HttpClient NewClient(bool withKey = true)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(BaseUrl),
            Timeout = TimeSpan.FromSeconds(45),
        };
        if (withKey)
        {
            client.DefaultRequestHeaders.Add("x-api-key", ApiKey);
        }

        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return client;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        Anonymous.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class DefaultHostileHost : HostileHost;

/// <summary>Upstream calls limited to 3 s, so timeouts and stalls show within a test's time.</summary>
public sealed class FaultHostileHost : HostileHost
{
    protected override IEnumerable<string> ExtraArgs => ["--Switchboard:Upstreams:default:TimeoutSeconds=3"];
}

/// <summary>A 1 MiB body limit, so 413 needs no large upload.</summary>
public sealed class SmallBodyHostileHost : HostileHost
{
    protected override IEnumerable<string> ExtraArgs => ["--Switchboard:MaxRequestBodyBytes=1048576"];
}

public sealed class KeylessHostileHost : HostileHost
{
    protected override bool WithClientKey => false;
}

using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Switchboard.EndToEnd.Tenancy;

/// <summary>
/// Listening on the network with keys kept in the store (an admin token set, no configured keys): until a key exists
/// only this machine's clients are served; then the key is required from everywhere.
/// </summary>
public sealed class NetworkOpenModeTests : IAsyncLifetime
{
    private KeyStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await KeyStorage.CreateAsync(StoreKind.Sqlite);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    /// <summary>An address of this machine that is not loopback: a connection to it comes from a non-loopback address.</summary>
    private static IPAddress NetworkAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("this test needs a non-loopback IPv4 address on the machine");

    [Fact]
    public async Task Without_a_key_only_local_clients_are_served_and_with_one_the_key_is_required_from_the_network()
    {
        await using var host = await TenantHost.StartAsync(_storage, args: ["--host", "0.0.0.0"]);
        var port = new Uri(host.BaseUrl).Port;
        using var network = new HttpClient { BaseAddress = new Uri($"http://{NetworkAddress()}:{port}") };
        network.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");

        // A network client can claim any Host; the cross-site guard's Host check alone would let this through.
        network.DefaultRequestHeaders.Host = "localhost";

        var (refused, body) = await TenantHost.SendAsync(network, HttpMethod.Get, "/v1/models");
        using var local = host.Client(null);
        var (served, _) = await TenantHost.SendAsync(local, HttpMethod.Get, "/v1/models");
        Assert.Equal((403, "permission_error", 200), (refused, body.GetProperty("error").GetProperty("type").GetString(), served));
        Assert.StartsWith("No API key exists yet", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        var created = await host.CreateKeyAsync("""{"name":"alice"}""");
        network.DefaultRequestHeaders.Add("x-api-key", created.GetProperty("key").GetString());
        using var keyless = new HttpClient { BaseAddress = network.BaseAddress };
        Assert.Equal(200, (await TenantHost.SendAsync(network, HttpMethod.Get, "/v1/models")).Status);
        Assert.Equal(401, (await TenantHost.SendAsync(keyless, HttpMethod.Get, "/v1/models")).Status);
    }
}

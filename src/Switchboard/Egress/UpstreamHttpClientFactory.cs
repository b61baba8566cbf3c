using System.Net;
using Switchboard.Configuration;

namespace Switchboard.Egress;

/// <summary>Builds the one pooled <see cref="HttpClient"/> each configured upstream keeps for its lifetime.</summary>
public static class UpstreamHttpClientFactory
{
    /// <summary>Connections are recycled this often so DNS changes and load-balancer moves are picked up.</summary>
    private static readonly TimeSpan ConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>An idle pooled connection is closed after this long (also what frees a client a reload retired).</summary>
    public static readonly TimeSpan IdleConnectionLifetime = TimeSpan.FromMinutes(1);

    public static HttpClient CreateHttpClient(UpstreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = ConnectionLifetime,
            PooledConnectionIdleTimeout = IdleConnectionLifetime,
            ConnectTimeout = Seconds(options.ConnectTimeoutSeconds),

            // Bodies are relayed as they arrive; model servers on a LAN gain nothing from compression.
            AutomaticDecompression = DecompressionMethods.None,

            // A redirect from a model server is a misconfiguration to report, not to follow with the prompt.
            AllowAutoRedirect = false,
            UseCookies = false,

            // An answer abandoned midway (client gone, time limit) closes its connection at once, which tells the
            // model server to stop generating, instead of being drained for reuse.
            MaxResponseDrainSize = 0,
            EnableMultipleHttp2Connections = true,
        };

        // Every limit is the call's own (UpstreamDeadline): HttpClient's would cover only the wait for headers, and
        // the same for every request, streamed or not.
        var client = new HttpClient(new UpstreamWaitHandler(handler), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(UpstreamUserAgent.Value);
        return client;
    }

    /// <summary>Zero or less means no limit.</summary>
    internal static TimeSpan Seconds(double seconds) =>
        seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
}

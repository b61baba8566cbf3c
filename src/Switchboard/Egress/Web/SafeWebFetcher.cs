using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Switchboard.Configuration;
using Switchboard.Telemetry;

namespace Switchboard.Egress.Web;

/// <summary>
/// The <see cref="IWebFetcher"/>: GET over http(s) with Switchboard's outbound rules (docs/SERVER_TOOLS.md, "Outbound
/// fetches and their rules"). The connection callback resolves the host itself, refuses the connection when any of its
/// addresses is not allowed (<see cref="PublicAddress"/>, <see cref="FetchAllowList"/>) and connects to the address it
/// checked, so a second resolution cannot point elsewhere (DNS rebinding). Redirects are followed here, not by the
/// handler, and each hop's URL, domain and address are checked again. No cookies, no credentials, no proxy.
/// </summary>
public sealed partial class SafeWebFetcher : IWebFetcher, IDisposable
{
    private const string UserAgentComment = "(+web fetch)";

    private readonly WebFetchOptions _options;
    private readonly FetchAllowList _allowList;
    private readonly HttpMessageInvoker _client;
    private readonly TimeProvider _time;
    private readonly ILogger<SafeWebFetcher> _logger;

    public SafeWebFetcher(WebFetchOptions options, TimeProvider time, ILogger<SafeWebFetcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _allowList = new FetchAllowList(options);
        _time = time;
        _logger = logger;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            Credentials = null,
            PreAuthenticate = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(10, options.TimeoutSeconds)),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(20),
            MaxResponseHeadersLength = 64,

            // A body refused part-way is not drained for the connection's reuse: the connection is closed instead.
            MaxResponseDrainSize = 0,
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>The <c>User-Agent</c> of every fetch: <c>Switchboard/&lt;version&gt; (+web fetch)</c>.</summary>
    public static string UserAgent { get; } = $"Switchboard/{ProductVersion.Value} {UserAgentComment}";

    public async Task<WebResource> FetchAsync(Uri url, WebFetchLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(limits);
        var maxBytes = Math.Min(limits.MaxBytes, _options.MaxBytes);
        var timeout = TimeSpan.FromSeconds(Math.Min(limits.Timeout.TotalSeconds, _options.TimeoutSeconds));
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            try
            {
                return await FetchFollowingAsync(url, limits, maxBytes, linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new WebFetchException(WebFetchError.TimedOut, $"the fetch did not complete within {timeout.TotalSeconds:0.#} seconds");
            }
        }
        catch (WebFetchException exception)
        {
            LogRefused(_logger, url.IdnHost, exception.Error);
            throw;
        }
    }

    private async Task<WebResource> FetchFollowingAsync(Uri url, WebFetchLimits limits, long maxBytes, CancellationToken cancellationToken)
    {
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            Check(current, limits);
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.UserAgent.Add(UpstreamUserAgent.Value);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue(UserAgentComment));
            request.Headers.Accept.ParseAdd("*/*");
            using var response = await SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308)
            {
                if (redirects >= _options.MaxRedirects)
                {
                    throw new WebFetchException(WebFetchError.TooManyRedirects, $"more than {_options.MaxRedirects} redirects");
                }

                if (response.Headers.Location is not { } location || !Uri.TryCreate(current, location, out var next))
                {
                    throw new WebFetchException(WebFetchError.HttpError, $"the server answered {status} without a usable Location", status);
                }

                current = next;
                continue;
            }

            if (status is < 200 or > 299)
            {
                throw new WebFetchException(WebFetchError.HttpError, $"the server answered HTTP {status}", status);
            }

            var body = await ReadBodyAsync(response, maxBytes, cancellationToken);
            var type = response.Content.Headers.ContentType;
            return new WebResource(
                current,
                type?.MediaType?.ToLowerInvariant() ?? "application/octet-stream",
                type?.CharSet?.Trim('"'),
                body,
                _time.GetUtcNow());
        }
    }

    /// <summary>The checks that need no connection: scheme, credentials, the domain lists, and address literals.</summary>
    private void Check(Uri url, WebFetchLimits limits)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new WebFetchException(WebFetchError.InvalidUrl, "only http and https URLs are fetched");
        }

        if (url.UserInfo.Length > 0)
        {
            throw new WebFetchException(WebFetchError.InvalidUrl, "URLs with credentials in them are not fetched");
        }

        var host = HostOf(url);
        if (DomainRules.Refusal(host, limits) is { } refusal)
        {
            throw new WebFetchException(WebFetchError.DomainNotAllowed, refusal);
        }

        if (IPAddress.TryParse(host, out var literal) && !_allowList.Permits(host, literal))
        {
            throw NotAllowed(host);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw Inner(exception) ?? new WebFetchException(WebFetchError.Unreachable, "the server could not be reached");
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(maxBytes + 1, 64 * 1024));
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            while (true)
            {
                var read = await stream.ReadAsync(buffer.GetMemory(16 * 1024), cancellationToken);
                if (read == 0)
                {
                    return buffer.WrittenMemory;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            throw new WebFetchException(WebFetchError.Unreachable, "the connection failed while the body was read");
        }
    }

    /// <summary>
    /// The handler's connection step: resolve once, refuse if any address is not allowed, connect to a checked address.
    /// Refusing the whole name (not just its bad addresses) keeps a name that mixes public and private answers out.
    /// </summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException)
            {
                throw new WebFetchException(WebFetchError.Unreachable, $"the host '{host}' could not be resolved");
            }
        }

        if (addresses.Length == 0)
        {
            throw new WebFetchException(WebFetchError.Unreachable, $"the host '{host}' could not be resolved");
        }

        if (addresses.Any(address => !_allowList.Permits(host, address)))
        {
            throw NotAllowed(host);
        }

        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new WebFetchException(WebFetchError.Unreachable, $"the host '{host}' refused the connection");
    }

    private static string HostOf(Uri url) => url.IdnHost.Trim('[', ']').TrimEnd('.').ToLowerInvariant();

    private static WebFetchException? Inner(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebFetchException fetch)
            {
                return fetch;
            }
        }

        return null;
    }

    private static WebFetchException NotAllowed(string host) =>
        new(WebFetchError.AddressNotAllowed, $"the host '{host}' has a private, loopback, link-local or reserved address, which Switchboard does not fetch from");

    private static WebFetchException TooLarge(long maxBytes) =>
        new(WebFetchError.TooLarge, $"the body is larger than {maxBytes} bytes, the most fetched");

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Web fetch from {Host} refused: {Error}")]
    private static partial void LogRefused(ILogger logger, string host, WebFetchError error);
}

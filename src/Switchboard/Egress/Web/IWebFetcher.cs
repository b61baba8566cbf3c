namespace Switchboard.Egress.Web;

/// <summary>
/// Fetches a URL that came from a client or a model (a PDF's URL, an image to inline, the web fetch tool) under
/// Switchboard's outbound rules: http(s) only; names resolved once and every address checked (private, loopback,
/// link-local, multicast and unspecified addresses refused unless allow-listed), the connection made to the checked
/// address, and the same checks again on every redirect; size and time limits. Failures are a
/// <see cref="WebFetchException"/> of one <see cref="WebFetchError"/>, never an exception of the HTTP stack.
/// </summary>
public interface IWebFetcher
{
    Task<WebResource> FetchAsync(Uri url, WebFetchLimits limits, CancellationToken cancellationToken);
}

/// <summary>What one fetch may do. Domains match the host or any subdomain of it.</summary>
/// <param name="MaxBytes">The most body bytes read; more is <see cref="WebFetchError.TooLarge"/>.</param>
/// <param name="Timeout">The whole fetch, redirects included.</param>
/// <param name="AllowedDomains">When set, only these hosts (and their subdomains) may be fetched, also after redirects.</param>
/// <param name="BlockedDomains">Hosts (and their subdomains) never fetched.</param>
public sealed record WebFetchLimits(
    long MaxBytes,
    TimeSpan Timeout,
    IReadOnlyList<string>? AllowedDomains = null,
    IReadOnlyList<string>? BlockedDomains = null);

/// <summary>A fetched resource: the final URL after redirects, its media type (without parameters) and body.</summary>
public sealed record WebResource(Uri Url, string MediaType, string? Charset, ReadOnlyMemory<byte> Body, DateTimeOffset RetrievedAt);

/// <summary>Why a fetch failed, in words a client may see (no addresses or bodies of the remote server).</summary>
public enum WebFetchError
{
    /// <summary>Not an absolute http(s) URL, or one with credentials in it.</summary>
    InvalidUrl,

    /// <summary>The host resolved to an address Switchboard does not fetch from (private, loopback, link-local …).</summary>
    AddressNotAllowed,

    /// <summary>The host is blocked, or not in the allowed domains.</summary>
    DomainNotAllowed,

    /// <summary>The body is larger than the limit.</summary>
    TooLarge,

    /// <summary>No complete answer within the time limit.</summary>
    TimedOut,

    /// <summary>The name did not resolve, or the connection failed.</summary>
    Unreachable,

    /// <summary>The server answered with an error status (in <see cref="WebFetchException.Status"/>).</summary>
    HttpError,

    /// <summary>Too many redirects.</summary>
    TooManyRedirects,

    /// <summary>A media type the caller cannot use.</summary>
    UnsupportedContent,
}

/// <summary>A failed fetch. <see cref="Exception.Message"/> is safe to show the client.</summary>
public sealed class WebFetchException(WebFetchError error, string message, int? status = null) : Exception(message)
{
    public WebFetchError Error { get; } = error;

    public int? Status { get; } = status;
}

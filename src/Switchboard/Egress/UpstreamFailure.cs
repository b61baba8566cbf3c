using System.Net.Sockets;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Pipeline;

namespace Switchboard.Egress;

/// <summary>
/// Client-facing errors for transport failures talking to a model server. Each names the upstream and says what
/// went wrong in a few words; exception details and stack traces stay in the logs.
/// </summary>
public static class UpstreamFailure
{
    public static ApiException Unreachable(UpstreamEndpoint upstream, HttpRequestException exception) => new(
        ApiErrorKind.Api,
        $"Upstream '{upstream.Name}' at {upstream.BaseUrl} is unreachable: {Reason(exception)}");

    public static ApiException TimedOut(UpstreamEndpoint upstream, string what) => new(
        ApiErrorKind.Timeout,
        $"Upstream '{upstream.Name}' at {upstream.BaseUrl} {what}");

    public static ApiException BrokeOff(UpstreamEndpoint upstream) => new(
        ApiErrorKind.Api,
        $"Upstream '{upstream.Name}' at {upstream.BaseUrl} closed the connection before the response was complete");

    public static ApiException NotAChatCompletion(UpstreamEndpoint upstream) => new(
        ApiErrorKind.Api,
        $"Upstream '{upstream.Name}' returned a response that is not a chat completion");

    public static ApiException MalformedStream(UpstreamEndpoint upstream) => new(
        ApiErrorKind.Api,
        $"Upstream '{upstream.Name}' sent a malformed event stream");

    /// <summary>True when <paramref name="exception"/> is a connect timeout rather than a refusal.</summary>
    public static bool IsConnectTimeout(HttpRequestException exception) =>
        exception.InnerException is TimeoutException or OperationCanceledException;

    private static string Reason(HttpRequestException exception) => exception.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "its host name could not be resolved",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        HttpRequestError.ProxyTunnelError => "the proxy refused the tunnel",
        HttpRequestError.ResponseEnded => "it closed the connection without answering",
        HttpRequestError.InvalidResponse => "it sent an invalid HTTP response",
        _ when Innermost(exception) is SocketException socket => SocketReason(socket),
        _ => "the connection failed",
    };

    private static string SocketReason(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route to the host",
        SocketError.TimedOut => "the connection attempt timed out",
        SocketError.ConnectionReset => "the connection was reset",
        SocketError.HostNotFound or SocketError.NoData => "its host name could not be resolved",
        _ => socket.SocketErrorCode.ToString(),
    };

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}

using System.Net.Sockets;
using Switchboard.Canonical;

namespace Switchboard.Egress;

/// <summary>
/// Client-facing errors for failures talking to a model server. Each names the upstream by its configured name
/// (never its URL, which is the operator's business) and says what went wrong in a few words; exception details
/// and stack traces stay out of client messages.
/// </summary>
public static class UpstreamFailure
{
    /// <summary>The one way an upstream failure becomes a client error: kind, status and retry advice together.</summary>
    public static ApiException Create(UpstreamFailureKind kind, string message, int? retryAfterSeconds = null)
    {
        var failure = new ApiException(new ApiError(kind.ErrorKind(), message)
        {
            Retryable = kind.IsRetryable(),
            RetryAfterSeconds = retryAfterSeconds,
        });

        // The send stage reads it back (KindOf) to decide on failover and the upstream's health.
        failure.Data[KindKey] = kind;
        return failure;
    }

    /// <summary>
    /// Records which upstream failure <paramref name="failure"/> stands for, for an error worded in the upstream's own
    /// dialect (an Anthropic-compatible upstream's error keeps its type) rather than made by <see cref="Create"/>.
    /// </summary>
    public static ApiException Mark(ApiException failure, UpstreamFailureKind kind)
    {
        ArgumentNullException.ThrowIfNull(failure);
        failure.Data[KindKey] = kind;
        return failure;
    }

    /// <summary>The upstream failure an exception made by <see cref="Create"/> (or marked) stands for; null for any other.</summary>
    public static UpstreamFailureKind? KindOf(ApiException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Data[KindKey] as UpstreamFailureKind?;
    }

    private const string KindKey = "Switchboard.UpstreamFailureKind";

    /// <summary>The HTTP status of the upstream's error answer a failure was read from; null when it sent none.</summary>
    public static int? StatusOf(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Data[StatusKey] as int?;
    }

    /// <summary>Notes the upstream's HTTP status on a failure read from its error answer (the request detail shows it).</summary>
    internal static TException WithStatus<TException>(TException failure, int status)
        where TException : Exception
    {
        failure.Data[StatusKey] = status;
        return failure;
    }

    private const string StatusKey = "Switchboard.UpstreamStatus";

    /// <summary>What kind of transport failure <paramref name="exception"/> is (it happened before any response headers).</summary>
    public static UpstreamFailureKind Classify(HttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (IsConnectTimeout(exception))
        {
            return UpstreamFailureKind.Unreachable;
        }

        if (Innermost(exception) is SocketException socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => UpstreamFailureKind.Refused,
                SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => UpstreamFailureKind.Reset,
                _ => UpstreamFailureKind.Unreachable,
            };
        }

        return exception.HttpRequestError switch
        {
            HttpRequestError.ResponseEnded => UpstreamFailureKind.Reset,
            HttpRequestError.InvalidResponse => UpstreamFailureKind.BadResponse,
            HttpRequestError.ConnectionError when Innermost(exception) is IOException => UpstreamFailureKind.Reset,
            _ => UpstreamFailureKind.Unreachable,
        };
    }

    public static ApiException Unreachable(UpstreamEndpoint upstream, HttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var kind = Classify(exception);
        return Create(kind, kind switch
        {
            UpstreamFailureKind.Reset => $"Upstream '{upstream.Name}' closed the connection before answering: {Reason(exception)}",
            UpstreamFailureKind.BadResponse => $"Upstream '{upstream.Name}' sent an invalid HTTP response",
            _ => $"Upstream '{upstream.Name}' is unreachable: {Reason(exception)}",
        });
    }

    public static ApiException TimedOut(UpstreamEndpoint upstream, string what) => TimedOut(upstream, what, midStream: false);

    public static ApiException TimedOut(UpstreamEndpoint upstream, string what, bool midStream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return Create(midStream ? UpstreamFailureKind.TimedOutMidStream : UpstreamFailureKind.TimedOutBeforeHeaders,
            $"Upstream '{upstream.Name}' {what}");
    }

    /// <summary>A streamed answer that went silent for longer than the upstream's idle timeout.</summary>
    public static ApiException WentSilent(UpstreamEndpoint upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return Create(UpstreamFailureKind.TimedOutIdle, $"Upstream '{upstream.Name}' sent nothing for {upstream.Options.IdleTimeoutSeconds:0.###} s");
    }

    /// <summary>A connect attempt that ran out of time: the upstream is unreachable, not slow.</summary>
    public static ApiException ConnectTimedOut(UpstreamEndpoint upstream, string what)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return Create(UpstreamFailureKind.Unreachable, $"Upstream '{upstream.Name}' {what}");
    }

    public static ApiException BrokeOff(UpstreamEndpoint upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return Create(UpstreamFailureKind.Reset, $"Upstream '{upstream.Name}' closed the connection before the response was complete");
    }

    public static ApiException NotAChatCompletion(UpstreamEndpoint upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return Create(UpstreamFailureKind.BadResponse, $"Upstream '{upstream.Name}' returned a response that is not a chat completion");
    }

    public static ApiException MalformedStream(UpstreamEndpoint upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return Create(UpstreamFailureKind.BadResponse, $"Upstream '{upstream.Name}' sent a malformed event stream");
    }

    /// <summary>True when <paramref name="exception"/> is a connect timeout rather than a refusal.</summary>
    public static bool IsConnectTimeout(HttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException is TimeoutException or OperationCanceledException;
    }

    /// <summary>A few words for the client; never the exception's own text, which can carry addresses.</summary>
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
        _ => "the connection failed",
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

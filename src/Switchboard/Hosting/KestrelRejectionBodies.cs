using System.IO.Pipelines;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Switchboard.Hosting;

/// <summary>
/// Gives Kestrel's own rejections of malformed HTTP (a bad request line, an unsupported version, a header without a
/// colon, a bad or repeated <c>Content-Length</c>, a request line or headers over Kestrel's limits) an error body and a
/// <c>request-id</c>, like every other response. Kestrel answers these before any middleware runs, so the body is
/// added on the connection's output (<see cref="RejectionBodyWriter"/>), the way TLS wraps a connection's transport.
/// </summary>
public static partial class KestrelRejectionBodies
{
    /// <summary>Wraps the output of every connection accepted on <paramref name="listen"/>.</summary>
    public static void Apply(ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var logger = listen.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Hosting.KestrelRejection");
        listen.Use(next => async connection =>
        {
            var transport = connection.Transport;
            connection.Transport = new Duplex(transport.Input, new RejectionBodyWriter(transport.Output, (id, status) => LogRejected(logger, id, status)));
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                connection.Transport = transport;
            }
        });
    }

    [LoggerMessage(EventId = 70, Level = LogLevel.Information, Message = "{RequestId} rejected by the HTTP server before routing ({Status})")]
    private static partial void LogRejected(ILogger logger, string requestId, int status);

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

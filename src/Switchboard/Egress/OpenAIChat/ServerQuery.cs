using System.Runtime.CompilerServices;
using Switchboard.Buffers;
using Switchboard.Egress;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// A small side request to a model server (tokenizer, model list) with its own short time limit. Failures come
/// back as a reply without a body rather than as exceptions: callers fall back to estimates and carry on.
/// </summary>
internal static class ServerQuery
{
    /// <summary>Side requests should be fast; a server that takes longer is treated as not answering.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Side requests in flight to one upstream at a time. Every request counts its prompt this way, so a burst of
    /// requests would otherwise open as many extra connections as there are requests, left idle afterwards; the
    /// rest queue (within the time limit) instead.
    /// </summary>
    public const int ConcurrencyLimit = 16;

    private const int ReplyLimit = 16 * 1024 * 1024;

    private static readonly ConditionalWeakTable<UpstreamEndpoint, SemaphoreSlim> Gates = [];

    /// <summary>
    /// Sends the request. Takes ownership of <paramref name="body"/>: it goes back to the pool once the exchange
    /// has completed, and is left to the garbage collector if the send was aborted midway.
    /// Caller cancellation still throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task<ServerReply> SendAsync(
        UpstreamEndpoint upstream, HttpMethod method, string url, BodyBuffer? body, TimeProvider time, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            message.Content = new ReadOnlyMemoryContent(body.WrittenMemory) { Headers = { ContentType = OpenAiChatUpstream.JsonMediaType() } };
        }

        OpenAiChatUpstream.Authorize(message, upstream);
        using var deadline = new UpstreamDeadline(TimeLimit, time, cancellationToken);
        var gate = Gates.GetValue(upstream, static _ => new SemaphoreSlim(ConcurrencyLimit, ConcurrencyLimit));
        var entered = false;
        try
        {
            await gate.WaitAsync(deadline.Token).ConfigureAwait(false);
            entered = true;
            using var response = await upstream.Http
                .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token)
                .ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                body?.Dispose();
                return new ServerReply(status, null);
            }

            var reply = new BodyBuffer();
            var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            var complete = await reply.ReadFromAsync(stream, ReplyLimit, deadline.Token).ConfigureAwait(false);
            body?.Dispose();
            if (!complete)
            {
                reply.Dispose();
                return new ServerReply(ServerReply.NoAnswer, null);
            }

            return new ServerReply(status, reply);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ServerReply(ServerReply.NoAnswer, null);
        }
        finally
        {
            if (entered)
            {
                gate.Release();
            }
        }
    }
}

/// <summary>What a side request got back: a status (0 when nothing usable arrived) and, on success, the body.</summary>
internal readonly record struct ServerReply(int Status, BodyBuffer? Body) : IDisposable
{
    public const int NoAnswer = 0;

    /// <summary>The server answered that it has no such endpoint or will not take this request shape.</summary>
    public bool SaysUnsupported => Status is 401 or 403 or 404 or 405 or 422 or 501;

    public void Dispose() => Body?.Dispose();
}

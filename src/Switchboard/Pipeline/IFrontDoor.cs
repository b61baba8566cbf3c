using System.Buffers;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Pipeline;

/// <summary>
/// Everything a front door (a client-facing wire dialect) supplies to <see cref="MessagePipeline"/>: a reader into
/// the canonical request, a writer for a whole answer, a stream writer, an error writer and its policy for errors
/// after a stream began. Routing, admission, budgets, sending, pacing and settling are the pipeline's; a door
/// holds no request logic of its own.
/// </summary>
public interface IFrontDoor
{
    /// <summary>The door's name in the request record and log line, e.g. <c>anthropic</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Reads a parsed body into the canonical request, validating it; throws <see cref="ApiException"/> with a
    /// message in the door's wording. <paramref name="countOnly"/>: for a token count, generation fields are not
    /// required. Decisions worth a log line (content dropped or converted) go to <paramref name="notes"/>.
    /// </summary>
    MessageRequest ReadRequest(JsonElement body, bool countOnly, ICollection<string> notes);

    /// <summary>
    /// Writes a complete answer (the non-streaming body). Its content type is <see cref="MessageContentType"/>.
    /// <paramref name="request"/> is the request as read, for what a dialect echoes (the Responses API's object).
    /// </summary>
    void WriteMessage(IBufferWriter<byte> output, MessageResponse message, MessageRequest request);

    string MessageContentType { get; }

    /// <summary>Writes a token-count answer.</summary>
    void WriteTokenCount(IBufferWriter<byte> output, int inputTokens);

    /// <summary>
    /// Writes a token-count answer for a request Switchboard edited (context editing): <paramref name="originalInputTokens"/>
    /// is the count before the edits, which a dialect that has a place for it reports.
    /// </summary>
    void WriteTokenCount(IBufferWriter<byte> output, int inputTokens, int? originalInputTokens) => WriteTokenCount(output, inputTokens);

    /// <summary>
    /// A sink that writes canonical events as the door's stream events into <paramref name="output"/>; the
    /// pipeline flushes. Disposed (when disposable) once the stream ends. <paramref name="request"/> is the request
    /// as read, for what a dialect echoes or was asked for per request (a usage chunk).
    /// </summary>
    IMessageStreamSink CreateStreamWriter(IBufferWriter<byte> output, string requestId, MessageRequest request);

    /// <summary>The content type of a stream, e.g. <c>text/event-stream; charset=utf-8</c>.</summary>
    string StreamContentType { get; }

    /// <summary>
    /// Reports the caller's own rate limits in this door's headers (names and formats are the dialect's), on
    /// success and error alike; called before the answer starts.
    /// </summary>
    void AddRateLimitHeaders(IResponseChannel channel, RateLimitStatus status);

    /// <summary>Answers a failure before anything was written, status and body in the door's dialect.</summary>
    Task WriteErrorAsync(IResponseChannel channel, ApiError error);

    /// <summary>
    /// The error a stream reports when <paramref name="failure"/> happens after the stream was committed;
    /// <paramref name="contentSent"/>: a content block has already gone out.
    /// </summary>
    ApiError InStreamError(ApiError failure, bool contentSent);
}

using System.Buffers;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;
using Switchboard.Pipeline;

namespace Switchboard.Batches;

/// <summary>
/// The Anthropic door as batch requests go through it: the same reader and writers, under the name <c>batch</c>, so
/// the log line and the ledger row tell a batch request from an interactive one.
/// </summary>
public sealed class BatchDoor(AnthropicDoor door) : IFrontDoor
{
    public const string DoorName = "batch";

    public string Name => DoorName;

    public string MessageContentType => door.MessageContentType;

    public string StreamContentType => door.StreamContentType;

    public MessageRequest ReadRequest(JsonElement body, bool countOnly, ICollection<string> notes) => door.ReadRequest(body, countOnly, notes);

    public void WriteMessage(IBufferWriter<byte> output, MessageResponse message, MessageRequest request) => door.WriteMessage(output, message, request);

    public void WriteTokenCount(IBufferWriter<byte> output, int inputTokens) => door.WriteTokenCount(output, inputTokens);

    public void WriteTokenCount(IBufferWriter<byte> output, int inputTokens, int? originalInputTokens) =>
        door.WriteTokenCount(output, inputTokens, originalInputTokens);

    public IMessageStreamSink CreateStreamWriter(IBufferWriter<byte> output, string requestId, MessageRequest request) =>
        door.CreateStreamWriter(output, requestId, request);

    public void AddRateLimitHeaders(IResponseChannel channel, RateLimitStatus status)
    {
        // A result line has no headers.
    }

    public Task WriteErrorAsync(IResponseChannel channel, ApiError error) => door.WriteErrorAsync(channel, error);

    public ApiError InStreamError(ApiError failure, bool contentSent) => door.InStreamError(failure, contentSent);
}

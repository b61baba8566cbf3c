using System.Buffers;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Pipeline;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// The Messages API front door as the pipeline sees it: Anthropic's request reader, message and SSE writers, error
/// responses, and its in-stream error policy (<see cref="InStreamError"/>). Thinking blocks Switchboard produced
/// leave here signed, and tool calls get <c>toolu_…</c> ids.
/// </summary>
public sealed class AnthropicDoor(ThinkingKey thinkingKey) : IFrontDoor
{
    public string Name => "anthropic";

    public string MessageContentType => "application/json";

    public string StreamContentType => "text/event-stream; charset=utf-8";

    /// <summary>The Messages API's own request headers the client sent, for an upstream of the same dialect.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ForwardedHeaders { get; private init; } = [];

    /// <summary>This door for one request, remembering the headers an Anthropic-compatible upstream is sent as they came.</summary>
    public AnthropicDoor For(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        List<KeyValuePair<string, string>>? forwarded = null;
        foreach (var name in (ReadOnlySpan<string>)["anthropic-version", "anthropic-beta"])
        {
            if (headers.TryGetValue(name, out var values) && values.Count > 0)
            {
                (forwarded ??= []).Add(new(name, values.ToString()));
            }
        }

        return forwarded is null ? this : new AnthropicDoor(thinkingKey) { ForwardedHeaders = forwarded };
    }

    public MessageRequest ReadRequest(JsonElement body, bool countOnly, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var readNotes = new RequestReadNotes();
        var request = MessagesRequestReader.Read(body, readNotes, countTokens: countOnly);
        foreach (var note in readNotes.Items)
        {
            notes.Add(note);
        }

        // Kept as sent: an Anthropic-compatible upstream is sent these bytes rather than a re-encoding.
        return request with { Source = new RequestSource(Name, body) { Headers = ForwardedHeaders } };
    }

    public void WriteMessage(IBufferWriter<byte> output, MessageResponse message, MessageRequest request)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var writer = new Utf8JsonWriter(output, ClientJson.Writer);
        AnthropicMessageWriter.Write(writer, Marked(message), request?.AppliedContextEdits);
    }

    public void WriteTokenCount(IBufferWriter<byte> output, int inputTokens) => WriteTokenCount(output, inputTokens, null);

    public void WriteTokenCount(IBufferWriter<byte> output, int inputTokens, int? originalInputTokens)
    {
        using var writer = new Utf8JsonWriter(output, ClientJson.Writer);
        writer.WriteStartObject();
        writer.WriteNumber("input_tokens"u8, inputTokens);
        ContextManagementWriter.WriteOriginal(writer, originalInputTokens);
        writer.WriteEndObject();
    }

    public IMessageStreamSink CreateStreamWriter(IBufferWriter<byte> output, string requestId, MessageRequest request) =>
        new AnthropicBlockSigner(new AnthropicSseWriter(output, requestId, request?.AppliedContextEdits), thinkingKey.Value);

    public void AddRateLimitHeaders(IResponseChannel channel, RateLimitStatus status) => AnthropicRateLimitHeaders.Add(channel, status);

    public Task WriteErrorAsync(IResponseChannel channel, ApiError error)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(error);
        if (channel is HttpResponseChannel http)
        {
            return AnthropicErrors.WriteResponseAsync(http.Context, error);
        }

        // Another transport (a batch runner): the same status and body, without HTTP headers.
        channel.Begin(AnthropicErrors.StatusCode(error.Kind), "application/json");
        using (var writer = new Utf8JsonWriter(channel.Body, ClientJson.Writer))
        {
            AnthropicErrors.WriteBody(writer, error, channel.RequestId);
        }

        return channel.Body.FlushAsync(channel.Aborted).AsTask();
    }

    public ApiError InStreamError(ApiError failure, bool contentSent) => Anthropic.InStreamError.For(failure, contentSent);

    /// <summary>The message with Anthropic's marks: own thinking signed, tool ids as <c>toolu_…</c>.</summary>
    private MessageResponse Marked(MessageResponse message)
    {
        List<ContentBlock>? marked = null;
        for (var i = 0; i < message.Content.Count; i++)
        {
            var block = message.Content[i];
            var replacement = block switch
            {
                ThinkingBlock { Signature: "" } thinking => thinking with { Signature = ThinkingSignature.Sign(thinkingKey.Value, thinking.Thinking) },
                ToolUseBlock tool when ToolUseIds.From(tool.Id) is var id && id != tool.Id => tool with { Id = id },
                _ => block,
            };
            if (!ReferenceEquals(replacement, block))
            {
                marked ??= [.. message.Content.Take(i)];
            }

            marked?.Add(replacement);
        }

        return marked is null ? message : new MessageResponse
        {
            Id = message.Id,
            Model = message.Model,
            Content = marked,
            StopReason = message.StopReason,
            StopSequence = message.StopSequence,
            Usage = message.Usage,
        };
    }
}

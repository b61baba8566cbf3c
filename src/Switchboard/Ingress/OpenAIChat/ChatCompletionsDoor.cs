using System.Buffers;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Pipeline;

namespace Switchboard.Ingress.OpenAIChat;

/// <summary>
/// The Chat Completions front door as the pipeline sees it: the Chat request reader, <c>chat.completion</c> and
/// chunk writers, errors in OpenAI's envelope and statuses, and its in-stream error policy (a failure is reported as
/// it is: OpenAI's clients do not retry from inside a stream, so nothing is gained by relabelling it).
/// Tool calls get <c>call_…</c> ids; thinking goes out as <c>reasoning_content</c>.
/// </summary>
public sealed class ChatCompletionsDoor(SwitchboardOptions options, TimeProvider time) : IFrontDoor
{
    private readonly ChatCompletionsOptions _chat = options.ChatCompletions;

    public string Name => "openai-chat";

    public string MessageContentType => "application/json";

    public string StreamContentType => "text/event-stream; charset=utf-8";

    public MessageRequest ReadRequest(JsonElement body, bool countOnly, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        return ChatCompletionsRequestReader.Read(body, notes, countOnly);
    }

    public void WriteMessage(IBufferWriter<byte> output, MessageResponse message, MessageRequest request)
    {
        using var writer = new Utf8JsonWriter(output, ClientJson.Writer);
        ChatCompletionWriter.Write(writer, message, Now(), _chat.AlsoSendReasoning);
    }

    /// <summary>Chat Completions has no count endpoint; a count, should one be asked for, is OpenAI's prompt count.</summary>
    public void WriteTokenCount(IBufferWriter<byte> output, int inputTokens)
    {
        using var writer = new Utf8JsonWriter(output, ClientJson.Writer);
        writer.WriteStartObject();
        writer.WriteNumber("prompt_tokens"u8, inputTokens);
        writer.WriteEndObject();
    }

    public IMessageStreamSink CreateStreamWriter(IBufferWriter<byte> output, string requestId, MessageRequest request) =>
        new ChatChunkWriter(output, Now(), IncludeUsage(request), _chat.AlsoSendReasoning);

    public void AddRateLimitHeaders(IResponseChannel channel, RateLimitStatus status) => OpenAIRateLimitHeaders.Add(channel, status);

    public Task WriteErrorAsync(IResponseChannel channel, ApiError error)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(error);
        error = Worded(error);
        if (channel is HttpResponseChannel http)
        {
            return ErrorResponse.WriteAsync(http.Context, OpenAIErrors.Instance, error);
        }

        // Another transport (a batch runner): the same status and body, without HTTP headers.
        channel.Begin(OpenAIErrors.Instance.StatusCode(error.Kind), "application/json");
        using (var writer = new Utf8JsonWriter(channel.Body, ClientJson.Writer))
        {
            OpenAIErrors.Instance.WriteBody(writer, error, channel.RequestId);
        }

        return channel.Body.FlushAsync(channel.Aborted).AsTask();
    }

    public ApiError InStreamError(ApiError failure, bool contentSent) => failure;

    /// <summary>
    /// OpenAI's code for an error the pipeline raised without one: on this path a not-found is the model (routes
    /// are matched before the door runs), which OpenAI reports as <c>model_not_found</c> on <c>model</c>.
    /// </summary>
    internal static ApiError Worded(ApiError error) =>
        error is { Kind: ApiErrorKind.NotFound, Code: null }
            ? error with { Code = "model_not_found", Param = error.Param ?? "model" }
            : error;

    private bool IncludeUsage(MessageRequest request) => request.IncludeUsage || _chat.AlwaysIncludeUsage;

    /// <summary>OpenAI's <c>created</c>: whole Unix seconds.</summary>
    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();
}

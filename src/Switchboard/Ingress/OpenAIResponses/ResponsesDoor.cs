using System.Buffers;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Pipeline;
using Switchboard.Tenancy;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// The OpenAI Responses front door as the pipeline sees it, one per request: it holds what the answer needs of the
/// request (the echoed fields, how reasoning is shown, which tools are grouped or freeform), the items carried over
/// from <c>previous_response_id</c>, and what is stored once the answer is complete (<c>store</c> not false and a
/// response store registered). Errors are OpenAI's envelope; a failure after the stream began is reported as it is
/// (an <c>error</c> event and <c>response.failed</c>, whose code Codex classifies).
/// </summary>
public sealed class ResponsesDoor : IFrontDoor, IDisposable
{
    private readonly ResponsesService _service;
    private readonly string? _keyId;
    private readonly List<JsonDocument> _previousDocuments = [];
    private readonly List<JsonElement> _previousItems = [];
    private ResponsesRequestInfo? _info;
    private string? _inputItemsJson;
    private DateTimeOffset _created;
    private JsonElement? _resolvedBody;

    /// <param name="keyId">The caller's key id: stored responses belong to it (null in open mode).</param>
    public ResponsesDoor(ResponsesService service, string? keyId)
    {
        _service = service;
        _keyId = keyId;
    }

    public string Name => "openai-responses";

    public string MessageContentType => "application/json";

    public string StreamContentType => "text/event-stream; charset=utf-8";

    /// <summary>
    /// Loads the response <c>previous_response_id</c> names (before the request is read: the store is asynchronous).
    /// None, another key's, or no store: 404 <c>previous_response_not_found</c>.
    /// </summary>
    public async Task LoadPreviousAsync(JsonElement root, CancellationToken cancellationToken)
    {
        await ResolveItemReferencesAsync(root, cancellationToken).ConfigureAwait(false);
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("previous_response_id", out var idElement)
            || idElement.ValueKind != JsonValueKind.String)
        {
            // Absent, or of the wrong type (the reader names that).
            return;
        }

        var id = idElement.GetString()!;
        var stored = id.Length == 0 ? null : await _service.FindAsync(id, _keyId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            throw new ApiException(new ApiError(ApiErrorKind.NotFound, $"Previous response with id '{OpenAIFields.Clip(id)}' not found.")
            {
                Param = "previous_response_id",
                Code = "previous_response_not_found",
            });
        }

        // The chain's input items, then the stored response's output: the conversation as it stood after it.
        var items = JsonDocument.Parse(stored.InputItemsJson);
        _previousDocuments.Add(items);
        if (items.RootElement.ValueKind == JsonValueKind.Array)
        {
            _previousItems.AddRange(items.RootElement.EnumerateArray());
        }

        var response = JsonDocument.Parse(stored.ResponseJson);
        _previousDocuments.Add(response);
        if (response.RootElement.ValueKind == JsonValueKind.Object
            && response.RootElement.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Array)
        {
            _previousItems.AddRange(output.EnumerateArray());
        }
    }

    /// <summary>
    /// With <c>item_reference</c> items in <c>input</c>: the body again with each replaced by the stored item it
    /// names (<see cref="StoredItems"/>), read and stored instead of the body as sent.
    /// </summary>
    private async Task ResolveItemReferencesAsync(JsonElement root, CancellationToken cancellationToken)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("input", out var input)
            || input.ValueKind != JsonValueKind.Array || !input.EnumerateArray().Any(StoredItems.IsReference))
        {
            return;
        }

        var resolved = await _service.ResolveItemReferencesAsync(input, _keyId, cancellationToken).ConfigureAwait(false);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("input"u8))
                {
                    writer.WritePropertyName("input"u8);
                    resolved.WriteTo(writer);
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        var body = JsonDocument.Parse(buffer.WrittenMemory);
        _previousDocuments.Add(body);
        _resolvedBody = body.RootElement;
    }

    public MessageRequest ReadRequest(JsonElement body, bool countOnly, ICollection<string> notes)
    {
        body = _resolvedBody ?? body;
        ArgumentNullException.ThrowIfNull(notes);
        var (request, info) = ResponsesRequestReader.Read(body, notes, countOnly, _service.Seal, _service.ThinkingKey, _previousItems);
        _info = info;
        _created = _service.Time.GetUtcNow();
        if (!countOnly && info.Store && _service.CanStore)
        {
            _inputItemsJson = InputItemsWriter.Write(_previousItems, body);
        }

        return request;
    }

    public void WriteMessage(IBufferWriter<byte> output, MessageResponse message, MessageRequest request)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        var response = ResponseWriter.Write(message, Info, _service.Seal, _created.ToUnixTimeSeconds(), Now());
        output.Write(response);
        Store(ResponsesIds.Response(message.Id), response);
    }

    public void WriteTokenCount(IBufferWriter<byte> output, int inputTokens)
    {
        using var writer = new Utf8JsonWriter(output, ClientJson.Writer);
        writer.WriteStartObject();
        writer.WriteString("object"u8, "response.input_tokens"u8);
        writer.WriteNumber("input_tokens"u8, inputTokens);
        writer.WriteEndObject();
    }

    public IMessageStreamSink CreateStreamWriter(IBufferWriter<byte> output, string requestId, MessageRequest request) =>
        new ResponsesEventWriter(output, Info, _service.Seal, _created.ToUnixTimeSeconds(), Now, (id, response, _) => Store(id, response));

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

        channel.Begin(OpenAIErrors.Instance.StatusCode(error.Kind), "application/json");
        using (var writer = new Utf8JsonWriter(channel.Body, ClientJson.Writer))
        {
            OpenAIErrors.Instance.WriteBody(writer, error, channel.RequestId);
        }

        return channel.Body.FlushAsync(channel.Aborted).AsTask();
    }

    public ApiError InStreamError(ApiError failure, bool contentSent) => failure;

    public void Dispose()
    {
        foreach (var document in _previousDocuments)
        {
            document.Dispose();
        }

        _previousDocuments.Clear();
        _previousItems.Clear();
    }

    /// <summary>A not-found the pipeline raised without a code is the model's (routes are matched after reading).</summary>
    internal static ApiError Worded(ApiError error) =>
        error is { Kind: ApiErrorKind.NotFound, Code: null }
            ? error with { Code = "model_not_found", Param = error.Param ?? "model" }
            : error;

    private ResponsesRequestInfo Info => _info ?? throw new InvalidOperationException("The request has not been read.");

    private long Now() => _service.Time.GetUtcNow().ToUnixTimeSeconds();

    private void Store(string id, byte[] response)
    {
        if (_inputItemsJson is null)
        {
            return;
        }

        _service.Save(new StoredResponse
        {
            Id = id,
            KeyId = _keyId,
            CreatedAt = _created,
            ResponseJson = System.Text.Encoding.UTF8.GetString(response),
            InputItemsJson = _inputItemsJson,
        });
    }
}

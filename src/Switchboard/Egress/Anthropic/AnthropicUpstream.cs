using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Routing;

namespace Switchboard.Egress.Anthropic;

/// <summary>
/// Sends requests to an Anthropic-compatible upstream (<c>Api = "anthropic"</c>): Anthropic itself, or a server with
/// its own <c>/v1/messages</c>. A request that came in by the Messages door is sent as its client wrote it, with
/// only the model (and a fitted budget) changed, and its answer is relayed as it arrives (<see cref="IRelayableResponse"/>);
/// a request from another door is written from the canonical model and its answer read back into it. Token counts
/// come from the upstream's <c>count_tokens</c>.
/// </summary>
public sealed partial class AnthropicUpstream(TimeProvider time, ILogger<AnthropicUpstream> logger) : IModelUpstream
{
    public const string ApiName = "anthropic";

    public string Api => ApiName;

    public bool ChecksThinkingSignatures => true;

    public bool Relays(MessageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Source?.Dialect == ApiName;
    }

    /// <summary>The window is the upstream's business: it says when a prompt does not fit, in Anthropic's words.</summary>
    public Task<int?> GetContextLengthAsync(ModelRoute route, CancellationToken cancellationToken) => Task.FromResult<int?>(null);

    /// <summary>
    /// The upstream's own count. A streamed generation is not counted there: the count would only fill the opening
    /// event, at the price of a second request per request, and the upstream's final usage corrects the estimate.
    /// </summary>
    public async Task<int?> CountTokensAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        if (request.Stream)
        {
            return null;
        }

        request = Lowered(request, route, log: false);
        using var body = new BodyBuffer();

        // A count read by the Messages door carries no budget: its body is a count_tokens body already.
        if (request.Source is { Dialect: ApiName } source && request.MaxTokens is 0 or null)
        {
            RawRequestWriter.Write(body, source.Body, route.UpstreamModel, maxTokens: null);
        }
        else
        {
            AnthropicRequestWriter.Write(body, request, route.UpstreamModel, countOnly: true);
        }

        using var message = Create(route.Upstream, "/messages/count_tokens", body, request.Source);
        using var deadline = new UpstreamDeadline(UpstreamHttpClientFactory.Seconds(route.Upstream.Options.TimeoutSeconds), time, cancellationToken);
        using var response = await SendAsync(message, route.Upstream, deadline, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ReadErrorAsync(response, route.Upstream, deadline.Token).ConfigureAwait(false);
        }

        using var answer = new BodyBuffer(1024);
        await answer.ReadFromAsync(await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false), UpstreamSend.ErrorBodyLimit, deadline.Token).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(answer.WrittenMemory);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("input_tokens", out var tokens)
                && tokens.TryGetInt32(out var count) && count >= 0)
            {
                return count;
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
        }

        throw UpstreamFailure.Create(UpstreamFailureKind.BadResponse, $"Upstream '{route.Upstream.Name}' returned a token count that is not one");
    }

    public async Task<IUpstreamResponse> SendAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        request = Lowered(request, route, log: true);
        var upstream = route.Upstream;
        var body = new BodyBuffer();
        if (Relays(request))
        {
            var source = request.Source!;
            var sent = RawRequestWriter.SentMaxTokens(source.Body);
            RawRequestWriter.Write(body, source.Body, route.UpstreamModel, request.MaxTokens != sent ? request.MaxTokens : null);
        }
        else
        {
            AnthropicRequestWriter.Write(body, request, route.UpstreamModel, countOnly: false);
        }

        var message = Create(upstream, "/messages", body, request.Source);

        // As for a Chat Completions upstream: a streamed answer's headers come when generation starts, a whole
        // answer's only when it is done, so only the whole-request limit bounds that wait.
        var deadline = new UpstreamDeadline(
            UpstreamHttpClientFactory.Seconds(upstream.Options.TimeoutSeconds),
            request.Stream ? UpstreamHttpClientFactory.Seconds(upstream.Options.HeadersTimeoutSeconds) : Timeout.InfiniteTimeSpan,
            UpstreamHttpClientFactory.Seconds(upstream.Options.IdleTimeoutSeconds),
            time, cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(message, upstream, deadline, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The body buffer is not returned to the pool: an aborted send may still be reading it.
            message.Dispose();
            deadline.Dispose();
            throw;
        }

        if (!response.IsSuccessStatusCode)
        {
            try
            {
                throw await ReadErrorAsync(response, upstream, deadline.Token).ConfigureAwait(false);
            }
            finally
            {
                response.Dispose();
                message.Dispose();
                body.Dispose();
                deadline.Dispose();
            }
        }

        return new AnthropicResponse(request, route, message, body, response, deadline, logger);
    }

    /// <summary>Raw parts of the Messages dialect stay; the gated ones only where the upstream allows them.</summary>
    private MessageRequest Lowered(MessageRequest request, ModelRoute route, bool log)
    {
        var notes = new List<string>(0);
        var lowered = RequestLowering.ForDialect(request, ApiName, route.Upstream.Options.AllowServerTools, notes, Documents.PdfLimitsOf.Upstream(route.Upstream.Options));
        if (log)
        {
            foreach (var note in notes)
            {
                Log.Adjusted(logger, route.Upstream.Name, Telemetry.LogValue.Clip(note)!);
            }
        }

        return lowered;
    }

    private static HttpRequestMessage Create(UpstreamEndpoint upstream, string path, BodyBuffer body, RequestSource? source)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, upstream.BaseUrl + path)
        {
            Content = new ReadOnlyMemoryContent(body.WrittenMemory) { Headers = { ContentType = OpenAiChatUpstream.JsonMediaType() } },
        };
        AnthropicHeaders.Add(message, upstream.Options, source?.Dialect == ApiName ? source.Headers : []);
        return message;
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, UpstreamEndpoint upstream, UpstreamDeadline deadline, CancellationToken caller) =>
        UpstreamSend.SendAsync(message, upstream, deadline, time, logger, caller);

    private async Task<ApiException> ReadErrorAsync(HttpResponseMessage response, UpstreamEndpoint upstream, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var (errorBody, retryAfter) = await UpstreamSend.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        using (errorBody)
        {
            var failure = AnthropicErrorReader.Translate(status, errorBody.WrittenSpan, upstream.Name, retryAfter, time);
            UpstreamSend.LogError(logger, upstream.Name, status, errorBody.WrittenSpan, failure.Message);
            return failure;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Request for upstream {Upstream} adjusted: {Note}")]
        public static partial void Adjusted(ILogger logger, string upstream, string note);
    }
}

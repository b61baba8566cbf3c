using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Routing;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Sends canonical requests to an OpenAI-compatible <c>/chat/completions</c> endpoint.</summary>
public sealed partial class OpenAiChatUpstream(
    TimeProvider time, ServerTokenizer tokenizer, ServerModelInfo modelInfo, ILogger<OpenAiChatUpstream> logger) : IModelUpstream
{
    public const string ApiName = "openai-chat";

    public string Api => ApiName;

    public Task<int?> CountTokensAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken) =>
        tokenizer.CountAsync(Lowered(request, route, log: false), route, cancellationToken);

    /// <summary>
    /// The request without the parts only their own dialect carries (see <see cref="RequestLowering"/>): a gated one
    /// is refused, the rest are passed on as text or left out, with a log line for each.
    /// </summary>
    private MessageRequest Lowered(MessageRequest request, ModelRoute route, bool log)
    {
        var notes = new List<string>(0);
        var lowered = RequestLowering.ForOtherDialect(request, notes, Documents.PdfLimitsOf.Upstream(route.Upstream.Options));
        if (log)
        {
            foreach (var note in notes)
            {
                Log.Adjusted(logger, route.Upstream.Name, Telemetry.LogValue.Clip(note)!);
            }
        }

        return lowered;
    }

    public Task<int?> GetContextLengthAsync(ModelRoute route, CancellationToken cancellationToken) =>
        modelInfo.GetContextLengthAsync(route, cancellationToken);

    /// <summary>A fresh header value per request: header objects are mutable, so none is shared between requests.</summary>
    internal static MediaTypeHeaderValue JsonMediaType() => new("application/json");

    public async Task<IUpstreamResponse> SendAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        request = Lowered(request, route, log: true);
        var upstream = route.Upstream;
        var body = new BodyBuffer();

        // A server known not to say which stop sequence ended generation is not sent them: Switchboard finds them
        // itself, on a streamed answer so that reading can end at the match (which also ends generation).
        var matchStops = request.StopSequences.Count > 0 && !StopReports.SaysWhichMatched(upstream);
        ChatRequestWriter.Write(body, request, route, request.Stream || matchStops, sendStopSequences: !matchStops);

        var message = new HttpRequestMessage(HttpMethod.Post, upstream.BaseUrl + "/chat/completions")
        {
            Content = new SentBodyContent(body.WrittenMemory) { Headers = { ContentType = JsonMediaType() } },
        };
        Authorize(message, upstream);

        // A streamed answer's headers come when generation starts; a whole answer's only when it is done, so only the
        // whole-request limit bounds that wait.
        var deadline = new UpstreamDeadline(
            UpstreamHttpClientFactory.Seconds(upstream.Options.TimeoutSeconds),
            request.Stream ? UpstreamHttpClientFactory.Seconds(upstream.Options.HeadersTimeoutSeconds) : Timeout.InfiniteTimeSpan,
            UpstreamHttpClientFactory.Seconds(upstream.Options.IdleTimeoutSeconds),
            time, cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await UpstreamSend.SendAsync(message, upstream, deadline, time, logger, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The body buffer is not returned to the pool here: an aborted send may still be reading it.
            message.Dispose();
            deadline.Dispose();
            throw;
        }

        if (!response.IsSuccessStatusCode)
        {
            try
            {
                throw await ReadErrorAsync(response, upstream, logger, deadline.Token).ConfigureAwait(false);
            }
            finally
            {
                response.Dispose();
                message.Dispose();
                body.Dispose();
                deadline.Dispose();
            }
        }

        return new OpenAiChatResponse(request, route, message, body, response, deadline, logger) { MatchStopSequences = matchStops };
    }

    internal static void Authorize(HttpRequestMessage message, UpstreamEndpoint upstream)
    {
        if (!string.IsNullOrEmpty(upstream.Options.ApiKey))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", upstream.Options.ApiKey);
        }
    }

    private static async Task<Exception> ReadErrorAsync(HttpResponseMessage response, UpstreamEndpoint upstream, ILogger logger, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var (errorBody, retryAfter) = await UpstreamSend.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        using (errorBody)
        {
            var failure = ChatErrorReader.Translate(status, errorBody.WrittenSpan, upstream.Name, retryAfter);
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

using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Hosting;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Telemetry;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// <c>POST /v1/messages</c>: parse and validate into the canonical request, route it, and answer as one JSON
/// message or, with <c>stream: true</c>, as Anthropic SSE (see <see cref="MessagesStreamResponder"/>).
/// </summary>
public sealed partial class MessagesEndpoint(
    ModelCatalog catalog,
    UpstreamForwarder forwarder,
    MessagesStreamResponder streamResponder,
    ThinkingKey thinkingKey,
    SwitchboardOptions options,
    ILogger<MessagesEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var entry = context.Features.GetRequiredFeature<RequestLogEntry>();
        try
        {
            using var document = await RequestBody.ReadJsonAsync(context);
            if (options.LogPromptText)
            {
                LogPrompt(logger, context.TraceIdentifier, document.RootElement.GetRawText());
            }

            var notes = new RequestReadNotes();
            var request = MessagesRequestReader.Read(document.RootElement, notes);
            foreach (var note in notes.Items)
            {
                LogNote(logger, context.TraceIdentifier, note);
            }

            request.Messages = ThinkingReplay.KeepOwn(request.Messages, thinkingKey.Value, out var dropped);
            if (dropped > 0)
            {
                LogForeignThinking(logger, context.TraceIdentifier, dropped);
            }

            entry.Model = request.Model;
            var route = catalog.Resolve(request.Model);
            entry.Upstream = route.Upstream.Name;
            if (request.Stream)
            {
                await streamResponder.RespondAsync(context, request, route, entry);
            }
            else
            {
                await RespondWithMessageAsync(context, request, route, entry);
            }
        }
        catch (ApiException failure) when (!context.Response.HasStarted)
        {
            entry.ErrorType = AnthropicErrors.WireType(failure.Error.Kind);
            await AnthropicErrors.WriteResponseAsync(context, failure.Error);
        }
    }

    private async Task RespondWithMessageAsync(HttpContext context, MessageRequest request, ModelRoute route, RequestLogEntry entry)
    {
        var accumulator = new MessageAccumulator();
        using (var assembler = new StreamAssembler(accumulator, thinkingKey.Value))
        {
            using var response = await forwarder.SendAsync(request, route, null, context.RequestAborted);
            assembler.Start(Ids.NewMessageId(), request.Model, default);
            await response.ReadAsync(assembler, null, context.RequestAborted);
            assembler.Complete();
        }

        var message = accumulator.ToResponse();
        entry.InputTokens = message.Usage.InputTokens + message.Usage.CacheReadInputTokens + message.Usage.CacheCreationInputTokens;
        entry.OutputTokens = message.Usage.OutputTokens;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, AnthropicJson.Writer))
        {
            AnthropicMessageWriter.Write(writer, message);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "{RequestId} request body (LogPromptText is on): {Body}")]
    private static partial void LogPrompt(ILogger logger, string requestId, string body);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information,
        Message = "{RequestId} left out {Count} thinking block(s) whose signature is not Switchboard's (another provider's, empty or edited): they are not sent to the model")]
    private static partial void LogForeignThinking(ILogger logger, string requestId, int count);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "{RequestId} request adjusted: {Note}")]
    private static partial void LogNote(ILogger logger, string requestId, string note);
}

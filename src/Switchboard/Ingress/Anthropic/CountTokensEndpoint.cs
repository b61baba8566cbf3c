using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Hosting;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Telemetry;

namespace Switchboard.Ingress.Anthropic;

/// <summary><c>POST /v1/messages/count_tokens</c> → <c>{"input_tokens": N}</c>, exact where the model server can tokenize.</summary>
public sealed class CountTokensEndpoint(ModelCatalog catalog, TokenCounter tokenCounter, ThinkingKey thinkingKey)
{
    public async Task HandleAsync(HttpContext context)
    {
        var entry = context.Features.GetRequiredFeature<RequestLogEntry>();
        try
        {
            using var document = await RequestBody.ReadJsonAsync(context);
            var request = MessagesRequestReader.Read(document.RootElement, new RequestReadNotes(), countTokens: true);

            // Counted as it would be sent: thinking that would be left out of a message is not counted either.
            request.Messages = ThinkingReplay.KeepOwn(request.Messages, thinkingKey.Value, out _);
            entry.Model = request.Model;
            var route = catalog.Resolve(request.Model);
            entry.Upstream = route.Upstream.Name;
            var count = await tokenCounter.CountAsync(request, route, context.RequestAborted);
            entry.InputTokens = count.Tokens;
            context.Response.ContentType = "application/json";
            using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, AnthropicJson.Writer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("input_tokens"u8, count.Tokens);
                writer.WriteEndObject();
            }

            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
        }
        catch (ApiException failure) when (!context.Response.HasStarted)
        {
            entry.ErrorType = AnthropicErrors.WireType(failure.Error.Kind);
            await AnthropicErrors.WriteResponseAsync(context, failure.Error);
        }
    }
}

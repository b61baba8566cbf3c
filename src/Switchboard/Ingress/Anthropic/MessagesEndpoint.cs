using Microsoft.AspNetCore.Http.Features;
using Switchboard.Pipeline;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// <c>POST /v1/messages</c> and <c>POST /v1/messages/count_tokens</c>: the Anthropic door's HTTP entry into the
/// <see cref="MessagePipeline"/>, which does everything past reading the body.
/// </summary>
public sealed class MessagesEndpoint(MessagePipeline pipeline, AnthropicDoor door)
{
    public Task HandleAsync(HttpContext context) =>
        pipeline.RunAsync(door.For(context.Request.Headers), async () => await RequestBody.ReadJsonAsync(context), new HttpResponseChannel(context), context.Features.GetRequiredFeature<RequestRecord>());

    public Task CountTokensAsync(HttpContext context) =>
        pipeline.CountTokensAsync(door.For(context.Request.Headers), async () => await RequestBody.ReadJsonAsync(context), new HttpResponseChannel(context), context.Features.GetRequiredFeature<RequestRecord>());
}

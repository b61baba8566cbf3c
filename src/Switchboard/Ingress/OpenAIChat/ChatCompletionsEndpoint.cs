using Microsoft.AspNetCore.Http.Features;
using Switchboard.Pipeline;

namespace Switchboard.Ingress.OpenAIChat;

/// <summary>
/// <c>POST /v1/chat/completions</c>: the Chat Completions door's HTTP entry into the <see cref="MessagePipeline"/>,
/// which does everything past reading the body.
/// </summary>
public sealed class ChatCompletionsEndpoint(MessagePipeline pipeline, ChatCompletionsDoor door)
{
    public Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // OpenAI's name for the request id, on answers as on errors (see OpenAIErrors.RequestIdHeader).
        context.Response.Headers[OpenAIErrors.Instance.RequestIdHeader!] = context.TraceIdentifier;
        return pipeline.RunAsync(door, async () => await RequestBody.ReadJsonAsync(context), new HttpResponseChannel(context), context.Features.GetRequiredFeature<RequestRecord>());
    }
}

using Microsoft.AspNetCore.Http.Features;
using Switchboard.Pipeline;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// <c>POST /v1/responses</c> and <c>POST /v1/responses/input_tokens</c>: the Responses door's HTTP entry into the
/// <see cref="MessagePipeline"/>. Each request gets its own <see cref="ResponsesDoor"/>; the response
/// <c>previous_response_id</c> names is loaded right after the body is read, before the pipeline reads the request.
/// </summary>
public sealed class ResponsesEndpoint(MessagePipeline pipeline, ResponsesService service)
{
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers[OpenAIErrors.Instance.RequestIdHeader!] = context.TraceIdentifier;
        var record = context.Features.GetRequiredFeature<RequestRecord>();
        using var door = new ResponsesDoor(service, record.Caller?.KeyId);
        await pipeline.RunAsync(door, () => ReadAsync(context, door), new HttpResponseChannel(context), record);
    }

    public async Task InputTokensAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers[OpenAIErrors.Instance.RequestIdHeader!] = context.TraceIdentifier;
        var record = context.Features.GetRequiredFeature<RequestRecord>();
        using var door = new ResponsesDoor(service, record.Caller?.KeyId);
        await pipeline.CountTokensAsync(door, () => ReadAsync(context, door), new HttpResponseChannel(context), record);
    }

    private static async Task<IRequestJson> ReadAsync(HttpContext context, ResponsesDoor door)
    {
        var document = await RequestBody.ReadJsonAsync(context);
        try
        {
            await door.LoadPreviousAsync(document.RootElement, context.RequestAborted);
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }
}

using Switchboard.Ingress;
using Switchboard.Ingress.OpenAIResponses;

namespace Switchboard.Hosting;

/// <summary>
/// The OpenAI Responses front door: its shared service (the reasoning seal, saves to the response store when one
/// is registered) and endpoint, and its routes <c>POST /v1/responses</c> and <c>POST /v1/responses/input_tokens</c>.
/// The response store and the stored-response endpoints are the store's registration.
/// </summary>
internal static class ResponsesRegistration
{
    public static IServiceCollection AddResponsesDoor(this IServiceCollection services)
    {
        services.AddSingleton<ResponsesService>();
        services.AddSingleton<ResponsesEndpoint>();
        return services;
    }

    public static void MapResponsesDoor(this WebApplication app)
    {
        app.MapPost("/v1/responses", (HttpContext context, ResponsesEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithMetadata(OpenAIErrors.Instance);
        app.MapPost("/v1/responses/input_tokens", (HttpContext context, ResponsesEndpoint endpoint) => endpoint.InputTokensAsync(context))
            .WithMetadata(OpenAIErrors.Instance);
    }
}

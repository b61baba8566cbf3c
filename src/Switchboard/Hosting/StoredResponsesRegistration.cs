using Switchboard.Ingress;
using Switchboard.Ingress.OpenAIResponses;
using Switchboard.Tenancy.Responses;

namespace Switchboard.Hosting;

/// <summary>
/// Stored responses of the Responses API: who may see which (<see cref="ResponseAccess"/>), the retention sweep,
/// and the endpoints that read, list and delete them. The store itself is the storage registration's.
/// </summary>
internal static class StoredResponsesRegistration
{
    public static IServiceCollection AddStoredResponses(this IServiceCollection services)
    {
        services.AddSingleton<ResponseAccess>();
        services.AddHostedService<ResponseRetention>();
        services.AddSingleton<StoredResponsesEndpoints>();
        return services;
    }

    public static void MapStoredResponses(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/responses/{id}", (HttpContext context, string id, StoredResponsesEndpoints endpoints) => endpoints.GetAsync(context, id))
            .WithMetadata(OpenAIErrors.Instance);
        app.MapDelete("/v1/responses/{id}", (HttpContext context, string id, StoredResponsesEndpoints endpoints) => endpoints.DeleteAsync(context, id))
            .WithMetadata(OpenAIErrors.Instance);
        app.MapGet("/v1/responses/{id}/input_items", (HttpContext context, string id, StoredResponsesEndpoints endpoints) => endpoints.InputItemsAsync(context, id))
            .WithMetadata(OpenAIErrors.Instance);
        app.MapPost("/v1/responses/{id}/cancel", (HttpContext context, string id, StoredResponsesEndpoints endpoints) => endpoints.CancelAsync(context, id))
            .WithMetadata(OpenAIErrors.Instance);
    }
}

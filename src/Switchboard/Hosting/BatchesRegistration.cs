using Microsoft.AspNetCore.Http.Metadata;
using Switchboard.Batches;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Ingress.Anthropic;
using Switchboard.Routing;
using Switchboard.Storage;
using Switchboard.Tenancy;

namespace Switchboard.Hosting;

/// <summary>
/// The Message Batches API (docs/BATCHES.md): its store (the tenancy store's database), the runner and the retention
/// sweep, and the endpoints under <c>/v1/messages/batches</c>, whose create endpoint alone takes bodies up to
/// <c>Batches:MaxBodyBytes</c>. Nothing is registered when <c>Batches:Enabled</c> is off.
/// </summary>
internal static class BatchesRegistration
{
    public static IServiceCollection AddMessageBatches(this IServiceCollection services, SwitchboardOptions options)
    {
        if (!options.Batches.Enabled)
        {
            return services;
        }

        services.AddSingleton<IBatchStore>(provider => new SqlBatchStore(provider.GetRequiredService<SwitchboardStore>().Connections));
        services.AddSingleton<BatchDoor>();
        services.AddSingleton<BatchAccess>();
        services.AddSingleton<BatchSignal>();
        services.AddSingleton<BatchCallers>();
        services.AddSingleton<UpstreamSlots>();
        services.AddSingleton<IUpstreamNames, CatalogUpstreamNames>();
        services.AddSingleton<BatchesEndpoints>();
        services.AddSingleton<BatchRunner>();
        services.AddHostedService(provider => provider.GetRequiredService<BatchRunner>());
        services.AddHostedService<BatchRetention>();
        return services;
    }

    public static void MapMessageBatches(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<SwitchboardOptions>().Batches;
        if (!options.Enabled)
        {
            return;
        }

        const string Base = BatchesEndpoints.BasePath;
        app.MapPost(Base, (HttpContext context, BatchesEndpoints endpoints) => endpoints.CreateAsync(context))
            .WithMetadata(AnthropicErrors.Dialect, new BodySizeLimit(options.MaxBodyBytes));
        app.MapGet(Base, (HttpContext context, BatchesEndpoints endpoints) => endpoints.ListAsync(context))
            .WithMetadata(AnthropicErrors.Dialect);
        app.MapGet(Base + "/{id}", (HttpContext context, string id, BatchesEndpoints endpoints) => endpoints.GetAsync(context, id))
            .WithMetadata(AnthropicErrors.Dialect);
        app.MapPost(Base + "/{id}/cancel", (HttpContext context, string id, BatchesEndpoints endpoints) => endpoints.CancelAsync(context, id))
            .WithMetadata(AnthropicErrors.Dialect);
        app.MapDelete(Base + "/{id}", (HttpContext context, string id, BatchesEndpoints endpoints) => endpoints.DeleteAsync(context, id))
            .WithMetadata(AnthropicErrors.Dialect);
        app.MapGet(Base + "/{id}/results", (HttpContext context, string id, BatchesEndpoints endpoints) => endpoints.ResultsAsync(context, id))
            .WithMetadata(AnthropicErrors.Dialect);
    }

    /// <summary>The upstream of a model name, from the model catalog.</summary>
    private sealed class CatalogUpstreamNames(ModelCatalog catalog) : IUpstreamNames
    {
        public string? Of(string model)
        {
            try
            {
                return catalog.Resolve(model).Upstream.Name;
            }
            catch (ApiException)
            {
                return null;
            }
        }
    }

    /// <summary>The body size limit of one endpoint, above the server-wide <c>MaxRequestBodyBytes</c>.</summary>
    private sealed class BodySizeLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize { get; } = bytes;
    }
}

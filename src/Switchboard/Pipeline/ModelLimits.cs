using Switchboard.Routing;

namespace Switchboard.Pipeline;

/// <summary>
/// Completes model descriptions with the context window their upstream reports, for models whose configuration
/// does not set one. The egress caches what the upstream says (and its silence), so only the first listing after a
/// start or an expiry asks it; a listing waits for that at most <see cref="ListWait"/> and omits what is not known
/// by then (the lookup goes on, and a later listing has it). Claude Code gives up on the model list after 3 s.
/// </summary>
public sealed class ModelLimits(ModelCatalog catalog, UpstreamApis apis, TimeProvider time)
{
    public static readonly TimeSpan ListWait = TimeSpan.FromSeconds(1);

    /// <summary>The descriptions, each with its upstream-reported context window when it had none and one is known in time.</summary>
    public async Task<IReadOnlyList<ModelDescription>> CompleteAsync(IReadOnlyList<ModelDescription> models, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        var lookups = new Task<int?>?[models.Count];
        var pending = new List<Task>();
        for (var i = 0; i < models.Count; i++)
        {
            if (models[i].MaxInputTokens is null)
            {
                var route = catalog.Resolve(models[i].Id);

                // Not the request's token: an abandoned listing must not cancel a lookup others share.
                lookups[i] = apis.For(route).GetContextLengthAsync(route, CancellationToken.None);
                pending.Add(lookups[i]!);
            }
        }

        if (pending.Count == 0)
        {
            return models;
        }

        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var deadline = Task.Delay(ListWait, time, stop.Token);
            await Task.WhenAny(Task.WhenAll(pending), deadline).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var completed = new ModelDescription[models.Count];
        for (var i = 0; i < models.Count; i++)
        {
            completed[i] = lookups[i] is { IsCompletedSuccessfully: true, Result: { } window }
                ? models[i] with { MaxInputTokens = window }
                : models[i];
        }

        return completed;
    }
}

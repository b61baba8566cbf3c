using System.Collections.Concurrent;
using System.Text.Json;
using Switchboard.Configuration;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Responses;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// What every Responses request shares: the reasoning seal (under the thinking-signature secret), the clock, and the
/// response store when one is registered. Saves run in the background, so a store that is slow or down never
/// delays or fails an answer; a <c>previous_response_id</c> that names a response still being saved by this process
/// waits for that save rather than missing it.
/// </summary>
public sealed partial class ResponsesService
{
    private readonly ConcurrentDictionary<string, Task> _saving = new(StringComparer.Ordinal);
    private readonly IResponseStore? _store;
    private readonly ResponseAccess? _access;
    private readonly ILogger<ResponsesService> _logger;

    public ResponsesService(
        ThinkingKey thinkingKey, TimeProvider time, ILogger<ResponsesService> logger, IResponseStore? store = null, ResponseAccess? access = null)
    {
        ArgumentNullException.ThrowIfNull(thinkingKey);
        ThinkingKey = thinkingKey.Value;
        Seal = new ReasoningSeal(thinkingKey.Value);
        Time = time;
        _logger = logger;
        _store = store;
        _access = access;
    }

    public ReasoningSeal Seal { get; }

    internal byte[] ThinkingKey { get; }

    public TimeProvider Time { get; }

    /// <summary>A store is registered: <c>store</c> keeps responses and <c>previous_response_id</c> can find them.</summary>
    public bool CanStore => _store is not null;

    /// <summary>
    /// The stored response <paramref name="id"/> if <paramref name="keyId"/> created it and it is within retention
    /// (<see cref="ResponseAccess"/>, as the stored-response endpoints see it); null otherwise (another key's is as
    /// good as absent).
    /// </summary>
    public async Task<StoredResponse?> FindAsync(string id, string? keyId, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return null;
        }

        if (_saving.TryGetValue(id, out var saving))
        {
            await saving.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_access is not null)
        {
            return await _access.FindAsync(id, keyId, cancellationToken).ConfigureAwait(false);
        }

        var found = await _store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return found is not null && string.Equals(found.KeyId, keyId, StringComparison.Ordinal) ? found : null;
    }

    /// <summary>
    /// <paramref name="input"/> with its <c>item_reference</c> items replaced by the stored items they name
    /// (<see cref="StoredItems"/>); as it is without a store (the reader then refuses a reference).
    /// </summary>
    public async Task<JsonElement> ResolveItemReferencesAsync(JsonElement input, string? keyId, CancellationToken cancellationToken)
    {
        if (_store is null || input.ValueKind != JsonValueKind.Array || !input.EnumerateArray().Any(StoredItems.IsReference))
        {
            return input;
        }

        // A reference names an item, not its response: a client that sends the next step the moment the last answer
        // arrived (the AI SDK does) may name an item whose response this process is still saving. Wait for those saves.
        if (!_saving.IsEmpty)
        {
            await Task.WhenAll(_saving.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        // Through the access rules when registered, so an item of a response past retention is not found either.
        var store = _store;
        var access = _access;
        return await StoredItems.ResolveAsync(input, id => access is not null
            ? access.FindByItemAsync(id, keyId, cancellationToken)
            : store.FindByItemAsync(id, keyId, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Starts saving <paramref name="response"/> in the background; a failure is logged, never thrown.</summary>
    public void Save(StoredResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (_store is null)
        {
            return;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _saving[response.Id] = done.Task;
        _ = Task.Run(async () =>
        {
            try
            {
                await _store.SaveAsync(response, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failed save must not reach the answer, which is already on its way.
            catch (Exception failure)
#pragma warning restore CA1031
            {
                LogSaveFailed(_logger, failure, response.Id);
            }
            finally
            {
                _saving.TryRemove(response.Id, out _);
                done.SetResult();
            }
        });
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "Response {ResponseId} could not be stored; previous_response_id will not find it")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, string responseId);
}

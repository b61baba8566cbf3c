using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchboard.Egress;
using Switchboard.Routing;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// A model's context window as its server reports it in <c>GET /models</c> (vLLM: <c>max_model_len</c>). Register
/// as a singleton: answers are cached per upstream and model, and so is the lack of one for a few minutes, so a
/// failing server is not asked on every request.
/// </summary>
public sealed partial class ServerModelInfo(TimeProvider time, ILogger<ServerModelInfo> logger)
{
    private static readonly TimeSpan KnownFor = TimeSpan.FromHours(1);
    private static readonly TimeSpan UnknownFor = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<(UpstreamEndpoint Upstream, string Model), Entry> _entries = [];

    /// <summary>The configured context length when set; otherwise what the server reports, or null.</summary>
    public Task<int?> GetContextLengthAsync(ModelRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (route.Model.ContextLength is { } configured)
        {
            return Task.FromResult<int?>(configured);
        }

        Entry entry;
        lock (_gate)
        {
            var key = (route.Upstream, route.UpstreamModel);
            if (!_entries.TryGetValue(key, out entry!) || time.GetUtcNow() >= entry.ExpiresAt)
            {
                entry = new Entry();
                _entries[key] = entry;

                // One lookup serves everyone waiting; it runs on its own time limit, not the first caller's token.
                entry.Lookup = LookUpAsync(route, entry);
            }
        }

        return entry.Lookup.WaitAsync(cancellationToken);
    }

    private async Task<int?> LookUpAsync(ModelRoute route, Entry entry)
    {
        int? contextLength = null;
        try
        {
            using var reply = await ServerQuery
                .SendAsync(route.Upstream, HttpMethod.Get, route.Upstream.BaseUrl + "/models", null, time, CancellationToken.None)
                .ConfigureAwait(false);
            if (reply.Body is not null)
            {
                contextLength = ReadContextLength(reply.Body.WrittenMemory, route.UpstreamModel);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A lookup nobody awaits directly must not fault: a bad address simply means "not known".
            Log.Failed(logger, route.Upstream.Name, exception);
        }
        finally
        {
            lock (_gate)
            {
                entry.ExpiresAt = time.GetUtcNow() + (contextLength is null ? UnknownFor : KnownFor);
            }
        }

        if (contextLength is { } tokens)
        {
            Log.Found(logger, route.Upstream.Name, route.UpstreamModel, tokens);
        }
        else
        {
            Log.Unknown(logger, route.Upstream.Name, route.UpstreamModel);
        }

        return contextLength;
    }

    /// <summary>
    /// Finds the model's entry in an OpenAI-style model list (or the only entry: llama.cpp serves one model under
    /// any name) and reads the first context field present.
    /// </summary>
    internal static int? ReadContextLength(ReadOnlyMemory<byte> json, string model)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("data"u8, out var data)
                || data.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            JsonElement? match = data.GetArrayLength() == 1 ? data[0] : null;
            foreach (var candidate in data.EnumerateArray())
            {
                if (candidate.ValueKind == JsonValueKind.Object
                    && candidate.TryGetProperty("id"u8, out var id)
                    && id.ValueKind == JsonValueKind.String
                    && id.ValueEquals(model))
                {
                    match = candidate;
                    break;
                }
            }

            return match is { ValueKind: JsonValueKind.Object } entry ? ContextOf(entry) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int? ContextOf(JsonElement entry) =>
        Positive(entry, "max_model_len"u8) // vLLM, SGLang
        ?? Positive(entry, "context_length"u8) // hosted providers
        ?? Positive(entry, "context_window"u8)
        ?? (entry.TryGetProperty("meta"u8, out var meta) && meta.ValueKind == JsonValueKind.Object
            ? Positive(meta, "n_ctx"u8) ?? Positive(meta, "n_ctx_train"u8) // llama.cpp
            : null);

    private static int? Positive(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.Number
        && value.TryGetInt32(out var number)
        && number > 0
            ? number
            : null;

    private sealed class Entry
    {
        public Task<int?> Lookup { get; set; } = null!;

        /// <summary>Read and written under the gate; far future while the lookup runs.</summary>
        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Upstream {Upstream} reports a context length of {Tokens} tokens for {Model}")]
        public static partial void Found(ILogger logger, string upstream, string model, int tokens);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Asking upstream {Upstream} for its models failed")]
        public static partial void Failed(ILogger logger, string upstream, Exception exception);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Upstream {Upstream} does not report a context length for {Model}")]
        public static partial void Unknown(ILogger logger, string upstream, string model);
    }
}

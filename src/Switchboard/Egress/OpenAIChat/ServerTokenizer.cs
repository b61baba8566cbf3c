using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Routing;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// Exact prompt token counts from the model server's own tokenizer and chat template: vLLM and SGLang tokenize
/// chat messages in one call (<c>POST /tokenize</c>); llama.cpp renders the template (<c>POST /apply-template</c>)
/// and then tokenizes the text. Register as a singleton: it remembers per upstream which method works, or that
/// none does, so each server is probed once rather than on every request.
/// </summary>
public sealed partial class ServerTokenizer(TimeProvider time, ILogger<ServerTokenizer> logger)
{
    /// <summary>How long an inconclusive probe (server down, server error) is trusted before probing again.</summary>
    private static readonly TimeSpan ProbeAgainAfter = TimeSpan.FromMinutes(1);

    /// <summary>Each further inconclusive probe in a row doubles the wait, up to this.</summary>
    private static readonly TimeSpan LongestProbeWait = TimeSpan.FromMinutes(15);

    private readonly Lock _gate = new();
    private readonly Dictionary<UpstreamEndpoint, Knowledge> _known = [];

    private enum Method
    {
        None,
        TokenizeMessages,
        ApplyTemplate,
    }

    /// <summary>The prompt's token count, or null when the server cannot tell (the caller estimates instead).</summary>
    /// <remarks>
    /// Finding out which method a server offers is one probe per upstream, shared: requests that arrive while it
    /// runs wait for its verdict and then count with the method it found, so a burst of first requests sends the
    /// server one probe, not one each. The probe runs on its own time limit, so a caller that gives up does not
    /// cut it short for the others.
    /// </remarks>
    public async Task<int?> CountAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        var upstream = route.Upstream;
        if (string.Equals(upstream.Options.Tokenizer, "estimate", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        Task<int?> probe;
        bool mine;
        Knowledge known;
        lock (_gate)
        {
            known = _known.GetValueOrDefault(upstream) ?? new Knowledge(Method.None, DateTimeOffset.MinValue, InconclusiveInARow: 0);
            if (known.Method == Method.None && known.Probe is null && time.GetUtcNow() >= known.ProbeAgainAt)
            {
                known = known with { Probe = ProbeAsync(request, route, known.InconclusiveInARow) };
                _known[upstream] = known;
                mine = true;
            }
            else
            {
                mine = false;
            }

            probe = known.Probe ?? Task.FromResult<int?>(null);
        }

        if (mine)
        {
            // The probe counted this request's own prompt on the way.
            return await probe.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (known.Method == Method.None)
        {
            if (known.Probe is null)
            {
                return null; // no tokenizer, or a failed probe that is not due again yet
            }

            await probe.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                known = _known.GetValueOrDefault(upstream) ?? known;
            }

            if (known.Method == Method.None)
            {
                return null;
            }
        }

        var attempt = await CountWithAsync(known.Method, request, route, cancellationToken).ConfigureAwait(false);
        if (attempt.Count is null && attempt.Definitive)
        {
            // The server changed under the same address; the next request probes again.
            lock (_gate)
            {
                if (_known.GetValueOrDefault(upstream) == known)
                {
                    _known.Remove(upstream);
                }
            }
        }

        return attempt.Count;
    }

    /// <summary>Tries each method on this request's prompt and records the verdict; never faults.</summary>
    private async Task<int?> ProbeAsync(MessageRequest request, ModelRoute route, int inconclusiveBefore)
    {
        // The probe may outlive the request, whose texts and schemas live in the client's body: it works on a copy.
        request = Detached(request);

        // Not on the caller's thread: the entry that holds this task is recorded before the probe sends anything.
        await Task.Yield();
        var upstream = route.Upstream;
        Knowledge verdict;
        int? count = null;
        try
        {
            var messages = await CountWithAsync(Method.TokenizeMessages, request, route, CancellationToken.None).ConfigureAwait(false);
            if (messages.Count is not null)
            {
                count = messages.Count;
                verdict = Found(upstream, Method.TokenizeMessages);
            }
            else
            {
                var template = await CountWithAsync(Method.ApplyTemplate, request, route, CancellationToken.None).ConfigureAwait(false);
                if (template.Count is not null)
                {
                    count = template.Count;
                    verdict = Found(upstream, Method.ApplyTemplate);
                }
                else
                {
                    verdict = NotFound(upstream, conclusive: messages.Definitive && template.Definitive, inconclusiveBefore);
                }
            }
        }
        catch (Exception exception)
        {
            // A probe nobody may be awaiting must not fault; an unexpected failure is an inconclusive probe.
            Log.ProbeFailed(logger, upstream.Name, exception);
            verdict = NotFound(upstream, conclusive: false, inconclusiveBefore);
        }

        lock (_gate)
        {
            _known[upstream] = verdict;
        }

        return count;
    }

    private Knowledge Found(UpstreamEndpoint upstream, Method method)
    {
        Log.Found(logger, upstream.Name, method == Method.TokenizeMessages ? "/tokenize" : "/apply-template and /tokenize");
        return new Knowledge(method, DateTimeOffset.MaxValue, InconclusiveInARow: 0);
    }

    /// <summary>
    /// A server that said it has no tokenizer is not asked again; one that could not answer (down, loading, erroring)
    /// is probed again after a back-off that doubles with each inconclusive probe in a row.
    /// </summary>
    private Knowledge NotFound(UpstreamEndpoint upstream, bool conclusive, int inconclusiveBefore)
    {
        Log.NoTokenizer(logger, upstream.Name, conclusive);
        if (conclusive)
        {
            return new Knowledge(Method.None, DateTimeOffset.MaxValue, InconclusiveInARow: 0);
        }

        var wait = TimeSpan.FromTicks(Math.Min(
            LongestProbeWait.Ticks, ProbeAgainAfter.Ticks * (1L << Math.Min(inconclusiveBefore, 10))));
        return new Knowledge(Method.None, time.GetUtcNow() + wait, inconclusiveBefore + 1);
    }

    /// <summary><see cref="UpstreamEndpoint.BaseUrl"/> without its <c>/v1</c>: where the tokenizer endpoints live.</summary>
    internal static string ServerRoot(UpstreamEndpoint upstream) =>
        upstream.BaseUrl.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? upstream.BaseUrl[..^3] : upstream.BaseUrl;

    private Task<Attempt> CountWithAsync(Method method, MessageRequest request, ModelRoute route, CancellationToken cancellationToken) =>
        method == Method.TokenizeMessages
            ? TokenizeMessagesAsync(request, route, cancellationToken)
            : ApplyTemplateAsync(request, route, cancellationToken);

    private async Task<Attempt> TokenizeMessagesAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
    {
        var body = new BodyBuffer();
        using (var json = new Utf8JsonWriter(body, ChatRequestWriter.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("model", route.UpstreamModel);
            WritePrompt(json, request, route);
            json.WriteEndObject();
        }

        using var reply = await ServerQuery
            .SendAsync(route.Upstream, HttpMethod.Post, ServerRoot(route.Upstream) + "/tokenize", body, time, cancellationToken)
            .ConfigureAwait(false);
        if (reply.Body is null)
        {
            return new Attempt(null, reply.SaysUnsupported);
        }

        // llama.cpp answers this shape with 200 and an empty token list, not a count: not the right method.
        var count = TokenizerReplies.ReadCount(reply.Body.WrittenSpan);
        return new Attempt(count, Definitive: count is null);
    }

    private async Task<Attempt> ApplyTemplateAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
    {
        var root = ServerRoot(route.Upstream);
        var body = new BodyBuffer();
        using (var json = new Utf8JsonWriter(body, ChatRequestWriter.WriterOptions))
        {
            json.WriteStartObject();
            WritePrompt(json, request, route);
            json.WriteEndObject();
        }

        using var rendered = await ServerQuery
            .SendAsync(route.Upstream, HttpMethod.Post, root + "/apply-template", body, time, cancellationToken)
            .ConfigureAwait(false);
        if (rendered.Body is null)
        {
            return new Attempt(null, rendered.SaysUnsupported);
        }

        if (!TokenizerReplies.TryFindPrompt(rendered.Body.WrittenSpan, out var prompt))
        {
            return new Attempt(null, Definitive: true);
        }

        var tokenizeBody = new BodyBuffer(rendered.Body.Length + 32);
        using (var json = new Utf8JsonWriter(tokenizeBody, ChatRequestWriter.WriterOptions))
        {
            json.WriteStartObject();
            json.WritePropertyName("content");
            json.WriteRawValue(rendered.Body.WrittenSpan[prompt], skipInputValidation: true);
            json.WriteEndObject();
        }

        using var tokens = await ServerQuery
            .SendAsync(route.Upstream, HttpMethod.Post, root + "/tokenize", tokenizeBody, time, cancellationToken)
            .ConfigureAwait(false);
        if (tokens.Body is null)
        {
            return new Attempt(null, tokens.SaysUnsupported);
        }

        var count = TokenizerReplies.CountTokens(tokens.Body.WrittenSpan);
        return new Attempt(count, Definitive: count is null);
    }

    /// <summary>The parts of the request a prompt is written from, copied out of the client's body.</summary>
    private static MessageRequest Detached(MessageRequest request) => request with
    {
        System = request.System,
        Tools = [.. request.Tools.Select(static tool => tool with { Description = tool.Description, DescriptionJson = default, InputSchema = Copy(tool.InputSchema) })],
        ToolsSource = null,
        Source = null,
        RawTools = [.. request.RawTools.Select(static tool => tool with { Json = Copy(tool.Json) })],
        Messages = [.. request.Messages.Select(static message => new Message(message.Role, [.. message.Content.Select(Detached)]))],
    };

    private static JsonElement Copy(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? element : element.Clone();

    private static ContentBlock Detached(ContentBlock block) => block switch
    {
        TextBlock { Json.ValueKind: JsonValueKind.String } text => new TextBlock(text.Text),
        ToolResultBlock result => result with { Content = [.. result.Content.Select(Detached)] },
        _ => block,
    };

    /// <summary>The parts of the chat request that shape the rendered prompt, written exactly as the request writes them.</summary>
    private static void WritePrompt(Utf8JsonWriter json, MessageRequest request, ModelRoute route)
    {
        ChatMessagesWriter.Write(json, request, route.Profile);
        ChatToolsWriter.WriteTools(json, request.Tools);
        ReasoningControls.WriteTemplateSwitch(json, request, route.Profile);
    }

    /// <summary>What is known of one upstream; <see cref="Probe"/> is set while a probe runs.</summary>
    private sealed record Knowledge(Method Method, DateTimeOffset ProbeAgainAt, int InconclusiveInARow)
    {
        public Task<int?>? Probe { get; init; }
    }

    /// <summary>A count, or why not: <see cref="Definitive"/> when the server said this method is not available.</summary>
    private readonly record struct Attempt(int? Count, bool Definitive);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Upstream {Upstream} counts tokens through {Endpoints}")]
        public static partial void Found(ILogger logger, string upstream, string endpoints);

        [LoggerMessage(Level = LogLevel.Information, Message = "Upstream {Upstream} offers no tokenizer endpoint (conclusive: {Conclusive}); token counts are estimated")]
        public static partial void NoTokenizer(ILogger logger, string upstream, bool conclusive);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Probing upstream {Upstream} for a tokenizer failed")]
        public static partial void ProbeFailed(ILogger logger, string upstream, Exception exception);
    }
}

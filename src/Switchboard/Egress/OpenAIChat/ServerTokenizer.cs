using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchboard.Buffers;
using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Pipeline;
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

    private readonly ConcurrentDictionary<UpstreamEndpoint, Knowledge> _known = new();

    private enum Method
    {
        None,
        TokenizeMessages,
        ApplyTemplate,
    }

    /// <summary>The prompt's token count, or null when the server cannot tell (the caller estimates instead).</summary>
    public async Task<int?> CountAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        var upstream = route.Upstream;
        if (string.Equals(upstream.Options.Tokenizer, "estimate", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (_known.TryGetValue(upstream, out var known))
        {
            if (known.Method != Method.None)
            {
                var attempt = await CountWithAsync(known.Method, request, route, cancellationToken).ConfigureAwait(false);
                if (attempt.Count is null && attempt.Definitive)
                {
                    // The server changed under the same address; find out again next time.
                    _known.TryRemove(upstream, out _);
                }

                return attempt.Count;
            }

            if (time.GetUtcNow() < known.ProbeAgainAt)
            {
                return null;
            }
        }

        var messages = await CountWithAsync(Method.TokenizeMessages, request, route, cancellationToken).ConfigureAwait(false);
        if (messages.Count is not null)
        {
            Remember(upstream, Method.TokenizeMessages);
            return messages.Count;
        }

        var template = await CountWithAsync(Method.ApplyTemplate, request, route, cancellationToken).ConfigureAwait(false);
        if (template.Count is not null)
        {
            Remember(upstream, Method.ApplyTemplate);
            return template.Count;
        }

        var conclusive = messages.Definitive && template.Definitive;
        _known[upstream] = new Knowledge(Method.None, conclusive ? DateTimeOffset.MaxValue : time.GetUtcNow() + ProbeAgainAfter);
        Log.NoTokenizer(logger, upstream.Name, conclusive);
        return null;
    }

    /// <summary><see cref="UpstreamEndpoint.BaseUrl"/> without its <c>/v1</c>: where the tokenizer endpoints live.</summary>
    internal static string ServerRoot(UpstreamEndpoint upstream) =>
        upstream.BaseUrl.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? upstream.BaseUrl[..^3] : upstream.BaseUrl;

    private void Remember(UpstreamEndpoint upstream, Method method)
    {
        _known[upstream] = new Knowledge(method, DateTimeOffset.MaxValue);
        Log.Found(logger, upstream.Name, method == Method.TokenizeMessages ? "/tokenize" : "/apply-template and /tokenize");
    }

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

    /// <summary>The parts of the chat request that shape the rendered prompt, written exactly as the request writes them.</summary>
    private static void WritePrompt(Utf8JsonWriter json, MessageRequest request, ModelRoute route)
    {
        ChatMessagesWriter.Write(json, request, route.Profile);
        ChatToolsWriter.WriteTools(json, request.Tools);
        ReasoningControls.WriteTemplateSwitch(json, request, route.Profile);
    }

    private sealed record Knowledge(Method Method, DateTimeOffset ProbeAgainAt);

    /// <summary>A count, or why not: <see cref="Definitive"/> when the server said this method is not available.</summary>
    private readonly record struct Attempt(int? Count, bool Definitive);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Upstream {Upstream} counts tokens through {Endpoints}")]
        public static partial void Found(ILogger logger, string upstream, string endpoints);

        [LoggerMessage(Level = LogLevel.Information, Message = "Upstream {Upstream} offers no tokenizer endpoint (conclusive: {Conclusive}); token counts are estimated")]
        public static partial void NoTokenizer(ILogger logger, string upstream, bool conclusive);
    }
}

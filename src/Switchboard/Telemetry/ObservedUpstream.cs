using System.Diagnostics;
using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Routing;

namespace Switchboard.Telemetry;

/// <summary>
/// An egress wrapped so each call to the upstream is one attempt: a child span of the request's (kind client,
/// <c>chat {upstream model}</c>) from the send until the answer is read and released, an attempt count by outcome,
/// and the active-stream gauge while a streamed answer is read. HttpClient sends the attempt span's context to the
/// model server as <c>traceparent</c>. Token counts and context-window lookups pass straight through.
/// </summary>
public sealed class ObservedUpstream(IModelUpstream inner, UpstreamMetrics? metrics) : IModelUpstream
{
    public const string ContextWindowExceeded = "context_window_exceeded";
    public const string Cancelled = "cancelled";

    public string Api => inner.Api;

    public bool ChecksThinkingSignatures => inner.ChecksThinkingSignatures;

    public bool Relays(MessageRequest request) => inner.Relays(request);

    public Task<int?> CountTokensAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken) =>
        inner.CountTokensAsync(request, route, cancellationToken);

    public Task<int?> GetContextLengthAsync(ModelRoute route, CancellationToken cancellationToken) =>
        inner.GetContextLengthAsync(route, cancellationToken);

    public async Task<IUpstreamResponse> SendAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        var span = StartSpan(request, route);
        try
        {
            var response = await inner.SendAsync(request, route, cancellationToken).ConfigureAwait(false);
            return WatchedResponse.Watch(response, new AttemptWatcher(span, route.Upstream.Name, metrics));
        }
        catch (Exception failure)
        {
            var error = Label(failure);
            metrics?.Attempted(route.Upstream.Name, error);
            if (span is not null)
            {
                span.SetTag(TelemetryNames.ErrorType, error);
                span.SetStatus(ActivityStatusCode.Error);
                span.Dispose();
            }

            throw;
        }
    }

    /// <summary>The <c>error.type</c> of a failed attempt: the error kind the client would be told, or what ended it.</summary>
    internal static string Label(Exception failure) => failure switch
    {
        ApiException api => ErrorLabels.For(api.Error.Kind),
        ContextWindowExceededException => ContextWindowExceeded,
        OperationCanceledException => Cancelled,
        _ => ErrorLabels.For(ApiErrorKind.Api),
    };

    private static Activity? StartSpan(MessageRequest request, ModelRoute route)
    {
        var source = SwitchboardTracing.Source;
        if (!source.HasListeners())
        {
            return null;
        }

        var span = source.StartActivity(SwitchboardTracing.AttemptSpan, ActivityKind.Client);
        if (span is null)
        {
            return null;
        }

        span.DisplayName = $"{TelemetryNames.Chat} {route.UpstreamModel}";
        if (span.IsAllDataRequested)
        {
            span.SetTag(TelemetryNames.OperationName, TelemetryNames.Chat);
            span.SetTag(TelemetryNames.RequestModel, route.UpstreamModel);
            span.SetTag(TelemetryNames.Upstream, route.Upstream.Name);
            span.SetTag(TelemetryNames.UpstreamApi, route.Upstream.Options.Api);
            span.SetTag(TelemetryNames.Streaming, request.Stream);
            if (request.MaxTokens is { } maxTokens)
            {
                span.SetTag(TelemetryNames.RequestMaxTokens, maxTokens);
            }

            if (Uri.TryCreate(route.Upstream.BaseUrl, UriKind.Absolute, out var uri))
            {
                // Host and port only: never the URL's path or credentials.
                span.SetTag(TelemetryNames.ServerAddress, uri.Host);
                span.SetTag(TelemetryNames.ServerPort, uri.Port);
            }
        }

        return span;
    }

    /// <summary>Watches the upstream's answer (read or relayed); the attempt ends when it is released.</summary>
    private sealed class AttemptWatcher(Activity? span, string upstream, UpstreamMetrics? metrics) : IResponseWatcher
    {
        private string? _error;

        public void ReadStarted(bool streaming)
        {
            if (streaming)
            {
                metrics?.StreamStarted(upstream);
            }
        }

        public void ReadFailed(Exception failure, CancellationToken cancellationToken) => _error = Label(failure);

        public void ReadEnded(bool streaming, Usage usage)
        {
            if (streaming)
            {
                metrics?.StreamEnded(upstream);
            }

            if (span is { IsAllDataRequested: true })
            {
                span.SetTag(TelemetryNames.OutputTokens, usage.OutputTokens);
            }
        }

        public void Released()
        {
            metrics?.Attempted(upstream, _error);
            if (span is not null)
            {
                if (_error is not null)
                {
                    span.SetTag(TelemetryNames.ErrorType, _error);
                    span.SetStatus(ActivityStatusCode.Error);
                }

                span.Dispose();
            }
        }
    }
}

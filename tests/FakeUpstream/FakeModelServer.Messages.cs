using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Switchboard.FakeUpstream;

/// <summary>
/// The Messages API side of the fake server (<c>POST /v1/messages</c>, <c>/v1/messages/count_tokens</c>), as
/// Anthropic and servers with their own <c>/v1/messages</c> answer it. Replies queued with
/// <see cref="EnqueueMessages"/> answer in order; requests are recorded like the chat ones.
/// </summary>
public sealed partial class FakeModelServer
{
    private readonly ConcurrentQueue<ScriptedMessagesReply> _messagesScript = new();

    /// <summary>Every <c>/v1/messages</c> request received, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> MessagesRequests => Snapshot(r => r.Path == "/v1/messages");

    /// <summary>Every <c>/v1/messages/count_tokens</c> request received, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> CountTokensRequests => Snapshot(r => r.Path == "/v1/messages/count_tokens");

    public void EnqueueMessages(params IEnumerable<ScriptedMessagesReply> replies)
    {
        foreach (var reply in replies)
        {
            _messagesScript.Enqueue(reply);
        }
    }

    internal ScriptedMessagesReply NextMessagesReply() =>
        _messagesScript.TryDequeue(out var reply) ? reply : ScriptedMessagesReply.Text("Hello from the fake Messages server.");

    /// <summary>Anthropic's own way to send the key.</summary>
    private static bool MessagesKeyMatches(HttpContext http, string key) =>
        http.Request.Path.StartsWithSegments("/v1/messages") && http.Request.Headers["x-api-key"] == key;

    /// <summary>Anthropic's API: <c>x-api-key</c> and <c>anthropic-version</c> on every request; Bearer is not a key there.</summary>
    private static bool AnthropicKeyMatches(HttpContext http, string key) =>
        http.Request.Headers["x-api-key"] == key && !string.IsNullOrEmpty(http.Request.Headers["anthropic-version"])
        && string.IsNullOrEmpty(http.Request.Headers.Authorization);
}

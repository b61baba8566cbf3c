using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress;

/// <summary>
/// How one front door words an error: its wire type for each <see cref="ApiErrorKind"/> and its JSON envelope.
/// Status and retryability come from the kind itself, so every door agrees on them.
/// </summary>
public interface IErrorDialect
{
    /// <summary>A short name for logs and tests ("anthropic", "openai").</summary>
    string Name { get; }

    /// <summary>The <c>type</c> this door's clients see for <paramref name="kind"/>.</summary>
    string WireType(ApiErrorKind kind);

    /// <summary>
    /// The HTTP status for <paramref name="kind"/>: the kind's own (<see cref="ApiErrorKinds"/>) unless a dialect's
    /// clients expect another for the same meaning (OpenAI's clients know overload as 503, not Anthropic's 529).
    /// </summary>
    int StatusCode(ApiErrorKind kind) => kind.HttpStatus();

    /// <summary>
    /// Another header this door's clients read the request id from, beside Switchboard's <c>request-id</c>; null
    /// when they read that one.
    /// </summary>
    string? RequestIdHeader => null;

    /// <summary>Whether this door's clients read <c>retry-after-ms</c> (sent beside <c>retry-after</c> when the wait is known to the millisecond).</summary>
    bool SendsRetryAfterMilliseconds => false;

    /// <summary>Writes the complete error body.</summary>
    void WriteBody(Utf8JsonWriter writer, ApiError error, string? requestId);
}

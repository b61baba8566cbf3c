using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress;

/// <summary>
/// OpenAI's error dialect, shared by every OpenAI-shaped door (Chat Completions, Completions, Responses,
/// Embeddings): <c>{"error":{"message","type","param","code"}}</c>. OpenAI reports a bad key as
/// <c>invalid_request_error</c> with code <c>invalid_api_key</c>, and overload as <c>server_is_overloaded</c>, which
/// Codex treats as "stop retrying soon".
/// </summary>
public sealed class OpenAIErrors : IErrorDialect
{
    public static OpenAIErrors Instance { get; } = new();

    private OpenAIErrors()
    {
    }

    public string Name => "openai";

    public string WireType(ApiErrorKind kind) => kind switch
    {
        ApiErrorKind.InvalidRequest or ApiErrorKind.NotFound or ApiErrorKind.MethodNotAllowed or ApiErrorKind.RequestTooLarge
            or ApiErrorKind.UriTooLong or ApiErrorKind.HeadersTooLarge or ApiErrorKind.Authentication => "invalid_request_error",
        ApiErrorKind.Permission => "permission_error",
        ApiErrorKind.RateLimit => "rate_limit_error",
        ApiErrorKind.Billing => "insufficient_quota",
        ApiErrorKind.RequestTimeout or ApiErrorKind.Timeout => "timeout_error",
        _ => "server_error",
    };

    /// <summary>OpenAI's name for it: the openai SDKs expose it as the response's request id.</summary>
    public string? RequestIdHeader => "x-request-id";

    /// <summary>OpenAI's SDKs read <c>retry-after-ms</c> before <c>retry-after</c>.</summary>
    public bool SendsRetryAfterMilliseconds => true;

    /// <summary>
    /// Overload is 503 to OpenAI's clients (Anthropic's 529 is unknown to them). So is an upstream that cannot be
    /// used: Codex retries a 502 thirty times per turn (transport and turn loop), but stops after its transport's
    /// retries on 503 <c>server_is_overloaded</c>. Other kinds keep their status.
    /// </summary>
    public int StatusCode(ApiErrorKind kind) => kind is ApiErrorKind.Overloaded or ApiErrorKind.BadGateway ? 503 : kind.HttpStatus();

    /// <summary>OpenAI's conventional code for a kind, when there is one; an error's own code wins.</summary>
    public static string? CodeFor(ApiErrorKind kind) => kind switch
    {
        ApiErrorKind.Authentication => "invalid_api_key",
        ApiErrorKind.Permission => "permission_denied",
        ApiErrorKind.RateLimit => "rate_limit_exceeded",
        ApiErrorKind.Billing => "insufficient_quota",
        ApiErrorKind.Overloaded or ApiErrorKind.BadGateway => "server_is_overloaded",
        ApiErrorKind.NotFound => "not_found",
        ApiErrorKind.RequestTooLarge => "request_too_large",
        _ => null,
    };

    public void WriteBody(Utf8JsonWriter writer, ApiError error, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(error);
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteString("message"u8, error.Message);
        writer.WriteString("type"u8, WireType(error.Kind));
        WriteNullable(writer, "param"u8, error.Param);
        WriteNullable(writer, "code"u8, error.Code ?? CodeFor(error.Kind));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}

namespace Switchboard.Telemetry;

/// <summary>
/// Attribute names shared by metrics and spans: the OpenTelemetry GenAI and HTTP semantic conventions where they
/// have one, <c>switchboard.*</c> for the rest.
/// </summary>
public static class TelemetryNames
{
    public const string OperationName = "gen_ai.operation.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string TokenType = "gen_ai.token.type";
    public const string RequestMaxTokens = "gen_ai.request.max_tokens";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string CacheReadTokens = "gen_ai.usage.cache_read.input_tokens";
    public const string CacheWriteTokens = "gen_ai.usage.cache_creation.input_tokens";
    public const string ErrorType = "error.type";
    public const string StatusCode = "http.response.status_code";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";

    public const string Door = "switchboard.door";
    public const string Upstream = "switchboard.upstream";
    public const string UpstreamApi = "switchboard.upstream.api";
    public const string UpstreamState = "switchboard.upstream.state";
    public const string SwitchboardTokenType = "switchboard.token.type";
    public const string KeyId = "switchboard.key.id";
    public const string RequestId = "switchboard.request.id";
    public const string Streaming = "switchboard.streaming";
    public const string TimeToFirstTokenMs = "switchboard.time_to_first_token_ms";
    public const string OverheadUs = "switchboard.overhead_us";

    /// <summary>The GenAI operation of every generation request.</summary>
    public const string Chat = "chat";

    /// <summary>A <c>count_tokens</c> / <c>input_tokens</c> request (not a GenAI convention value; nothing is generated).</summary>
    public const string CountTokens = "count_tokens";

    /// <summary>The label value for something a request did not get to (no model read, no upstream chosen).</summary>
    public const string None = "none";
}

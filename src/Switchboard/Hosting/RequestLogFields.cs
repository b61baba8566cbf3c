using System.Globalization;
using System.Runtime.CompilerServices;
using Switchboard.Ingress.Anthropic;
using Switchboard.Pipeline;
using Switchboard.Telemetry;

namespace Switchboard.Hosting;

/// <summary>
/// The <c>key=value</c> part of the request log line, read from the <see cref="RequestRecord"/>: a field the request
/// does not have is left out rather than written empty. Built in one pass on a stack buffer, one string at the end:
/// the line is written for every request. <c>input_tokens</c> counts all input; <c>cache_read_tokens</c> and
/// <c>cache_write_tokens</c> say how much of it was cached; <c>web_searches</c> and <c>web_fetches</c> count the server
/// tools Switchboard ran for the answer.
/// </summary>
public static class RequestLogFields
{
    public static string Format(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
        AppendTo(ref line, record);
        return line.ToStringAndClear();
    }

    /// <summary>
    /// The whole line, <c>{RequestId} {Method} {Path} {Status}</c> and the fields, as one string built in one pass
    /// (the only text the line allocates before the logger's own).
    /// </summary>
    public static string Line(string requestId, string method, string path, RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[384]);
        line.AppendLiteral(requestId);
        line.AppendLiteral(" ");
        line.AppendLiteral(method);
        line.AppendLiteral(" ");
        line.AppendLiteral(path);
        line.AppendLiteral(" ");
        line.AppendFormatted(record.Status);
        AppendTo(ref line, record);
        return line.ToStringAndClear();
    }

    private static void AppendTo(ref DefaultInterpolatedStringHandler line, RequestRecord record)
    {
        Add(ref line, " key=", record.KeyId);
        Add(ref line, " door=", record.FrontDoor);
        Add(ref line, " model=", LogValue.Clip(record.Model));
        Add(ref line, " upstream=", record.Target);
        Add(ref line, " attempts=", record.Attempts > 1 ? record.Attempts : (int?)null);
        Add(ref line, " input_tokens=", record.TotalInputTokens);
        Add(ref line, " cache_read_tokens=", record.CacheReadTokens is > 0 ? record.CacheReadTokens : null);
        Add(ref line, " cache_write_tokens=", record.CacheWriteTokens is > 0 ? record.CacheWriteTokens : null);
        Add(ref line, " output_tokens=", record.OutputTokens);
        Add(ref line, " reasoning_tokens=", record.ReasoningTokens);
        Add(ref line, " web_searches=", record.WebSearches);
        Add(ref line, " web_fetches=", record.WebFetches);
        if (record.TimeToFirstTokenMs is { } ttft)
        {
            line.AppendLiteral(" ttft_ms=");
            line.AppendFormatted(ttft, "0.###");
        }

        if (record.DurationMs is { } total)
        {
            line.AppendLiteral(" total_ms=");
            line.AppendFormatted(total, "0.###");
        }

        Add(ref line, " overhead_us=", record.OverheadUs);
        Add(ref line, " error=", record.ErrorKind is { } kind ? AnthropicErrors.WireType(kind) : null);
    }

    /// <summary>The same fields as name/value pairs (numbers as numbers), for a structured log entry.</summary>
    public static void AddTo(List<KeyValuePair<string, object?>> properties, RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(record);
        Add(properties, "key", record.KeyId);
        Add(properties, "door", record.FrontDoor);
        Add(properties, "model", LogValue.Clip(record.Model));
        Add(properties, "upstream", record.Target);
        Add(properties, "input_tokens", record.TotalInputTokens);
        Add(properties, "cache_read_tokens", record.CacheReadTokens is > 0 ? record.CacheReadTokens : null);
        Add(properties, "cache_write_tokens", record.CacheWriteTokens is > 0 ? record.CacheWriteTokens : null);
        Add(properties, "output_tokens", record.OutputTokens);
        Add(properties, "reasoning_tokens", record.ReasoningTokens);
        Add(properties, "web_searches", record.WebSearches);
        Add(properties, "web_fetches", record.WebFetches);
        Add(properties, "ttft_ms", record.TimeToFirstTokenMs is { } ttft ? Math.Round(ttft, 3) : null);
        Add(properties, "total_ms", record.DurationMs is { } total ? Math.Round(total, 3) : null);
        Add(properties, "overhead_us", record.OverheadUs);
        Add(properties, "error", record.ErrorKind is { } kind ? AnthropicErrors.WireType(kind) : null);
    }

    private static void Add(List<KeyValuePair<string, object?>> properties, string name, object? value)
    {
        if (value is not null && value is not "")
        {
            properties.Add(new(name, value));
        }
    }

    private static void Add(ref DefaultInterpolatedStringHandler line, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            line.AppendLiteral(name);
            line.AppendLiteral(value);
        }
    }

    private static void Add<T>(ref DefaultInterpolatedStringHandler line, string name, T? value)
        where T : struct
    {
        if (value is { } present)
        {
            line.AppendLiteral(name);
            line.AppendFormatted(present);
        }
    }
}

using System.Collections;
using System.Diagnostics;
using Switchboard.Pipeline;

namespace Switchboard.Hosting;

/// <summary>
/// The request log line as a log entry's state: as text it is the one line (<c>{RequestId} {Method} {Path}
/// {Status}</c> and the <see cref="RequestLogFields"/>); as properties — what the JSON console formatter writes under
/// <c>State</c> — it is the same fields, each under its own name, numbers as numbers, plus the trace and span ids of
/// the request's span. Read once, by the logger, while the request is still settling.
/// </summary>
internal sealed class RequestLogEntry(string requestId, string method, string path, RequestRecord record, Activity? activity)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string OriginalFormat = "{RequestId} {Method} {Path} {Status}{Fields}";

    public static readonly Func<RequestLogEntry, Exception?, string> Formatter = static (entry, _) => entry.ToString();

    private readonly ActivityTraceId? _traceId = activity?.TraceId;
    private readonly ActivitySpanId? _spanId = activity?.SpanId;
    private List<KeyValuePair<string, object?>>? _properties;

    public int Count => Properties.Count;

    public KeyValuePair<string, object?> this[int index] => Properties[index];

    private List<KeyValuePair<string, object?>> Properties => _properties ??= Build();

    public override string ToString() => RequestLogFields.Line(requestId, method, path, record);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private List<KeyValuePair<string, object?>> Build()
    {
        var properties = new List<KeyValuePair<string, object?>>(24)
        {
            new("RequestId", requestId),
            new("Method", method),
            new("Path", path),
            new("Status", record.Status),
        };
        RequestLogFields.AddTo(properties, record);
        if (_traceId is { } traceId && traceId != default)
        {
            properties.Add(new("trace_id", traceId.ToHexString()));
            properties.Add(new("span_id", _spanId?.ToHexString()));
        }

        properties.Add(new("{OriginalFormat}", OriginalFormat));
        return properties;
    }
}

namespace Switchboard.FakeUpstream;

/// <summary>
/// A misbehaving server instead of an answer: a connection dropped before the status line, a body that is not what
/// the protocol promises, or a raw response (any status, content type, headers and body) such as a Python traceback
/// from a debug server or a proxy's HTML banner.
/// </summary>
public sealed class ScriptedFault
{
    public FaultKind Kind { get; set; } = FaultKind.Raw;

    /// <summary>For <see cref="FaultKind.Raw"/>: the status line's code.</summary>
    public int Status { get; set; } = 500;

    /// <summary>For <see cref="FaultKind.Raw"/>: the <c>content-type</c>, or null for none.</summary>
    public string? ContentType { get; set; } = "text/plain; charset=utf-8";

    /// <summary>For <see cref="FaultKind.Raw"/>: the body, sent verbatim.</summary>
    public string Body { get; set; } = "";

    /// <summary>For <see cref="FaultKind.Raw"/>: extra response headers.</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    public static ScriptedReply Reply(ScriptedFault fault) => new() { Fault = fault };
}

public enum FaultKind
{
    /// <summary>The status line, headers and body exactly as scripted.</summary>
    Raw,

    /// <summary>The connection is reset after the request was read, before any response byte.</summary>
    ResetBeforeHeaders,

    /// <summary>
    /// 200 with the right content type and a body of junk: for a stream, SSE-shaped lines whose data is not a chunk
    /// (broken JSON, binary bytes, unknown events) ending with <c>[DONE]</c>; otherwise a body that is not JSON.
    /// </summary>
    Garbage,

    /// <summary>
    /// 200, the start of the answer, then nothing until the client gives up: a stream's role and first text chunk,
    /// or the first half of a <c>chat.completion</c> body — a server whose engine hung mid-generation.
    /// </summary>
    Stall,
}

namespace Switchboard.FakeUpstream;

/// <summary>
/// One scripted answer to <c>POST /v1/messages</c>: content blocks, a stop reason and usage, streamed as Anthropic
/// streams them (message_start, each block's start, deltas and stop, message_delta, message_stop) or sent as one
/// message, as the request's <c>stream</c> field asks; or an error, a failure midway, or raw bytes.
/// </summary>
public sealed class ScriptedMessagesReply
{
    public List<ScriptedBlock> Blocks { get; set; } = [];

    public string StopReason { get; set; } = "end_turn";

    public string? StopSequence { get; set; }

    public int InputTokens { get; set; } = 11;

    public int OutputTokens { get; set; } = 7;

    public int CacheReadTokens { get; set; }

    public int CacheWriteTokens { get; set; }

    /// <summary>The <c>id</c> of the message; the same in the stream and a whole answer.</summary>
    public string Id { get; set; } = "msg_fake01";

    /// <summary>Characters of text, thinking or tool input per delta.</summary>
    public int ChunkSize { get; set; } = 8;

    public int EventDelayMs { get; set; }

    /// <summary>Answer with this HTTP error, in Anthropic's envelope.</summary>
    public ScriptedMessagesError? Error { get; set; }

    /// <summary>After this many events, send <see cref="FailWith"/> as an <c>error</c> event (or cut the connection when it is null) and stop.</summary>
    public int? FailAfterEvents { get; set; }

    public ScriptedMessagesError? FailWith { get; set; }

    /// <summary>Sent as the whole body instead of an answer.</summary>
    public string? RawBody { get; set; }

    public string RawContentType { get; set; } = "text/event-stream";

    public static ScriptedMessagesReply Text(string text) => new() { Blocks = [ScriptedBlock.OfText(text)] };

    public static ScriptedMessagesReply Fail(int status, string type, string message) =>
        new() { Error = new ScriptedMessagesError { Status = status, Type = type, Message = message } };
}

public sealed class ScriptedBlock
{
    /// <summary><c>text</c>, <c>thinking</c>, <c>redacted_thinking</c>, <c>tool_use</c>, <c>server_tool_use</c> (input streamed in deltas, as Anthropic does), or <c>raw</c> (<see cref="Json"/> as the whole block).</summary>
    public string Type { get; set; } = "text";

    public string Text { get; set; } = "";

    public string? Signature { get; set; }

    /// <summary>A tool call's id and name; <see cref="Text"/> is its input JSON.</summary>
    public string? Id { get; set; }

    public string? Name { get; set; }

    /// <summary>A raw block's JSON (a server-tool block, a future type), sent whole in its start event.</summary>
    public string? Json { get; set; }

    public static ScriptedBlock OfText(string text) => new() { Type = "text", Text = text };

    public static ScriptedBlock Thinking(string thinking, string signature) => new() { Type = "thinking", Text = thinking, Signature = signature };

    public static ScriptedBlock Redacted(string data) => new() { Type = "redacted_thinking", Text = data };

    public static ScriptedBlock ToolUse(string id, string name, string input) => new() { Type = "tool_use", Id = id, Name = name, Text = input };

    public static ScriptedBlock ServerToolUse(string id, string name, string input) => new() { Type = "server_tool_use", Id = id, Name = name, Text = input };

    public static ScriptedBlock Raw(string json) => new() { Type = "raw", Json = json };
}

public sealed class ScriptedMessagesError
{
    public int Status { get; set; } = 500;

    public string Type { get; set; } = "api_error";

    public string Message { get; set; } = "Internal server error";

    public string? RetryAfter { get; set; }
}

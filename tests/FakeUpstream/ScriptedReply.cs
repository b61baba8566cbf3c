namespace Switchboard.FakeUpstream;

/// <summary>
/// One scripted answer to <c>POST /v1/chat/completions</c>. The same script answers both a streaming request
/// (SSE chunks) and a non-streaming one (one <c>chat.completion</c>), chosen by the request's <c>stream</c> field.
/// Loadable from JSON (camelCase property names, enum values as strings).
/// </summary>
public sealed class ScriptedReply
{
    /// <summary>Reasoning text, sent in <see cref="ReasoningField"/> before the content.</summary>
    public string? Reasoning { get; set; }

    public ReasoningField ReasoningField { get; set; } = ReasoningField.ReasoningContent;

    /// <summary>Assistant text; may hold inline <c>&lt;think&gt;</c> tags, which are sent as they are.</summary>
    public string? Content { get; set; }

    public List<ScriptedToolCall> ToolCalls { get; set; } = [];

    /// <summary>Stream the tool calls' argument fragments alternately (call 0, call 1, call 0, …) instead of one after another.</summary>
    public bool InterleaveToolCalls { get; set; }

    /// <summary>Defaults to <c>tool_calls</c> when there are tool calls, else <c>stop</c>.</summary>
    public string? FinishReason { get; set; }

    /// <summary>The stop string that ended generation (vLLM's <c>choice.stop_reason</c>); implies <c>finish_reason: stop</c>.</summary>
    public string? StopSequence { get; set; }

    /// <summary>Null: prompt tokens from the fake tokenizer, completion tokens = number of deltas sent.</summary>
    public ScriptedUsage? Usage { get; set; }

    /// <summary>The stream ends (with <c>[DONE]</c>) without a chunk that carries <c>finish_reason</c>.</summary>
    public bool OmitFinishReason { get; set; }

    /// <summary>No usage anywhere, even when the request asked for <c>stream_options.include_usage</c>.</summary>
    public bool OmitUsage { get; set; }

    /// <summary>Put usage on the finish chunk (llama.cpp) rather than in a separate chunk with empty <c>choices</c> (vLLM).</summary>
    public bool UsageInFinishChunk { get; set; }

    /// <summary>Characters of reasoning, content or arguments per delta chunk.</summary>
    public int ChunkSize { get; set; } = 8;

    /// <summary>Delay before the status line: a request waiting in the server's queue.</summary>
    public int HeaderDelayMs { get; set; }

    /// <summary>Delay after the headers and the role chunk, before the first token: prompt processing.</summary>
    public int FirstTokenDelayMs { get; set; }

    public int ChunkDelayMs { get; set; }

    /// <summary>Answer with this HTTP error instead of a completion.</summary>
    public ScriptedError? Error { get; set; }

    /// <summary>
    /// Judge this request against a context window of this size, counting its real prompt: when it does not fit,
    /// answer the server's context-length refusal (see <see cref="FakeServerOptions.ContextLimitErrors"/>) instead.
    /// </summary>
    public ScriptedContextLimit? ContextLimit { get; set; }

    /// <summary>Misbehave instead of answering (after <see cref="HeaderDelayMs"/>): see <see cref="ScriptedFault"/>.</summary>
    public ScriptedFault? Fault { get; set; }

    /// <summary>Fail a streamed answer part-way.</summary>
    public MidStreamFailure? MidStreamFailure { get; set; }

    /// <summary>The <c>model</c> field of the answer; defaults to the request's model.</summary>
    public string? Model { get; set; }

    /// <summary>Sent as the whole body instead of an answer (garbage streams, non-chat JSON); see <see cref="RawReply"/>.</summary>
    public string? RawBody { get; set; }

    /// <summary>The content type of <see cref="RawBody"/>.</summary>
    public string RawContentType { get; set; } = "text/event-stream";

    /// <summary>Answer <see cref="Content"/> as llama-server does; see <see cref="LlamaCppStopReply"/>.</summary>
    public bool LlamaCppStops { get; set; }

    /// <summary>Answer <see cref="Content"/> with token log probabilities when asked, as vLLM does; see <see cref="LogprobsReply"/>.</summary>
    public bool Logprobs { get; set; }

    public static ScriptedReply Text(string content) => new() { Content = content };

    public static ScriptedReply Fail(int status, string message, ServerFlavor flavor = ServerFlavor.Vllm, string? retryAfter = null) =>
        new() { Error = new ScriptedError { Status = status, Message = message, Flavor = flavor, RetryAfter = retryAfter } };

    internal int CharactersPerChunk => ChunkSize > 0 ? ChunkSize : int.MaxValue;

    internal string EffectiveFinishReason =>
        FinishReason ?? (StopSequence is not null ? "stop" : ToolCalls.Count > 0 ? "tool_calls" : "stop");
}

public enum ReasoningField
{
    /// <summary><c>reasoning_content</c>: llama.cpp, SGLang, DeepSeek, older vLLM.</summary>
    ReasoningContent,

    /// <summary><c>reasoning</c>: current vLLM, Ollama, OpenRouter.</summary>
    Reasoning,
}

public sealed class ScriptedToolCall
{
    public string Name { get; set; } = "";

    /// <summary>The arguments as the model wrote them: usually a JSON object, possibly malformed on purpose.</summary>
    public string Arguments { get; set; } = "{}";

    /// <summary>Defaults to a vLLM-style <c>chatcmpl-tool-…</c> id.</summary>
    public string? Id { get; set; }
}

public sealed class ScriptedUsage
{
    public int PromptTokens { get; set; }

    public int CompletionTokens { get; set; }

    /// <summary>Sent as <c>prompt_tokens_details.cached_tokens</c> when set.</summary>
    public int? CachedTokens { get; set; }

    /// <summary>Sent as <c>completion_tokens_details.reasoning_tokens</c> when set (part of the completion tokens).</summary>
    public int? ReasoningTokens { get; set; }
}

public sealed class ScriptedContextLimit
{
    public int Tokens { get; set; }

    /// <summary>Whose wording to refuse in.</summary>
    public ServerFlavor Flavor { get; set; } = ServerFlavor.Vllm;
}

public sealed class ScriptedError
{
    public int Status { get; set; } = 500;

    public string Message { get; set; } = "Internal server error";

    /// <summary>Whose error body shape to use.</summary>
    public ServerFlavor Flavor { get; set; } = ServerFlavor.Vllm;

    /// <summary>A body sent verbatim instead of the flavor's shape.</summary>
    public string? Body { get; set; }

    /// <summary>Value of a <c>retry-after</c> header.</summary>
    public string? RetryAfter { get; set; }
}

public enum ServerFlavor
{
    Vllm,
    LlamaCpp,
    Ollama,
}

public sealed class MidStreamFailure
{
    /// <summary>Content chunks sent before the failure (the role chunk does not count).</summary>
    public int AfterChunks { get; set; } = 1;

    public MidStreamFailureKind Kind { get; set; } = MidStreamFailureKind.ErrorEvent;

    public string Message { get; set; } = "engine core died unexpectedly";

    /// <summary>The status the error object names (vLLM's <c>code</c>); 503 is how a server says "overloaded, try again".</summary>
    public int Status { get; set; } = 500;

    public ServerFlavor Flavor { get; set; } = ServerFlavor.Vllm;
}

public enum MidStreamFailureKind
{
    /// <summary><c>data: {"error": …}</c> followed by <c>[DONE]</c>, as vLLM does when generation fails.</summary>
    ErrorEvent,

    /// <summary>The connection is dropped without finishing the chunked body.</summary>
    Abort,
}

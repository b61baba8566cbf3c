namespace Switchboard.FakeUpstream;

/// <summary>How the fake model server presents itself: its models, context length and tokenizer endpoints.</summary>
public sealed class FakeServerOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Model ids listed by <c>GET /v1/models</c>.</summary>
    public List<string> Models { get; set; } = ["fake-model"];

    /// <summary>Context length reported as <c>max_model_len</c> (vLLM does); null leaves the field out (Ollama, llama.cpp).</summary>
    public int? MaxModelLen { get; set; } = 32768;

    /// <summary>Which tokenizer endpoints exist at the server root.</summary>
    public TokenizerStyle Tokenizer { get; set; } = TokenizerStyle.Vllm;

    /// <summary>When set, every prompt counts this many tokens instead of the length-based count.</summary>
    public int? FixedTokenCount { get; set; }

    /// <summary>Answer 404 (vLLM's "The model `x` does not exist.") to chat requests for a model not in <see cref="Models"/>.</summary>
    public bool RejectUnknownModels { get; set; }

    /// <summary>When set, requests without <c>Authorization: Bearer {key}</c> get vLLM's 401.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Check <see cref="ApiKey"/> the way Anthropic's API does, on every <c>/v1/</c> path (<c>/v1/models</c> too): the
    /// key only as <c>x-api-key</c>, and an <c>anthropic-version</c> header required; anything else gets Anthropic's
    /// 401 <c>authentication_error</c>.
    /// </summary>
    public bool MessagesAuth { get; set; }

    /// <summary>Keep every request for <see cref="FakeModelServer.Requests"/>; turn off for long load runs.</summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>
    /// Refuse a chat request that does not fit <see cref="MaxModelLen"/> (the fake tokenizer's prompt count, plus
    /// <c>max_tokens</c> for vLLM) the way this server words it, before any scripted reply is used. Null: no check.
    /// </summary>
    public ServerFlavor? ContextLimitErrors { get; set; }

    /// <summary>Served when the script queue is empty; null means a short text answer.</summary>
    public ScriptedReply? DefaultReply { get; set; }
}

public enum TokenizerStyle
{
    /// <summary>vLLM and SGLang: <c>POST /tokenize</c> takes <c>messages</c> and answers <c>count</c>.</summary>
    Vllm,

    /// <summary>llama.cpp: <c>POST /apply-template</c> renders the prompt, <c>POST /tokenize</c> takes <c>content</c>.</summary>
    LlamaCpp,

    /// <summary>No tokenizer endpoints (Ollama, hosted providers): 404.</summary>
    None,
}


namespace Switchboard.Configuration;

/// <summary>The <c>Switchboard</c> configuration section. See docs/CONFIGURATION.md.</summary>
public sealed class SwitchboardOptions
{
    public const string Section = "Switchboard";

    /// <summary>Keys clients may present. Empty: no authentication, and Switchboard listens on loopback only.</summary>
    public List<string> ApiKeys { get; set; } = [];

    public Dictionary<string, UpstreamOptions> Upstreams { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Public models in match order; the first whose name or alias matches a request serves it.</summary>
    public List<ModelOptions> Models { get; set; } = [];

    public StreamingOptions Streaming { get; set; } = new();

    /// <summary>The OpenAI Chat Completions door.</summary>
    public ChatCompletionsOptions ChatCompletions { get; set; } = new();

    public DiagnosticsOptions Diagnostics { get; set; } = new();

    public ShutdownOptions Shutdown { get; set; } = new();

    /// <summary>Largest request body accepted, in bytes (Anthropic's own limit is 32 MB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Log prompt text at debug level. Off by default: prompts are the users' data.</summary>
    public bool LogPromptText { get; set; }

    /// <summary>
    /// Secret for thinking-block signatures. Set the same value on every instance behind one load balancer;
    /// unset, each process picks a random one.
    /// </summary>
    public string? ThinkingSignatureKey { get; set; }

    /// <summary>Listening port; <c>0</c> picks a free one.</summary>
    public int Port { get; set; } = 4000;

    /// <summary>Listening address (an IP address or <c>localhost</c>). Unset: loopback without keys, every interface with keys.</summary>
    public string? Host { get; set; }

    /// <summary>Web pages allowed to call Switchboard from a browser.</summary>
    public CorsOptions Cors { get; set; } = new();

    /// <summary>Where keys, the usage ledger and shared settings are kept.</summary>
    public StorageOptions Storage { get; set; } = new();

    /// <summary>The admin HTTP API.</summary>
    public AdminOptions Admin { get; set; } = new();

    /// <summary>Stored keys, their cache and model prices.</summary>
    public TenancyOptions Tenancy { get; set; } = new();

    /// <summary>Metrics, traces and the <c>/metrics</c> endpoint (docs/OBSERVABILITY.md).</summary>
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Failover and affinity across a model's targets (see docs/POOLS.md).</summary>
    public PoolOptions Pools { get; set; } = new();

    /// <summary>The Message Batches API (<c>/v1/messages/batches</c>) and its runner.</summary>
    public BatchesOptions Batches { get; set; } = new();

    /// <summary>The search backend of the web search tool Switchboard runs itself (docs/SERVER_TOOLS.md).</summary>
    public WebSearchOptions WebSearch { get; set; } = new();

    /// <summary>Outbound fetches of client- and model-given URLs (PDF URLs, image inlining, the web fetch tool).</summary>
    public WebFetchOptions WebFetch { get; set; } = new();
    /// <summary>Reloading upstreams and models while running: on a file change, on SIGHUP.</summary>
    public ReloadOptions Reload { get; set; } = new();
}

public sealed class UpstreamOptions
{
    /// <summary>
    /// The upstream's API dialect: <c>openai-chat</c> (OpenAI Chat Completions, the default; vLLM, SGLang, llama.cpp,
    /// Ollama) or <c>anthropic</c> (the Messages API: Anthropic, and servers with their own <c>/v1/messages</c>).
    /// Picks the egress that talks to it.
    /// </summary>
    public string Api { get; set; } = "openai-chat";

    /// <summary>OpenAI-compatible base URL, usually ending in <c>/v1</c>.</summary>
    public string BaseUrl { get; set; } = "";

    public string? ApiKey { get; set; }

    public double ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Whole-request limit, including a long streamed generation.</summary>
    public double TimeoutSeconds { get; set; } = 600;

    /// <summary><c>auto</c>: use the server's tokenizer endpoints when it has them; <c>estimate</c>: never ask.</summary>
    public string Tokenizer { get; set; } = "auto";

    // Anthropic-compatible upstreams (Api = "anthropic"); see docs/ANTHROPIC_UPSTREAMS.md.

    /// <summary>How <see cref="ApiKey"/> is sent to an Anthropic-compatible upstream: <c>x-api-key</c> (Anthropic's way) or <c>bearer</c>.</summary>
    public string KeyHeader { get; set; } = "x-api-key";

    /// <summary>The <c>anthropic-version</c> header sent when the client gave none (an OpenAI-door request always).</summary>
    public string AnthropicVersion { get; set; } = "2023-06-01";

    /// <summary>Extra headers sent with every request to this upstream (e.g. a provider's own routing header).</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Let Anthropic-defined server tools (<c>web_search_*</c>, <c>code_execution_*</c> …) and PDF or file documents pass
    /// to this upstream. Off: server tools and Files API documents are refused, and PDFs are sent as their
    /// extracted text, as for an OpenAI-compatible upstream. Only for <c>anthropic</c> upstreams.
    /// </summary>
    public bool AllowServerTools { get; set; }

    // Timeouts per attempt and health tracking (docs/POOLS.md). Zero turns a timeout off.

    /// <summary>
    /// Time to the response headers of a streamed request (the upstream's queue); a whole answer's headers come
    /// after its generation, so only <see cref="TimeoutSeconds"/> bounds it.
    /// </summary>
    public double HeadersTimeoutSeconds { get; set; } = 120;

    /// <summary>Longest silence between two reads of a streamed answer (clients give up after 300 s of silence).</summary>
    public double IdleTimeoutSeconds { get; set; } = 240;

    /// <summary>Path under <see cref="BaseUrl"/> the active health probe asks with GET; a 2xx is healthy.</summary>
    public string HealthPath { get; set; } = "/models";

    /// <summary>Seconds between active probes of an upstream that serves a pool of more than one target; 0: no probe.</summary>
    public double ProbeIntervalSeconds { get; set; } = 10;

    /// <summary>Consecutive failures (resets, timeouts, 5xx) that put the upstream in cooldown.</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>The first cooldown; each further one without a success in between doubles, up to <see cref="MaxCooldownSeconds"/>.</summary>
    public double CooldownSeconds { get; set; } = 5;

    public double MaxCooldownSeconds { get; set; } = 60;

    /// <summary>A PDF sent to this upstream as its extracted text: at most this many pages (a longer PDF is refused).</summary>
    public int PdfMaxPages { get; set; } = 100;

    /// <summary>A PDF sent to this upstream as its extracted text: at most this many characters of text (more is refused).</summary>
    public int PdfMaxTextChars { get; set; } = 500_000;

    /// <summary>
    /// Fetch image URLs for this upstream (under the <c>WebFetch</c> rules) and send the images as base64 data, for a
    /// model server that does not fetch URLs itself. Off: image URLs are passed on as they are.
    /// </summary>
    public bool InlineImageUrls { get; set; }
}

public sealed class ModelOptions
{
    /// <summary>The public model id, listed by <c>/v1/models</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Other names that route here; <c>*</c> and <c>?</c> globs allowed (e.g. <c>claude-*</c>).</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>Upstream name; may be left out when exactly one upstream is configured.</summary>
    public string? Upstream { get; set; }

    /// <summary>The model name the upstream knows; defaults to <see cref="Name"/>.</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>
    /// Several upstreams serving this model (replicas, a fallback): a pool. Empty: the one target is
    /// <see cref="Upstream"/> with <see cref="UpstreamModel"/>.
    /// </summary>
    public List<TargetOptions> Targets { get; set; } = [];

    public string? DisplayName { get; set; }

    /// <summary>Output token limit; larger <c>max_tokens</c> values are lowered to it.</summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Context window; when unset, Switchboard asks the upstream (vLLM reports <c>max_model_len</c>).</summary>
    public int? ContextLength { get; set; }

    /// <summary>What this model's tokens cost, for budgets and the ledger; unset, <see cref="TenancyOptions.DefaultPrices"/>.</summary>
    public ModelPrices? Prices { get; set; }

    /// <summary>
    /// The model family profile (see docs/MODEL_PROFILES.md), e.g. <c>minimax-m2</c>. Unset: chosen from the upstream
    /// model name, <c>generic</c> when no family matches.
    /// </summary>
    public string? Profile { get; set; }

    /// <summary>Split <c>&lt;think&gt;…&lt;/think&gt;</c> in the model's text into thinking blocks. Unset: the profile decides.</summary>
    public bool? ThinkTags { get; set; }

    /// <summary>Send the request's thinking effort to the upstream as <c>reasoning_effort</c>. Unset: the profile decides.</summary>
    public bool? ReasoningEffort { get; set; }

    /// <summary>
    /// A <c>chat_template_kwargs</c> switch that turns the model's thinking on and off (Qwen3:
    /// <c>enable_thinking</c>; DeepSeek V3.1: <c>thinking</c>). Unset: the profile decides; <c>none</c>: no switch.
    /// </summary>
    public string? ThinkingSwitch { get; set; }
}

public sealed class StreamingOptions
{
    /// <summary>A <c>ping</c> event goes out when nothing else has for this long.</summary>
    public double PingIntervalSeconds { get; set; } = 5;
}

public sealed class DiagnosticsOptions
{
    /// <summary>
    /// Add <c>x-switchboard-overhead-us</c> to non-streamed responses: microseconds spent in Switchboard outside
    /// waiting on the upstream.
    /// </summary>
    public bool OverheadHeader { get; set; }
}

public sealed class ShutdownOptions
{
    /// <summary>
    /// After a stop signal (SIGTERM), how long running streams may go on before each is ended with a retryable
    /// error. Readiness answers 503 and new requests are refused from the signal on.
    /// </summary>
    public double DrainSeconds { get; set; } = 60;
}

using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>
/// A request after parsing and validation, in any front door's dialect. JSON values (tool schemas) reference the
/// request's parsed document, which the door keeps alive for the life of the request. Immutable: a pipeline stage
/// that changes something (the thinking filter, the output budget of one upstream attempt) makes a copy with
/// <c>with</c>, so nothing decided for one attempt leaks into the next.
/// </summary>
public sealed record MessageRequest
{
    /// <summary>The model name the client asked for; responses echo it.</summary>
    public required string Model { get; init; }

    /// <summary>
    /// Output budget; each upstream attempt may get a copy with it lowered to fit the model's limits. Null: the
    /// client gave none (Chat Completions makes it optional), so the model's configured output limit applies, and
    /// without one the model server uses what the context window leaves.
    /// </summary>
    public required int? MaxTokens { get; init; }

    private string? _system;
    private IReadOnlyList<TextBlock>? _systemBlocks;

    /// <summary>
    /// System prompt: string or text blocks joined with newlines, plus inline system turns. When the reader kept the
    /// client's blocks (<see cref="SystemBlocks"/>), joined from them on first use.
    /// </summary>
    public string? System
    {
        get => _system ??= JoinSystem(_systemBlocks);
        init
        {
            _system = value;
            _systemBlocks = null;
        }
    }

    /// <summary>
    /// The system prompt as the client's text blocks, which joined with newlines are <see cref="System"/>; null when
    /// only <see cref="System"/> is known. Lets an egress copy the client's UTF-8 instead of re-encoding a string;
    /// setting <see cref="System"/> clears it.
    /// </summary>
    public IReadOnlyList<TextBlock>? SystemBlocks
    {
        get => _systemBlocks;
        init
        {
            _systemBlocks = value is { Count: > 0 } ? value : null;
            _system = null;
        }
    }

    /// <summary>The conversation.</summary>
    public required IReadOnlyList<Message> Messages { get; init; }

    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>
    /// The client's <c>tools</c> array <see cref="Tools"/> was read from, for an egress that caches the upstream form
    /// of a session's unchanging tools keyed on these bytes; only valid while <see cref="ToolsSource.Describes"/>
    /// the request's current <see cref="Tools"/> (a stage that changes the tools makes a new list).
    /// </summary>
    public ToolsSource? ToolsSource { get; init; }

    /// <summary>
    /// Tools the client declared that are not functions it runs itself (Anthropic's server tools, new tool types),
    /// as raw JSON: an upstream of the same dialect gets them as sent; any other refuses or ignores each one.
    /// </summary>
    public IReadOnlyList<RawTool> RawTools { get; init; } = [];

    /// <summary>
    /// The request as the client sent it, when its door keeps it: an upstream that speaks the same dialect is sent
    /// these bytes with only the model (and a fitted budget) changed, instead of a re-encoding.
    /// </summary>
    public RequestSource? Source { get; init; }

    public ToolChoice? ToolChoice { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? TopK { get; init; }

    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary><c>metadata.user_id</c>, passed to model servers as the end-user id.</summary>
    public string? UserId { get; init; }

    public ThinkingConfig? Thinking { get; init; }

    /// <summary><c>output_config.effort</c>: low, medium, high, xhigh or max.</summary>
    public string? Effort { get; init; }

    public bool Stream { get; init; }

    /// <summary>Constrained output (JSON mode or a JSON schema); null: free text.</summary>
    public ResponseFormat? ResponseFormat { get; init; }

    /// <summary>OpenAI-style sampling controls the Messages API lacks (seed, penalties, logit bias, logprobs).</summary>
    public SamplingExtras? Sampling { get; init; }

    /// <summary>
    /// Top-level fields the client sent that Switchboard does not interpret (model servers' own parameters such as
    /// <c>min_p</c> or <c>chat_template_kwargs</c>), passed verbatim to an upstream that speaks the same dialect.
    /// </summary>
    public IReadOnlyList<PassThroughField> PassThrough { get; init; } = [];

    /// <summary>Context editing the client asked for (<c>context_management</c>); null: none.</summary>
    public ContextManagement? ContextManagement { get; init; }

    /// <summary>
    /// The edits Switchboard applied to this copy of the request, for the answer's report; null when it applied none
    /// itself (none asked, or the upstream applies them), empty when it ran them and nothing needed clearing.
    /// </summary>
    public IReadOnlyList<AppliedContextEdit>? AppliedContextEdits { get; init; }

    /// <summary>A streamed answer ends with a usage report (Chat Completions' <c>stream_options.include_usage</c>).</summary>
    public bool IncludeUsage { get; init; }

    private static string? JoinSystem(IReadOnlyList<TextBlock>? blocks) => blocks switch
    {
        null => null,
        [var single] => single.Text,
        _ => string.Join('\n', blocks.Select(static block => block.Text)),
    };

    /// <summary>What <c>ToString</c> shows: never the prompt, which is the users' data and must not reach a log by accident.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Model = ").Append(Model).Append(", MaxTokens = ").Append(MaxTokens).Append(", Messages = ").Append(Messages.Count)
            .Append(", Stream = ").Append(Stream);
        return true;
    }
}

/// <summary>A client-executed tool. <see cref="InputSchema"/> is the JSON Schema object as sent.</summary>
public sealed record ToolDefinition(string Name, string? Description, JsonElement InputSchema)
{
    private readonly string? _description = Description;

    /// <summary>A tool whose description stays the client's JSON string (<see cref="DescriptionJson"/>) until read.</summary>
    public ToolDefinition(string name, JsonElement description, JsonElement inputSchema)
        : this(name, (string?)null, inputSchema)
    {
        DescriptionJson = description;
    }

    /// <summary>The description; decoded from <see cref="DescriptionJson"/> (on every read) when it was kept as JSON.</summary>
    public string? Description
    {
        get => _description ?? (DescriptionJson.ValueKind == JsonValueKind.String ? DescriptionJson.GetString() : null);
        init => _description = value;
    }

    /// <summary>The client's JSON string the description was read from (<see cref="JsonValueKind.Undefined"/>: none).</summary>
    public JsonElement DescriptionJson { get; init; }

    /// <summary>The client asked for arguments that follow the schema exactly (OpenAI's <c>strict</c>); null: not said.</summary>
    public bool? Strict { get; init; }

    /// <summary>
    /// A freeform tool (the Responses API's <c>custom</c> tools, e.g. Codex's <c>apply_patch</c>): its input is free
    /// text, not JSON. It is offered to the model as a function with one string parameter (<see cref="InputSchema"/>)
    /// and its calls go back to the client as that text.
    /// </summary>
    public bool Freeform { get; init; }

    /// <summary>
    /// The group the client declared the tool in (the Responses API's <c>namespace</c> tools); null: none.
    /// <see cref="Name"/> is then the flat name offered to the model, and <see cref="ClientName"/> the tool's own.
    /// </summary>
    public string? Group { get; init; }

    /// <summary>The tool's name as the client declared it inside its <see cref="Group"/>; null: <see cref="Name"/>.</summary>
    public string? ClientName { get; init; }

    /// <summary>
    /// Declared with <c>defer_loading: true</c> (tool search): offered to a model only once a <c>tool_reference</c>
    /// in the conversation names it.
    /// </summary>
    public bool DeferLoading { get; init; }
}

public enum ToolChoiceKind
{
    Auto,
    Any,
    None,
    Tool,
}

public sealed record ToolChoice(ToolChoiceKind Kind, string? Name, bool DisableParallelToolUse);

public enum ThinkingMode
{
    Enabled,
    Disabled,
    Adaptive,
}

public sealed record ThinkingConfig(ThinkingMode Mode, int? BudgetTokens);

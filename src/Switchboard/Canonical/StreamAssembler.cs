using System.Text;
using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>
/// The one place that turns model output, arriving in any order and interleaving, into canonical events that obey
/// the Messages API's rule: one block open at a time, indices counting up from 0, each block started, given its
/// deltas and stopped before the next one starts.
/// </summary>
/// <remarks>
/// Text and thinking stream through as they arrive. The first tool call streams live too; because model servers
/// may interleave argument fragments of several calls, any later call, and any text that follows a call, is held
/// until the message ends and then sent whole, in arrival order. No fragment is ever sent to a closed block.
/// Arguments pass through <see cref="ToolArgumentsRepair"/>, so every call's input is a JSON object.
/// </remarks>
public sealed class StreamAssembler : IContentTarget
{
    private readonly IMessageStreamSink _sink;
    private readonly ILogprobsSink? _logprobs;
    private readonly IRawBlockSink? _rawBlocks;
    private readonly Dictionary<int, ToolCall> _toolCalls = [];
    private readonly List<HeldItem> _held = [];
    private int _nextIndex;
    private int _openIndex = -1;
    private BlockKind _openKind;
    // Made on the first tool block: most answers have none, and a stream should not pay for it.
    private ToolArgumentsRepair? _toolArguments;
    private ToolCall? _liveCall;
    private bool _anyToolBlock;
    private StopReason? _stopReason;
    private string? _stopSequence;
    private Usage _usage;
    private bool _usageReported;
    private long _outputChars;
    private bool _blockEnded;

    public StreamAssembler(IMessageStreamSink sink)
    {
        _sink = sink;
        _logprobs = sink as ILogprobsSink;
        _rawBlocks = sink as IRawBlockSink;
    }

    /// <summary>True when the sink returns token log probabilities: only then are they worth reading.</summary>
    public bool WantsLogprobs => _logprobs is not null;

    public bool Started { get; private set; }

    /// <summary>True once the message has been completed or failed; nothing more is sent.</summary>
    public bool Finished { get; private set; }

    /// <summary>True once any content block has been opened.</summary>
    public bool HasContent => _nextIndex > 0;

    private ToolArgumentsRepair ToolArguments => _toolArguments ??= new ToolArgumentsRepair();

    /// <summary>Called once for each tool call whose arguments had to be repaired to become a JSON object.</summary>
    public Action? ToolArgumentsRepaired { get; set; }

    /// <summary>
    /// The usage reported in <c>message_delta</c> once <see cref="Complete"/> has run; after <see cref="Fail"/>, the
    /// usage so far (the upstream's last report, or an estimate of the output sent).
    /// </summary>
    public Usage FinalUsage { get; private set; }

    /// <summary>
    /// The usage of what has been produced so far: the final figure once finished, else the upstream's last report
    /// or an estimate of the output sent (for an answer whose client left midway).
    /// </summary>
    public Usage UsageSoFar => Finished ? FinalUsage : _usageReported ? _usage : EstimatedUsage();

    public void Start(string messageId, string model, Usage initialUsage)
    {
        if (Started)
        {
            return;
        }

        Started = true;
        _usage = initialUsage;
        _sink.OnMessageStart(messageId, model, initialUsage);
    }

    public void AppendText(ReadOnlySpan<char> text) => AppendProse(BlockKind.Text, text);

    public void AppendThinking(ReadOnlySpan<char> thinking) => AppendProse(BlockKind.Thinking, thinking);

    /// <summary>
    /// The upstream's own signature of the thinking block just appended (a dialect with signed thinking): it goes
    /// out with that block, unchanged. Ignored when no thinking precedes it.
    /// </summary>
    public void AppendThinkingSignature(ReadOnlySpan<char> signature)
    {
        if (Finished || signature.IsEmpty)
        {
            return;
        }

        if (_held.Count > 0 && _held[^1] is { Call: null, Raw: null, Kind: BlockKind.Thinking } last)
        {
            _held[^1] = last with { Signature = signature.ToString() };
        }
        else if (_openIndex >= 0 && _openKind == BlockKind.Thinking)
        {
            _sink.OnDelta(_openIndex, DeltaKind.Signature, signature);
        }
    }

    /// <summary>
    /// A whole block Switchboard does not interpret (see <see cref="IRawBlockSink"/>), in its place among the others.
    /// False when the sink cannot write such blocks: the caller leaves it out (and says so in the log).
    /// </summary>
    public bool AppendRawBlock(RawBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (_rawBlocks is null)
        {
            return false;
        }

        if (Finished)
        {
            return true;
        }

        _outputChars += block.Json.Length;
        _blockEnded = true;
        if (_held.Count > 0 || _liveCall is not null)
        {
            _held.Add(new HeldItem(block));
            return true;
        }

        CloseOpenBlock();
        _rawBlocks.OnRawBlock(_nextIndex++, block);
        return true;
    }

    /// <summary>
    /// The upstream ended a block: the next text or thinking starts a block of its own even when it is of the same
    /// kind (two signed thinking blocks must not merge into one).
    /// </summary>
    public void EndBlock() => _blockEnded = true;

    public void AppendToolCall(int callIndex, string? id, string? name, ReadOnlySpan<char> argumentsFragment)
    {
        if (Finished)
        {
            return;
        }

        if (!_toolCalls.TryGetValue(callIndex, out var call))
        {
            call = new ToolCall();
            _toolCalls.Add(callIndex, call);
            _held.Add(new HeldItem(call));
        }

        if (call.Id is null && !string.IsNullOrEmpty(id))
        {
            call.Id = id;
        }

        if (call.Name is null && !string.IsNullOrEmpty(name))
        {
            call.Name = name;
        }

        _outputChars += argumentsFragment.Length;
        if (ReferenceEquals(call, _liveCall))
        {
            EmitArguments(argumentsFragment);
            return;
        }

        call.Arguments.Append(argumentsFragment);
        TryGoLive();
    }

    /// <summary>
    /// Passes one upstream chunk's log probability entries (a JSON array) straight to the sink, in arrival order;
    /// they are not held with the text a tool call holds back.
    /// </summary>
    public void AppendLogprobs(JsonElement entries)
    {
        if (!Finished)
        {
            _logprobs?.OnLogprobs(entries);
        }
    }

    /// <summary>
    /// A complete block of a tool Switchboard ran itself (see <see cref="IServerToolSink"/>), in arrival order: held
    /// like text when a tool call is held before it. A sink that cannot take such blocks gets nothing.
    /// </summary>
    public void AppendServerBlock(ContentBlock block)
    {
        if (Finished || _sink is not IServerToolSink)
        {
            return;
        }

        if (_held.Count > 0 || _liveCall is not null)
        {
            _held.Add(new HeldItem(null, BlockKind.Text, null) { Server = block });
            return;
        }

        CloseOpenBlock();
        EmitServerBlock(block);
    }

    /// <summary>A citation for the text block open now; dropped when no text block is open (or text is held).</summary>
    public void AppendCitation(WebSearchCitation citation)
    {
        if (!Finished && _held.Count == 0 && _openIndex >= 0 && _openKind == BlockKind.Text && _sink is IServerToolSink sink)
        {
            sink.OnCitation(_openIndex, citation);
        }
    }

    public void SetStop(StopReason reason, string? stopSequence)
    {
        _stopReason = reason;
        _stopSequence = stopSequence;
    }

    /// <summary>Records the upstream's usage; the last report wins.</summary>
    public void SetUsage(Usage usage)
    {
        _usage = usage;
        _usageReported = true;
    }

    /// <summary>Closes what is open, sends what is held, then <c>message_delta</c> and <c>message_stop</c>.</summary>
    public void Complete()
    {
        if (Finished)
        {
            return;
        }

        CloseOpenBlock();
        foreach (var item in _held)
        {
            if (item.Raw is { } raw)
            {
                _rawBlocks!.OnRawBlock(_nextIndex++, raw);
                continue;
            }

            if (item.Server is { } server)
            {
                EmitServerBlock(server);
                continue;
            }

            if (item.Call is { } call)
            {
                OpenBlock(BlockKind.ToolUse, call);
                foreach (var chunk in call.Arguments.GetChunks())
                {
                    EmitArguments(chunk.Span);
                }
            }
            else
            {
                OpenBlock(item.Kind, null);
                EmitProse(item.Kind, item.Text!.ToString());
                if (item.Signature is { } signature)
                {
                    _sink.OnDelta(_openIndex, DeltaKind.Signature, signature);
                }
            }

            CloseOpenBlock();
        }

        _held.Clear();
        Finished = true;
        var stopReason = _anyToolBlock ? StopReason.ToolUse : _stopReason ?? StopReason.EndTurn;
        var stopSequence = stopReason == StopReason.StopSequence ? _stopSequence : null;
        FinalUsage = _usageReported ? _usage : EstimatedUsage();
        _sink.OnMessageDelta(stopReason, stopSequence, FinalUsage);
        _sink.OnMessageStop();
    }

    /// <summary>Ends the message with an error event; used when the upstream fails after the stream began.</summary>
    public void Fail(ApiError error)
    {
        if (Finished)
        {
            return;
        }

        Finished = true;
        FinalUsage = _usageReported ? _usage : EstimatedUsage();
        _sink.OnError(error);
    }

    private void AppendProse(BlockKind kind, ReadOnlySpan<char> text)
    {
        if (Finished || text.IsEmpty)
        {
            return;
        }

        _outputChars += text.Length;
        var fresh = _blockEnded;
        _blockEnded = false;
        if (_held.Count > 0 || _liveCall is not null)
        {
            Hold(kind, text, fresh);
            return;
        }

        if (_openIndex < 0 || _openKind != kind || fresh)
        {
            CloseOpenBlock();
            OpenBlock(kind, null);
        }

        EmitProse(kind, text);
    }

    private void Hold(BlockKind kind, ReadOnlySpan<char> text, bool fresh)
    {
        if (!fresh && _held.Count > 0 && _held[^1] is { Call: null, Raw: null, Signature: null, Server: null } last && last.Kind == kind)
        {
            last.Text!.Append(text);
            return;
        }

        _held.Add(new HeldItem(kind, new StringBuilder().Append(text)));
    }

    /// <summary>A tool call streams live only when nothing is held before it and no other call is live.</summary>
    private void TryGoLive()
    {
        if (_liveCall is not null || _held.Count == 0 || _held[0].Call is not { Name: not null } head)
        {
            return;
        }

        _held.RemoveAt(0);
        CloseOpenBlock();
        OpenBlock(BlockKind.ToolUse, head);
        _liveCall = head;
        if (head.Arguments.Length > 0)
        {
            EmitArguments(head.Arguments.ToString());
            head.Arguments.Clear();
        }
    }

    private void OpenBlock(BlockKind kind, ToolCall? call)
    {
        _openIndex = _nextIndex++;
        _openKind = kind;
        if (kind == BlockKind.ToolUse)
        {
            // The upstream's own id (or none): the front door maps it to its dialect's id format.
            _anyToolBlock = true;
            _sink.OnBlockStart(_openIndex, kind, call!.Id, call.Name ?? "unknown_tool");
            ToolArguments.Reset();
        }
        else
        {
            _sink.OnBlockStart(_openIndex, kind, null, null);
        }
    }

    private void EmitServerBlock(ContentBlock block)
    {
        ((IServerToolSink)_sink).OnServerBlock(_nextIndex++, block);
    }

    private void EmitProse(BlockKind kind, ReadOnlySpan<char> text)
    {
        _sink.OnDelta(_openIndex, kind == BlockKind.Thinking ? DeltaKind.Thinking : DeltaKind.Text, text);
    }

    /// <summary>Arguments go out while they are a valid JSON-object prefix; the rest waits for the block's end.</summary>
    private void EmitArguments(ReadOnlySpan<char> fragment)
    {
        ToolArguments.Append(fragment);
        SendReadyArguments();
    }

    private void SendReadyArguments()
    {
        if (!ToolArguments.Ready.IsEmpty)
        {
            _sink.OnDelta(_openIndex, DeltaKind.InputJson, ToolArguments.Ready);
            ToolArguments.Consumed();
        }
    }

    private void CloseOpenBlock()
    {
        if (_openIndex < 0)
        {
            return;
        }

        if (_openKind == BlockKind.ToolUse)
        {
            // Clients build the input only from deltas: what closes the object (or all of it) goes out here.
            ToolArguments.Finish();
            SendReadyArguments();
            if (ToolArguments.Repaired)
            {
                ToolArgumentsRepaired?.Invoke();
            }
        }

        _sink.OnBlockStop(_openIndex);
        _openIndex = -1;
        _liveCall = null;
    }

    private Usage EstimatedUsage() =>
        _usage with { OutputTokens = Math.Max(_usage.OutputTokens, (int)Math.Min(int.MaxValue, (_outputChars + 3) / 4)) };

    private sealed class ToolCall
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();
    }

    private readonly record struct HeldItem(ToolCall? Call, BlockKind Kind, StringBuilder? Text)
    {
        /// <summary>A held thinking block's upstream signature.</summary>
        public string? Signature { get; init; }

        /// <summary>A held block Switchboard does not interpret.</summary>
        public RawBlock? Raw { get; init; }

        public HeldItem(RawBlock raw)
            : this(null, BlockKind.Text, null)
        {
            Raw = raw;
        }

        /// <summary>A held server-tool block (<see cref="AppendServerBlock"/>).</summary>
        public ContentBlock? Server { get; init; }

        public HeldItem(ToolCall call)
            : this(call, BlockKind.ToolUse, null)
        {
        }

        public HeldItem(BlockKind kind, StringBuilder text)
            : this(null, kind, text)
        {
        }
    }
}

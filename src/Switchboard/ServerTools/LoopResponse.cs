using Switchboard.Canonical;
using Switchboard.Egress;

namespace Switchboard.ServerTools;

/// <summary>
/// The answer of a request run through the web search loop, read as one upstream answer: each model turn is read
/// into the request's assembler (through a <see cref="TurnSink"/>); a turn that called <c>web_search</c> is followed by
/// a <c>server_tool_use</c> and a result block (<c>web_search_tool_result</c>, <c>web_fetch_tool_result</c>) per call, and the next turn is sent with the
/// results, until a turn calls no search, calls a client tool (<c>tool_use</c>), or the turn limit is reached
/// (<c>pause_turn</c>, as Anthropic ends a long server-tool turn). Usage is summed over the turns.
/// </summary>
internal sealed class LoopResponse(
    ServerToolRun run, IUpstreamResponse first, Func<MessageRequest, bool, CancellationToken, Task<IUpstreamResponse>> send) : IUpstreamResponse
{
    private IUpstreamResponse _current = first;

    public async Task ReadAsync(StreamAssembler target, StreamPacing? pacing, CancellationToken cancellationToken)
    {
        var request = run.First;
        var total = default(Usage);
        var markers = run.Cites ? new CitationMarkers(n => n >= 1 && n <= run.Results.Count) : null;
        for (var turn = 0; ; turn++)
        {
            var sink = new TurnSink(target, turn, run.Offers, markers, run.Results.Cite);
            var assembler = new StreamAssembler(sink);
            await _current.ReadAsync(assembler, pacing, cancellationToken);
            assembler.Complete();
            total = Add(total, assembler.FinalUsage);
            if (sink.Calls.Count == 0)
            {
                target.SetStop(sink.StopReason, sink.StopSequence);
                break;
            }

            var results = new List<ToolResultBlock>(sink.Calls.Count);
            var turnContent = sink.Content.ToList();
            foreach (var (function, callId, arguments) in sink.Calls)
            {
                var id = Ids.New("srvtoolu_");
                target.AppendServerBlock(new ServerToolUseBlock(id, function, Normalized(arguments)));
                if (pacing is not null)
                {
                    await pacing.FlushAsync(cancellationToken);
                }

                var call = run.RunAsync(function, id, arguments, cancellationToken);
                var (block, forModel, failed) = pacing is null ? await call : await pacing.WaitAsync(call, cancellationToken);
                target.AppendServerBlock(block);

                // The model's own call id, when it gave one, answers its call; the client sees the server tool's id.
                var modelId = callId ?? id;
                if (callId is null)
                {
                    var at = turnContent.FindIndex(b => b is ToolUseBlock { Id: "" } use && use.Name == function);
                    if (at >= 0)
                    {
                        turnContent[at] = ((ToolUseBlock)turnContent[at]) with { Id = id };
                    }
                }

                results.Add(new ToolResultBlock(modelId, [new TextBlock(forModel)], failed));
            }

            if (pacing is not null)
            {
                await pacing.FlushAsync(cancellationToken);
            }

            if (sink.HasClientToolCalls || turn + 1 >= run.MaxTurns)
            {
                // The client's own calls end the message (stop reason tool_use); a loop at its limit pauses.
                target.SetStop(StopReason.PauseTurn, null);
                break;
            }

            request = run.Continue(request, turnContent, results);
            var next = send(request, false, cancellationToken);
            var response = pacing is null ? await next : await pacing.WaitAsync(next, cancellationToken);
            _current.Dispose();
            _current = response;
        }

        target.SetUsage(total with { WebSearchRequests = run.Searches, WebFetchRequests = run.Fetches });
    }

    public void Dispose() => _current.Dispose();

    private static Usage Add(Usage a, Usage b) => new(
        a.InputTokens + b.InputTokens,
        a.OutputTokens + b.OutputTokens,
        a.CacheReadInputTokens + b.CacheReadInputTokens,
        a.CacheCreationInputTokens + b.CacheCreationInputTokens,
        a.ReasoningTokens + b.ReasoningTokens);

    /// <summary>The call's input as a JSON object (the client's <c>input</c>); arguments that are not one become <c>{}</c>.</summary>
    private static string Normalized(string arguments)
    {
        try
        {
            using var input = System.Text.Json.JsonDocument.Parse(arguments);
            return input.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object ? input.RootElement.GetRawText() : "{}";
        }
        catch (System.Text.Json.JsonException)
        {
            return "{}";
        }
    }
}

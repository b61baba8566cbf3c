using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.FakeUpstream;

/// <summary><c>POST /v1/chat/completions</c>: records the request and plays the next scripted reply.</summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext http, FakeModelServer server)
    {
        var recorded = await server.RecordAsync(http);
        using var aborted = http.RequestAborted.Register(
            static state => ((RecordedRequest)state!).SetOutcome(RequestOutcome.ClientAborted), recorded);
        try
        {
            await AnswerAsync(http, server, recorded);
            recorded.SetOutcome(RequestOutcome.Completed);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // A write that fails because the peer closed the connection is the client leaving, also when Kestrel
            // has not flagged RequestAborted yet (the registration above is gone once this method unwinds).
            recorded.SetOutcome(RequestOutcome.ClientAborted);
        }
    }

    private static async Task AnswerAsync(HttpContext http, FakeModelServer server, RecordedRequest recorded)
    {
        var body = recorded.Body;
        if (body.ValueKind != JsonValueKind.Object)
        {
            await ErrorReply.WriteAsync(http, new ScriptedError { Status = 400, Message = "Expected a JSON object body." });
            return;
        }

        string model = body.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        if (server.Options.RejectUnknownModels && !server.Options.Models.Contains(model))
        {
            await ErrorReply.WriteAsync(http, new ScriptedError { Status = 404, Message = $"The model `{model}` does not exist." });
            return;
        }

        int promptTokens = server.Options.FixedTokenCount ?? FakeTokenizer.CountRequest(body);
        if (ContextLimit.Check(server.Options, promptTokens, body) is { } tooLong)
        {
            await ErrorReply.WriteAsync(http, tooLong);
            return;
        }

        var reply = server.NextReply();
        if (reply.HeaderDelayMs > 0)
        {
            await Task.Delay(reply.HeaderDelayMs, http.RequestAborted);
        }

        if (reply.ContextLimit is { } window && ContextLimit.Check(window.Flavor, window.Tokens, promptTokens, body) is { } overLimit)
        {
            await ErrorReply.WriteAsync(http, overLimit);
            return;
        }

        if (reply.Fault is { } fault)
        {
            await FaultReply.WriteAsync(http, fault, recorded);
            return;
        }

        if (reply.Error is { } error)
        {
            await ErrorReply.WriteAsync(http, error);
            return;
        }

        if (reply.RawBody is not null)
        {
            await RawReply.WriteAsync(http, reply);
            return;
        }

        if (reply.Logprobs)
        {
            await LogprobsReply.WriteAsync(http, reply, body, recorded.IsStreaming);
            return;
        }

        if (reply.LlamaCppStops)
        {
            await LlamaCppStopReply.WriteAsync(http, reply, body, recorded.IsStreaming);
            return;
        }

        bool includeUsage = body.TryGetProperty("stream_options", out var options) && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("include_usage", out var include) && include.ValueKind == JsonValueKind.True;
        var context = new ReplyContext(recorded, model, includeUsage, promptTokens);
        if (recorded.IsStreaming)
        {
            await StreamingReply.WriteAsync(http, reply, context);
        }
        else
        {
            await CompletionReply.WriteAsync(http, reply, context);
        }
    }
}

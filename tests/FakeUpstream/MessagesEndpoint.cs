using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.FakeUpstream;

/// <summary>
/// <c>POST /v1/messages</c> and <c>/v1/messages/count_tokens</c>: records the request and plays the next scripted
/// Messages reply (see <see cref="ScriptedMessagesReply"/>). The events are written with the exact bytes tests can
/// compare against (<see cref="MessagesWire"/>).
/// </summary>
internal static class MessagesEndpoint
{
    public static async Task HandleAsync(HttpContext http, FakeModelServer server)
    {
        var recorded = await server.RecordAsync(http);
        try
        {
            await AnswerAsync(http, server, recorded);
            recorded.SetOutcome(RequestOutcome.Completed);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            recorded.SetOutcome(RequestOutcome.ClientAborted);
        }
    }

    public static async Task CountTokensAsync(HttpContext http, FakeModelServer server)
    {
        var recorded = await server.RecordAsync(http);
        if (recorded.Body.ValueKind != JsonValueKind.Object || !recorded.Body.TryGetProperty("messages", out _))
        {
            await WriteErrorAsync(http, new ScriptedMessagesError { Status = 400, Type = "invalid_request_error", Message = "messages: Field required" });
            return;
        }

        var tokens = server.Options.FixedTokenCount ?? Math.Max(1, recorded.Body.GetRawText().Length / 4);
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync($"{{\"input_tokens\":{tokens}}}", http.RequestAborted);
        recorded.SetOutcome(RequestOutcome.Completed);
    }

    private static async Task AnswerAsync(HttpContext http, FakeModelServer server, RecordedRequest recorded)
    {
        var body = recorded.Body;
        if (body.ValueKind != JsonValueKind.Object)
        {
            await WriteErrorAsync(http, new ScriptedMessagesError { Status = 400, Type = "invalid_request_error", Message = "Expected a JSON object body." });
            return;
        }

        var model = body.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        if (server.Options.RejectUnknownModels && !server.Options.Models.Contains(model))
        {
            await WriteErrorAsync(http, new ScriptedMessagesError { Status = 404, Type = "not_found_error", Message = $"model: {model}" });
            return;
        }

        var reply = server.NextMessagesReply();
        if (reply.Error is { } error)
        {
            await WriteErrorAsync(http, error);
            return;
        }

        if (reply.RawBody is { } raw)
        {
            http.Response.ContentType = reply.RawContentType;
            await http.Response.WriteAsync(raw, http.RequestAborted);
            return;
        }

        if (recorded.IsStreaming)
        {
            await StreamAsync(http, reply, model, recorded);
        }
        else
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(MessagesWire.Message(reply, model), http.RequestAborted);
        }
    }

    private static async Task StreamAsync(HttpContext http, ScriptedMessagesReply reply, string model, RecordedRequest recorded)
    {
        var response = http.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        await response.StartAsync(http.RequestAborted);
        var sent = 0;
        foreach (var e in MessagesWire.Events(reply, model))
        {
            if (reply.FailAfterEvents is { } after && sent == after)
            {
                if (reply.FailWith is { } failure)
                {
                    await response.WriteAsync(MessagesWire.ErrorEvent(failure), http.RequestAborted);
                    return;
                }

                // A reset arriving with unread bytes discards them: give the reader time to take what was sent.
                await response.Body.FlushAsync(http.RequestAborted);
                await Task.Delay(300, http.RequestAborted);
                recorded.SetOutcome(RequestOutcome.ServerAborted);
                http.Abort();
                return;
            }

            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(e), http.RequestAborted);
            await response.Body.FlushAsync(http.RequestAborted);
            sent++;
            if (reply.EventDelayMs > 0)
            {
                await Task.Delay(reply.EventDelayMs, http.RequestAborted);
            }
        }
    }

    private static Task WriteErrorAsync(HttpContext http, ScriptedMessagesError error)
    {
        http.Response.StatusCode = error.Status;
        http.Response.ContentType = "application/json";
        if (error.RetryAfter is { } retryAfter)
        {
            http.Response.Headers["retry-after"] = retryAfter;
        }

        return http.Response.WriteAsync(MessagesWire.ErrorBody(error), http.RequestAborted);
    }
}

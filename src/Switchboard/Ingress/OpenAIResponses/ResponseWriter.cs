using System.Text;
using Switchboard.Canonical;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// Writes a whole answer as a Response object: each canonical block becomes one output item in order (thinking a
/// <c>reasoning</c> item, text a <c>message</c>, a tool call a <c>function_call</c> or <c>custom_tool_call</c>), the
/// same items the stream's <c>output_item.done</c> events carry. A budget that ran out makes it <c>incomplete</c>.
/// </summary>
internal static class ResponseWriter
{
    /// <summary>The response object's JSON.</summary>
    public static byte[] Write(MessageResponse message, ResponsesRequestInfo info, ReasoningSeal seal, long createdAt, long completedAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        var items = new List<byte[]>(message.Content.Count);
        StringBuilder? outputText = null;
        long thinkingCharacters = 0;
        foreach (var block in message.Content)
        {
            switch (block)
            {
                case ThinkingBlock thinking:
                    thinkingCharacters += thinking.Thinking.Length;
                    var sealedThinking = ReasoningItems.Sealed(seal, info, thinking.Thinking, thinking.Signature);
                    items.Add(OutputItemWriter.Capture(w =>
                        OutputItemWriter.WriteReasoning(w, ResponsesIds.Reasoning(), thinking.Thinking, info.ReasoningAsSummary, sealedThinking, completed: true)));
                    break;
                case TextBlock text:
                    (outputText ??= new StringBuilder()).Append(text.Text);
                    items.Add(OutputItemWriter.Capture(w => OutputItemWriter.WriteMessage(w, ResponsesIds.Message(), text.Text, completed: true)));
                    break;
                case ToolUseBlock call:
                    var tool = info.ToolFor(call.Name);
                    var arguments = call.InputJson.Length == 0 ? "{}" : call.InputJson;
                    var payload = tool.Freeform ? OutputItemWriter.UnwrapFreeform(arguments) : arguments;
                    var id = tool.Freeform ? ResponsesIds.CustomToolCall() : ResponsesIds.FunctionCall();
                    items.Add(OutputItemWriter.Capture(w => OutputItemWriter.WriteCall(w, id, ResponsesIds.Call(call.Id), tool, payload, completed: true)));
                    break;
                default:
                    // Redacted thinking has no text to show; nothing else reaches an answer.
                    break;
            }
        }

        var incomplete = message.StopReason is StopReason.MaxTokens or StopReason.ModelContextWindowExceeded;
        var state = incomplete
            ? new ResponseState("incomplete") { IncompleteReason = "max_output_tokens" }
            : ResponseState.Completed with { CompletedAt = completedAt };
        var reasoningTokens = ResponseObjectWriter.ReasoningTokens(thinkingCharacters, message.Usage);
        return OutputItemWriter.Capture(w =>
            ResponseObjectWriter.Write(w, info, ResponsesIds.Response(message.Id), createdAt, state, items, outputText?.ToString() ?? "", message.Usage, reasoningTokens));
    }
}

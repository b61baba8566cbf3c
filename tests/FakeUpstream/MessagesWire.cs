using System.Text.Json;

namespace Switchboard.FakeUpstream;

/// <summary>
/// The exact bytes of a scripted Messages answer: the events of a stream (each <c>event: …\ndata: …\n\n</c>) and a
/// whole message. Public so tests can compare what the client received with what the upstream sent, byte for byte.
/// </summary>
public static class MessagesWire
{
    public static IEnumerable<string> Events(ScriptedMessagesReply reply, string model)
    {
        ArgumentNullException.ThrowIfNull(reply);
        yield return Event("message_start", Json(w =>
        {
            w.WriteString("type", "message_start");
            w.WritePropertyName("message");
            w.WriteStartObject();
            w.WriteString("id", reply.Id);
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", model);
            w.WriteStartArray("content");
            w.WriteEndArray();
            w.WriteNull("stop_reason");
            w.WriteNull("stop_sequence");
            Usage(w, reply, output: 1);
            w.WriteEndObject();
        }));
        yield return Event("ping", "{\"type\": \"ping\"}");
        for (var index = 0; index < reply.Blocks.Count; index++)
        {
            var block = reply.Blocks[index];
            var i = index;
            yield return Event("content_block_start", Json(w =>
            {
                w.WriteString("type", "content_block_start");
                w.WriteNumber("index", i);
                w.WritePropertyName("content_block");
                StartBlock(w, block);
            }));
            foreach (var delta in Deltas(block, reply.ChunkSize))
            {
                yield return Event("content_block_delta", Json(w =>
                {
                    w.WriteString("type", "content_block_delta");
                    w.WriteNumber("index", i);
                    w.WritePropertyName("delta");
                    w.WriteStartObject();
                    w.WriteString("type", delta.Type);
                    w.WriteString(delta.Field, delta.Value);
                    w.WriteEndObject();
                }));
            }

            yield return Event("content_block_stop", $"{{\"type\":\"content_block_stop\",\"index\":{i}}}");
        }

        yield return Event("message_delta", Json(w =>
        {
            w.WriteString("type", "message_delta");
            w.WritePropertyName("delta");
            w.WriteStartObject();
            w.WriteString("stop_reason", reply.StopReason);
            w.WriteString("stop_sequence", reply.StopSequence);
            w.WriteEndObject();
            w.WritePropertyName("usage");
            w.WriteStartObject();
            w.WriteNumber("output_tokens", reply.OutputTokens);
            w.WriteEndObject();
        }));
        yield return Event("message_stop", "{\"type\":\"message_stop\"}");
    }

    public static string Message(ScriptedMessagesReply reply, string model)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return Json(w =>
        {
            w.WriteString("id", reply.Id);
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", model);
            w.WriteStartArray("content");
            foreach (var block in reply.Blocks)
            {
                if (block.Type == "raw")
                {
                    w.WriteRawValue(block.Json!);
                    continue;
                }

                w.WriteStartObject();
                w.WriteString("type", block.Type);
                switch (block.Type)
                {
                    case "thinking":
                        w.WriteString("thinking", block.Text);
                        w.WriteString("signature", block.Signature ?? "");
                        break;
                    case "redacted_thinking":
                        w.WriteString("data", block.Text);
                        break;
                    case "tool_use" or "server_tool_use":
                        w.WriteString("id", block.Id);
                        w.WriteString("name", block.Name);
                        w.WritePropertyName("input");
                        w.WriteRawValue(block.Text);
                        break;
                    default:
                        w.WriteString("text", block.Text);
                        break;
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("stop_reason", reply.StopReason);
            w.WriteString("stop_sequence", reply.StopSequence);
            Usage(w, reply, reply.OutputTokens);
        });
    }

    public static string ErrorBody(ScriptedMessagesError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Json(w =>
        {
            w.WriteString("type", "error");
            w.WritePropertyName("error");
            w.WriteStartObject();
            w.WriteString("type", error.Type);
            w.WriteString("message", error.Message);
            w.WriteEndObject();
        });
    }

    public static string ErrorEvent(ScriptedMessagesError error) => Event("error", ErrorBody(error));

    private static string Event(string name, string data) => $"event: {name}\ndata: {data}\n\n";

    private static void Usage(Utf8JsonWriter w, ScriptedMessagesReply reply, int output)
    {
        w.WritePropertyName("usage");
        w.WriteStartObject();
        w.WriteNumber("input_tokens", reply.InputTokens);
        w.WriteNumber("cache_creation_input_tokens", reply.CacheWriteTokens);
        w.WriteNumber("cache_read_input_tokens", reply.CacheReadTokens);
        w.WriteNumber("output_tokens", output);
        w.WriteEndObject();
    }

    private static void StartBlock(Utf8JsonWriter w, ScriptedBlock block)
    {
        if (block.Type == "raw")
        {
            w.WriteRawValue(block.Json!);
            return;
        }

        w.WriteStartObject();
        w.WriteString("type", block.Type);
        switch (block.Type)
        {
            case "thinking":
                w.WriteString("thinking", "");
                w.WriteString("signature", "");
                break;
            case "redacted_thinking":
                w.WriteString("data", block.Text);
                break;
            case "tool_use" or "server_tool_use":
                w.WriteString("id", block.Id);
                w.WriteString("name", block.Name);
                w.WritePropertyName("input");
                w.WriteStartObject();
                w.WriteEndObject();
                break;
            default:
                w.WriteString("text", "");
                break;
        }

        w.WriteEndObject();
    }

    private static IEnumerable<(string Type, string Field, string Value)> Deltas(ScriptedBlock block, int chunkSize)
    {
        var (type, field) = block.Type switch
        {
            "text" => ("text_delta", "text"),
            "thinking" => ("thinking_delta", "thinking"),
            "tool_use" or "server_tool_use" => ("input_json_delta", "partial_json"),
            _ => (null, null),
        };
        if (type is null)
        {
            yield break;
        }

        var size = chunkSize > 0 ? chunkSize : int.MaxValue;
        for (var at = 0; at < block.Text.Length; at += size)
        {
            yield return (type, field!, block.Text.Substring(at, Math.Min(size, block.Text.Length - at)));
        }

        if (block.Type == "thinking" && block.Signature is { } signature)
        {
            yield return ("signature_delta", "signature", signature);
        }
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}

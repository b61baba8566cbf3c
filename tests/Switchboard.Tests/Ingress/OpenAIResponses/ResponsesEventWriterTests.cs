using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Ingress.OpenAIResponses;
using Switchboard.Pipeline;
using static Switchboard.Tests.Ingress.OpenAIResponses.ResponsesBodies;

namespace Switchboard.Tests.Ingress.OpenAIResponses;

/// <summary>
/// The Responses stream writer, driven through <see cref="StreamAssembler"/> as the pipeline drives it, checked
/// against the rules the openai npm SDK's stream helper enforces (it throws on an unannounced item or part), and the
/// whole-answer writer producing the same items.
/// </summary>
public sealed class ResponsesEventWriterTests
{
    private const string Tools = """
        'tools':[{'type':'function','name':'get_weather'},{'type':'custom','name':'apply_patch'},
                 {'type':'namespace','name':'agents','description':'','tools':[{'type':'function','name':'close_agent'}]}]
        """;

    [Fact]
    public void A_full_answer_streams_in_the_order_the_strict_clients_enforce()
    {
        var info = Read(With("'Hi'", "'reasoning':{'summary':'auto'},'include':['reasoning.encrypted_content']," + Tools)).Info;

        var (events, finished) = Stream(info, a =>
        {
            a.AppendThinking("Plan: ");
            a.AppendThinking("call tools.");
            a.AppendText("Checking.");
            a.AppendToolCall(0, "chatcmpl-tool-1", "get_weather", "{\"city\":");
            a.AppendToolCall(0, null, null, "\"Oslo\"}");
            a.AppendToolCall(1, "t2", "apply_patch", "{\"input\":\"*** Begin\\n\"}");
            a.AppendToolCall(2, "t3", "agents__close_agent", "{}");
            a.SetUsage(new Usage(10, 20, 5, 0));
        });

        CheckOrder(events);
        Assert.Equal(
            ["response.created", "response.in_progress",
             "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
             "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
             "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.done", "response.content_part.done", "response.output_item.done",
             "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
             "response.output_item.added", "response.custom_tool_call_input.delta", "response.custom_tool_call_input.done", "response.output_item.done",
             "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
             "response.completed"],
            events.Select(e => e.Type));
        var response = events[^1].Data.GetProperty("response");
        var output = response.GetProperty("output");
        Assert.Equal("Plan: call tools.", output[0].GetProperty("summary")[0].GetProperty("text").GetString());
        Assert.Equal("Plan: call tools.", Seal.Open(output[0].GetProperty("encrypted_content").GetString()));
        Assert.Equal(("call_chatcmpl-tool-1", "{\"city\":\"Oslo\"}"), (output[2].GetProperty("call_id").GetString(), output[2].GetProperty("arguments").GetString()));
        Assert.Equal(("custom_tool_call", "*** Begin\n"), (output[3].GetProperty("type").GetString(), output[3].GetProperty("input").GetString()));
        Assert.Equal(("close_agent", "agents"), (output[4].GetProperty("name").GetString(), output[4].GetProperty("namespace").GetString()));
        Assert.Equal("Checking.", response.GetProperty("output_text").GetString());
        var usage = response.GetProperty("usage");
        Assert.Equal((15, 20, 35, 5), (usage.GetProperty("input_tokens").GetInt32(), usage.GetProperty("output_tokens").GetInt32(),
            usage.GetProperty("total_tokens").GetInt32(), usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32()));
        Assert.Equal(5, usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        Assert.Equal(response.GetRawText(), Encoding.UTF8.GetString(finished!));
    }

    [Fact]
    public void Without_a_summary_asked_reasoning_streams_as_raw_reasoning_text_content()
    {
        var info = Read(With("'Hi'")).Info;

        var (events, _) = Stream(info, a =>
        {
            a.AppendThinking("Raw.");
            a.AppendText("Hi");
        });

        CheckOrder(events);
        Assert.Equal(["response.output_item.added", "response.content_part.added", "response.reasoning_text.delta", "response.reasoning_text.done", "response.content_part.done", "response.output_item.done"],
            events.Skip(2).Take(6).Select(e => e.Type));
        var reasoning = events[^1].Data.GetProperty("response").GetProperty("output")[0];
        Assert.Equal("Raw.", reasoning.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, reasoning.GetProperty("encrypted_content").ValueKind);
    }

    [Fact]
    public void A_failure_midway_is_an_error_event_then_response_failed_and_the_open_item_is_not_closed()
    {
        var info = Read(With("'Hi'")).Info;

        var (events, finished) = Stream(info, a =>
        {
            a.AppendText("Half");
            a.Fail(new ApiError(ApiErrorKind.RateLimit, "Slow down. Please try again in 3s."));
        }, complete: false);

        Assert.Equal(["response.output_text.delta", "error", "response.failed"], events[^3..].Select(e => e.Type));
        Assert.DoesNotContain(events, e => e.Type == "response.output_item.done");
        Assert.Equal("rate_limit_exceeded", events[^2].Data.GetProperty("error").GetProperty("code").GetString());
        var failed = events[^1].Data.GetProperty("response");
        Assert.Equal(("failed", "rate_limit_exceeded"), (failed.GetProperty("status").GetString(), failed.GetProperty("error").GetProperty("code").GetString()));
        Assert.Null(finished);
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
    }

    [Fact]
    public void Keepalives_are_events_with_sequence_numbers()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ResponsesEventWriter(buffer, Read(With("'Hi'")).Info, Seal, 1, () => 2);
        writer.OnMessageStart("msg_1", "m", default);
        writer.OnPing();

        var events = Parse(buffer);

        Assert.Equal(("keepalive", 2), (events[^1].Type, events[^1].Data.GetProperty("sequence_number").GetInt32()));
        Assert.Equal("resp_1", events[0].Data.GetProperty("response").GetProperty("id").GetString());
    }

    [Fact]
    public void The_whole_answer_has_the_same_items_and_an_incomplete_status_when_the_budget_ran_out()
    {
        var info = Read(With("'Hi'", "'reasoning':{'summary':'detailed'},'include':['reasoning.encrypted_content']," + Tools)).Info;
        var message = new MessageResponse
        {
            Id = "msg_abc",
            Model = "m",
            Content = [new ThinkingBlock("Think.", "sig"), new TextBlock("Part"), new ToolUseBlock("x:1", "agents__close_agent", "{}")],
            StopReason = StopReason.MaxTokens,
            Usage = new Usage(3, 4, 0, 0),
        };

        using var document = JsonDocument.Parse(ResponseWriter.Write(message, info, Seal, 100, 101));
        var response = document.RootElement;

        Assert.Equal(("resp_abc", "incomplete", "max_output_tokens"), (response.GetProperty("id").GetString(), response.GetProperty("status").GetString(),
            response.GetProperty("incomplete_details").GetProperty("reason").GetString()));
        var output = response.GetProperty("output");
        Assert.Equal(["reasoning", "message", "function_call"], output.EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("Think.", Seal.Open(output[0].GetProperty("encrypted_content").GetString()));
        Assert.Equal(("call_x_1", "close_agent", "agents"), (output[2].GetProperty("call_id").GetString(), output[2].GetProperty("name").GetString(), output[2].GetProperty("namespace").GetString()));
        Assert.Equal(7, response.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void A_reasoning_item_written_and_read_back_is_signed_thinking_that_the_replay_filter_keeps()
    {
        var info = Read(With("'Hi'", "'include':['reasoning.encrypted_content']")).Info;
        var (events, _) = Stream(info, a =>
        {
            a.AppendThinking("Greet them.");
            a.AppendText("Hello!");
        });
        var output = events[^1].Data.GetProperty("response").GetProperty("output");

        var replay = Request(With($"[{{'role':'user','content':'Hi'}},{output[0].GetRawText().Replace('"', '\'')},{output[1].GetRawText().Replace('"', '\'')},{{'role':'user','content':'Again'}}]"));

        var assistant = replay.Messages[1];
        var thinking = Assert.IsType<ThinkingBlock>(assistant.Content[0]);
        Assert.Equal(("Greet them.", false), (thinking.Thinking, thinking.Unsigned));
        Assert.Same(replay.Messages, ThinkingReplay.KeepOwn(replay.Messages, Key, out _));
        Assert.Equal("Hello!", Assert.IsType<TextBlock>(assistant.Content[1]).Text);
    }

    private static (List<(string Type, JsonElement Data)> Events, byte[]? Finished) Stream(ResponsesRequestInfo info, Action<StreamAssembler> feed, bool complete = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        byte[]? finished = null;
        var writer = new ResponsesEventWriter(buffer, info, Seal, 1764500000, () => 1764500002, (_, json, _) => finished = json);
        var assembler = new StreamAssembler(writer);
        assembler.Start("msg_test", "m", new Usage(10, 1, 0, 0));
        feed(assembler);
        if (complete)
        {
            assembler.Complete();
        }

        return (Parse(buffer), finished);
    }

    private static List<(string Type, JsonElement Data)> Parse(ArrayBufferWriter<byte> buffer)
    {
        var events = new List<(string, JsonElement)>();
        foreach (var block in Encoding.UTF8.GetString(buffer.WrittenSpan).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone();
            Assert.Equal(lines[0]["event: ".Length..], data.GetProperty("type").GetString());
            events.Add((data.GetProperty("type").GetString()!, data));
        }

        return events;
    }

    /// <summary>
    /// The openai npm SDK's accumulator rules: created first; sequence numbers 0, 1, 2 …; items one at a time, each
    /// announced before its parts and deltas, parts announced before their deltas; the final output = the done items.
    /// </summary>
    private static void CheckOrder(List<(string Type, JsonElement Data)> events)
    {
        Assert.Equal("response.created", events[0].Type);
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
        var done = new List<string>();
        int? open = null;
        string? openId = null;
        var parts = new HashSet<string>();
        foreach (var (type, data) in events.Skip(1))
        {
            if (type == "response.output_item.added")
            {
                Assert.Null(open);
                open = data.GetProperty("output_index").GetInt32();
                Assert.Equal(done.Count, open);
                openId = data.GetProperty("item").GetProperty("id").GetString();
                Assert.Equal("in_progress", data.GetProperty("item").GetProperty("status").GetString());
                parts.Clear();
            }
            else if (type == "response.output_item.done")
            {
                Assert.Equal(open, data.GetProperty("output_index").GetInt32());
                Assert.Equal(openId, data.GetProperty("item").GetProperty("id").GetString());
                Assert.Equal("completed", data.GetProperty("item").GetProperty("status").GetString());
                done.Add(data.GetProperty("item").GetRawText());
                open = null;
            }
            else if (type is "response.content_part.added" or "response.reasoning_summary_part.added")
            {
                Assert.Equal(open, data.GetProperty("output_index").GetInt32());
                parts.Add(type.Contains("summary", StringComparison.Ordinal) ? "summary" : "content");
            }
            else if (type.StartsWith("response.output_text", StringComparison.Ordinal) || type.StartsWith("response.reasoning_text", StringComparison.Ordinal))
            {
                Assert.Contains("content", parts);
                Assert.Equal(open, data.GetProperty("output_index").GetInt32());
                Assert.Equal(openId, data.GetProperty("item_id").GetString());
            }
            else if (type.StartsWith("response.reasoning_summary_text", StringComparison.Ordinal))
            {
                Assert.Contains("summary", parts);
                Assert.Equal(open, data.GetProperty("output_index").GetInt32());
            }
            else if (type.StartsWith("response.function_call_arguments", StringComparison.Ordinal) || type.StartsWith("response.custom_tool_call_input", StringComparison.Ordinal))
            {
                Assert.Equal(open, data.GetProperty("output_index").GetInt32());
                Assert.Equal(openId, data.GetProperty("item_id").GetString());
            }
        }

        Assert.Null(open);
        var final = events[^1].Data.GetProperty("response").GetProperty("output").EnumerateArray().Select(i => i.GetRawText());
        Assert.Equal(done, final);
    }
}

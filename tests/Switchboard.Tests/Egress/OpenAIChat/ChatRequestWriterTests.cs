using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Routing;
using static Switchboard.Tests.Egress.OpenAIChat.TestRoutes;

namespace Switchboard.Tests.Egress.OpenAIChat;

public sealed class ChatRequestWriterTests
{
    [Fact]
    public void Writes_model_max_tokens_and_only_the_sampling_fields_that_are_set()
    {
        var request = new MessageRequest
        {
            Model = "claude-test",
            MaxTokens = 321,
            Messages = [User(Text("hi"))],
            Temperature = 0.5,
            TopK = 40,
            StopSequences = ["END", "STOP"],
            UserId = "user-7",
        };

        var body = Write(request);

        Assert.Equal("upstream-model", body.GetProperty("model").GetString());
        Assert.Equal(321, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(0.5, body.GetProperty("temperature").GetDouble());
        Assert.Equal(40, body.GetProperty("top_k").GetInt32());
        Assert.False(body.TryGetProperty("top_p", out _));
        Assert.Equal(["END", "STOP"], body.GetProperty("stop").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("user-7", body.GetProperty("user").GetString());
        Assert.False(body.TryGetProperty("stream", out _));
        Assert.False(body.TryGetProperty("tools", out _));
    }

    [Fact]
    public void Omits_unset_sampling_stop_and_user()
    {
        var body = Write(Request(User(Text("hi"))));

        foreach (var name in new[] { "temperature", "top_p", "top_k", "stop", "user", "reasoning_effort", "chat_template_kwargs" })
        {
            Assert.False(body.TryGetProperty(name, out _), name);
        }
    }

    [Fact]
    public void Streaming_asks_for_usage_in_the_stream()
    {
        var body = Write(Request(User(Text("hi"))), stream: true);

        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public void System_prompt_is_the_first_message()
    {
        var request = new MessageRequest { Model = "m", MaxTokens = 10, System = "Be brief.", Messages = [User(Text("hi"))] };

        var messages = Messages(Write(request));

        Assert.Equal([("system", "Be brief."), ("user", "hi")], messages.Select(m => (Role(m), Content(m))));
    }

    [Fact]
    public void User_text_blocks_are_joined_with_newlines_into_one_string()
    {
        var messages = Messages(Write(Request(User(Text("one"), Text("two")))));

        Assert.Equal("one\ntwo", Assert.Single(messages).GetProperty("content").GetString());
    }

    [Fact]
    public void Inline_system_turns_become_user_text_merged_with_the_neighbouring_user_turns()
    {
        var request = new MessageRequest
        {
            Model = "m",
            MaxTokens = 10,
            System = "Top.",
            Messages =
            [
                InlineSystem("Context A."),
                User(Text("hi")),
                Assistant(Text("hello")),
                User(Text("next")),
                InlineSystem("Reminder B."),
            ],
        };

        var messages = Messages(Write(request));

        Assert.Equal(
            [("system", "Top."), ("user", "Context A.\nhi"), ("assistant", "hello"), ("user", "next\nReminder B.")],
            messages.Select(m => (Role(m), Content(m))));
    }

    [Fact]
    public void Tool_results_come_first_and_failed_ones_say_so()
    {
        var request = Request(
            User(Text("run both")),
            Assistant(new ToolUseBlock("call_1", "read", """{"path":"a"}"""), new ToolUseBlock("call_2", "read", """{"path":"b"}""")),
            User(
                Text("thanks"),
                new ToolResultBlock("call_1", [Text("contents of a")], IsError: false),
                new ToolResultBlock("call_2", [Text("no such file")], IsError: true)));

        var messages = Messages(Write(request));

        Assert.Equal(
            ["user", "assistant", "tool", "tool", "user"],
            messages.Select(Role));
        Assert.Equal("call_1", messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("contents of a", Content(messages[2]));
        Assert.Equal("call_2", messages[3].GetProperty("tool_call_id").GetString());
        Assert.Equal("Error: no such file", Content(messages[3]));
        Assert.Equal("thanks", Content(messages[4]));
    }

    [Fact]
    public void A_failed_tool_without_text_still_reads_as_an_error()
    {
        var request = Request(
            Assistant(new ToolUseBlock("call_1", "ping", "{}")),
            User(new ToolResultBlock("call_1", [], IsError: true)));

        Assert.Equal("Error", Content(Messages(Write(request))[1]));
    }

    [Fact]
    public void Inline_system_text_between_a_tool_call_and_its_result_moves_after_the_result()
    {
        var request = Request(
            User(Text("go")),
            Assistant(new ToolUseBlock("call_1", "ls", "{}")),
            InlineSystem("Files changed."),
            User(new ToolResultBlock("call_1", [Text("a.txt")], IsError: false)));

        var messages = Messages(Write(request));

        Assert.Equal(
            [("user", "go"), ("assistant", ""), ("tool", "a.txt"), ("user", "Files changed.")],
            messages.Select(m => (Role(m), Content(m))));
    }

    [Theory]
    [InlineData("image/png", "iVBORw0KGgo=", null, "data:image/png;base64,iVBORw0KGgo=")]
    [InlineData(null, null, "https://example.com/cat.jpg", "https://example.com/cat.jpg")]
    public void Images_become_image_url_parts(string? mediaType, string? data, string? url, string expectedUrl)
    {
        var messages = Messages(Write(Request(User(Text("what is this?"), new ImageBlock(mediaType, data, url)))));

        var parts = Assert.Single(messages).GetProperty("content");
        Assert.Equal(JsonValueKind.Array, parts.ValueKind);
        Assert.Equal("text", parts[0].GetProperty("type").GetString());
        Assert.Equal("what is this?", parts[0].GetProperty("text").GetString());
        Assert.Equal("image_url", parts[1].GetProperty("type").GetString());
        Assert.Equal(expectedUrl, parts[1].GetProperty("image_url").GetProperty("url").GetString());
    }

    [Fact]
    public void Images_in_a_tool_result_follow_in_one_user_message_with_the_users_text()
    {
        var request = Request(
            Assistant(new ToolUseBlock("call_1", "screenshot", "{}")),
            User(
                new ToolResultBlock("call_1", [Text("captured"), new ImageBlock("image/jpeg", "AAAA", null)], IsError: false),
                Text("see above")));

        var messages = Messages(Write(request));

        Assert.Equal(["assistant", "tool", "user"], messages.Select(Role));
        Assert.Equal("captured", Content(messages[1]));
        var parts = messages[2].GetProperty("content");
        Assert.Equal(2, parts.GetArrayLength());
        Assert.Equal("data:image/jpeg;base64,AAAA", parts[0].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("see above", parts[1].GetProperty("text").GetString());
    }

    [Fact]
    public void Assistant_turn_carries_reasoning_and_tool_calls_and_drops_redacted_thinking()
    {
        var request = Request(
            User(Text("weather?")),
            Assistant(
                new ThinkingBlock("Need the tool.", "sig"),
                new RedactedThinkingBlock("opaque"),
                new ThinkingBlock("City is Paris.", "sig"),
                new ToolUseBlock("toolu_1", "get_weather", """{"city":"Paris"}""")),
            User(new ToolResultBlock("toolu_1", [Text("sunny")], IsError: false)));

        var assistant = Messages(Write(request))[1];

        Assert.Equal("", assistant.GetProperty("content").GetString());
        Assert.Equal("Need the tool.\nCity is Paris.", assistant.GetProperty("reasoning_content").GetString());
        Assert.DoesNotContain("opaque", assistant.GetRawText(), StringComparison.Ordinal);
        var call = Assert.Single(assistant.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("toolu_1", call.GetProperty("id").GetString());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", call.GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public void Assistant_text_only_turn_has_no_reasoning_or_tool_calls()
    {
        var assistant = Messages(Write(Request(User(Text("hi")), Assistant(Text("a"), Text("b")), User(Text("more")))))[1];

        Assert.Equal("a\nb", assistant.GetProperty("content").GetString());
        Assert.False(assistant.TryGetProperty("reasoning_content", out _));
        Assert.False(assistant.TryGetProperty("tool_calls", out _));
    }

    [Fact]
    public void Tools_become_functions_and_a_schema_without_type_gets_object()
    {
        var request = new MessageRequest
        {
            Model = "m",
            MaxTokens = 10,
            Messages = [User(Text("hi"))],
            Tools =
            [
                new ToolDefinition("search", "Searches the web.", Schema("""{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}""")),
                new ToolDefinition("noop", null, Schema("""{"properties":{"x":{"type":"integer"}}}""")),
            ],
        };

        var tools = Write(request).GetProperty("tools");

        Assert.Equal(2, tools.GetArrayLength());
        var search = tools[0];
        Assert.Equal("function", search.GetProperty("type").GetString());
        Assert.Equal("search", search.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("Searches the web.", search.GetProperty("function").GetProperty("description").GetString());
        Assert.Equal("q", search.GetProperty("function").GetProperty("parameters").GetProperty("required")[0].GetString());
        var noop = tools[1].GetProperty("function");
        Assert.False(noop.TryGetProperty("description", out _));
        Assert.Equal("object", noop.GetProperty("parameters").GetProperty("type").GetString());
        Assert.Equal("integer", noop.GetProperty("parameters").GetProperty("properties").GetProperty("x").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(ToolChoiceKind.Auto, "\"auto\"")]
    [InlineData(ToolChoiceKind.Any, "\"required\"")]
    [InlineData(ToolChoiceKind.None, "\"none\"")]
    [InlineData(ToolChoiceKind.Tool, """{"type":"function","function":{"name":"search"}}""")]
    public void Tool_choice_maps_to_the_openai_form(ToolChoiceKind kind, string expected)
    {
        var body = Write(WithTools(new ToolChoice(kind, kind == ToolChoiceKind.Tool ? "search" : null, DisableParallelToolUse: false)));

        Assert.Equal(expected, body.GetProperty("tool_choice").GetRawText());
        Assert.False(body.TryGetProperty("parallel_tool_calls", out _));
    }

    [Fact]
    public void Disabling_parallel_tool_use_sets_parallel_tool_calls_false()
    {
        var body = Write(WithTools(new ToolChoice(ToolChoiceKind.Auto, null, DisableParallelToolUse: true)));

        Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
    }

    [Fact]
    public void Tool_choice_is_left_out_when_there_are_no_tools()
    {
        var request = new MessageRequest
        {
            Model = "m",
            MaxTokens = 10,
            Messages = [User(Text("hi"))],
            ToolChoice = new ToolChoice(ToolChoiceKind.Any, null, DisableParallelToolUse: true),
        };

        var body = Write(request);

        Assert.False(body.TryGetProperty("tool_choice", out _));
        Assert.False(body.TryGetProperty("parallel_tool_calls", out _));
    }

    [Theory]
    [InlineData(null, null, "low", "low")]
    [InlineData(null, null, "medium", "medium")]
    [InlineData(null, null, "high", "high")]
    [InlineData(null, null, "xhigh", "high")]
    [InlineData(null, null, "max", "high")]
    [InlineData(ThinkingMode.Enabled, 1024, null, "low")]
    [InlineData(ThinkingMode.Enabled, 4096, null, "medium")]
    [InlineData(ThinkingMode.Enabled, 16383, null, "medium")]
    [InlineData(ThinkingMode.Enabled, 16384, null, "high")]
    [InlineData(ThinkingMode.Enabled, 1024, "high", "high")]
    [InlineData(ThinkingMode.Adaptive, null, "medium", "medium")]
    [InlineData(ThinkingMode.Adaptive, null, null, null)]
    [InlineData(ThinkingMode.Disabled, null, "high", null)]
    [InlineData(null, null, null, null)]
    public void Reasoning_effort_follows_thinking_and_effort(ThinkingMode? mode, int? budget, string? effort, string? expected)
    {
        var body = Write(Thinking(mode, budget, effort));

        Assert.Equal(expected, body.TryGetProperty("reasoning_effort", out var value) ? value.GetString() : null);
    }

    [Fact]
    public void Reasoning_effort_is_not_sent_to_models_that_do_not_take_it()
    {
        var body = Write(Thinking(ThinkingMode.Enabled, 20000, "high"), new ModelOptions { Name = "m", ReasoningEffort = false });

        Assert.False(body.TryGetProperty("reasoning_effort", out _));
    }

    [Theory]
    [InlineData(ThinkingMode.Enabled, true)]
    [InlineData(ThinkingMode.Adaptive, true)]
    [InlineData(ThinkingMode.Disabled, false)]
    public void The_thinking_switch_goes_to_chat_template_kwargs(ThinkingMode mode, bool expected)
    {
        var model = new ModelOptions { Name = "qwen3", ThinkingSwitch = "enable_thinking" };

        var body = Write(Thinking(mode, mode == ThinkingMode.Enabled ? 2048 : null, null), model);

        Assert.Equal(expected, body.GetProperty("chat_template_kwargs").GetProperty("enable_thinking").GetBoolean());
    }

    [Fact]
    public void The_thinking_switch_is_left_out_when_the_request_does_not_mention_thinking()
    {
        var model = new ModelOptions { Name = "qwen3", ThinkingSwitch = "enable_thinking" };

        Assert.False(Write(Thinking(null, null, "high"), model).TryGetProperty("chat_template_kwargs", out _));
    }

    [Fact]
    public void Non_ascii_text_is_written_as_utf8_not_escaped()
    {
        var buffer = new ArrayBufferWriter<byte>();
        ChatRequestWriter.Write(buffer, Request(User(Text("héllo 世界 <b>"))), Route(), stream: false);

        Assert.Contains("héllo 世界 <b>", Encoding.UTF8.GetString(buffer.WrittenSpan), StringComparison.Ordinal);
    }

    private static MessageRequest WithTools(ToolChoice choice) => new()
    {
        Model = "m",
        MaxTokens = 10,
        Messages = [User(Text("hi"))],
        Tools = [new ToolDefinition("search", null, Schema("""{"type":"object"}"""))],
        ToolChoice = choice,
    };

    private static MessageRequest Thinking(ThinkingMode? mode, int? budget, string? effort) => new()
    {
        Model = "m",
        MaxTokens = 10,
        Messages = [User(Text("hi"))],
        Thinking = mode is { } m ? new ThinkingConfig(m, budget) : null,
        Effort = effort,
    };

    private static JsonElement Write(MessageRequest request, ModelOptions? model = null, bool stream = false) =>
        Write(request, Route(model), stream);

    private static JsonElement Write(MessageRequest request, ModelRoute route, bool stream)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ChatRequestWriter.Write(buffer, request, route, stream);
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    private static List<JsonElement> Messages(JsonElement body) => [.. body.GetProperty("messages").EnumerateArray()];

    private static string? Role(JsonElement message) => message.GetProperty("role").GetString();

    private static string? Content(JsonElement message) => message.GetProperty("content").GetString();
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Routing;
using static Switchboard.Tests.Egress.OpenAIChat.TestRoutes;

namespace Switchboard.Tests.Egress.OpenAIChat;

/// <summary>The request fields Chat Completions clients add to the canonical request: formats, sampling extras, pass-through.</summary>
public sealed class ChatRequestWriterExtrasTests
{
    [Fact]
    public void Without_a_budget_no_max_tokens_is_sent()
    {
        var body = Write(Request(User(Text("hi"))) with { MaxTokens = null });

        Assert.False(body.TryGetProperty("max_tokens", out _));
        Assert.False(body.TryGetProperty("max_completion_tokens", out _));
    }

    [Fact]
    public void A_json_schema_format_is_written_with_its_name_description_schema_and_strictness()
    {
        var request = Request(User(Text("hi"))) with
        {
            ResponseFormat = new ResponseFormat(ResponseFormatKind.JsonSchema)
            {
                Name = "weather",
                Description = "A forecast",
                Schema = Schema("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""),
                Strict = true,
            },
        };

        var format = Write(request).GetProperty("response_format");

        Assert.Equal(
            """{"type":"json_schema","json_schema":{"name":"weather","description":"A forecast","schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}}""",
            format.GetRawText());
    }

    [Fact]
    public void A_schema_without_a_name_is_named_response_and_unset_strictness_is_left_out()
    {
        var request = Request(User(Text("hi"))) with
        {
            ResponseFormat = new ResponseFormat(ResponseFormatKind.JsonSchema) { Schema = Schema("""{"type":"object"}""") },
        };

        Assert.Equal(
            """{"type":"json_schema","json_schema":{"name":"response","schema":{"type":"object"}}}""",
            Write(request).GetProperty("response_format").GetRawText());
    }

    [Fact]
    public void Json_mode_is_written_as_json_object()
    {
        var request = Request(User(Text("hi"))) with { ResponseFormat = new ResponseFormat(ResponseFormatKind.JsonObject) };

        Assert.Equal("""{"type":"json_object"}""", Write(request).GetProperty("response_format").GetRawText());
    }

    [Fact]
    public void Sampling_extras_are_written_as_given()
    {
        var request = Request(User(Text("hi"))) with
        {
            Sampling = new SamplingExtras
            {
                Seed = 9007199254740993,
                FrequencyPenalty = 0.5,
                PresencePenalty = -1.25,
                LogitBias = Schema("""{"50256":-100,"1234":5}"""),
                Logprobs = true,
                TopLogprobs = 3,
            },
        };

        var body = Write(request);

        Assert.Equal(9007199254740993, body.GetProperty("seed").GetInt64());
        Assert.Equal(0.5, body.GetProperty("frequency_penalty").GetDouble());
        Assert.Equal(-1.25, body.GetProperty("presence_penalty").GetDouble());
        Assert.Equal("""{"50256":-100,"1234":5}""", body.GetProperty("logit_bias").GetRawText());
        Assert.True(body.GetProperty("logprobs").GetBoolean());
        Assert.Equal(3, body.GetProperty("top_logprobs").GetInt32());
    }

    [Fact]
    public void Without_extras_none_of_their_fields_are_written()
    {
        var body = Write(Request(User(Text("hi"))));

        foreach (var name in new[] { "seed", "frequency_penalty", "presence_penalty", "logit_bias", "logprobs", "top_logprobs", "response_format" })
        {
            Assert.False(body.TryGetProperty(name, out _), name);
        }
    }

    [Fact]
    public void A_tools_strictness_is_written_in_its_function()
    {
        var request = Request(User(Text("hi"))) with
        {
            Tools =
            [
                new ToolDefinition("strict_one", null, Schema("""{"type":"object"}""")) { Strict = true },
                new ToolDefinition("loose_one", null, Schema("""{"type":"object"}""")),
            ],
        };

        var tools = Write(request).GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function")).ToList();

        Assert.True(tools[0].GetProperty("strict").GetBoolean());
        Assert.False(tools[1].TryGetProperty("strict", out _));
    }

    [Fact]
    public void Pass_through_fields_are_written_verbatim_in_order()
    {
        var request = Request(User(Text("hi"))) with
        {
            PassThrough =
            [
                Field("min_p", "0.05"),
                Field("repetition_penalty", "1.1"),
                Field("guided_regex", "\"[a-z]+\""),
                Field("chat_template_kwargs", """{"enable_thinking":false,"custom":[1,2]}"""),
                Field("skip_special_tokens", "true"),
                Field("vendor_null", "null"),
            ],
        };

        var text = WriteText(request);

        Assert.Contains(
            """
            ,"min_p":0.05,"repetition_penalty":1.1,"guided_regex":"[a-z]+","chat_template_kwargs":{"enable_thinking":false,"custom":[1,2]},"skip_special_tokens":true,"vendor_null":null}
            """,
            text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Pass_through_fields_never_override_what_Switchboard_writes()
    {
        var request = Request(User(Text("hi"))) with
        {
            PassThrough = [Field("model", "\"other\""), Field("max_tokens", "5"), Field("stream", "true"), Field("messages", "[]")],
        };

        var text = WriteText(request);
        var body = JsonDocument.Parse(text).RootElement;

        Assert.Equal("upstream-model", body.GetProperty("model").GetString());
        Assert.Equal(1024, body.GetProperty("max_tokens").GetInt32());
        Assert.False(body.TryGetProperty("stream", out _));
        Assert.Single(body.GetProperty("messages").EnumerateArray());
        Assert.Equal(1, Occurrences(text, "\"model\""));
        Assert.Equal(1, Occurrences(text, "\"max_tokens\""));
    }

    [Fact]
    public void The_clients_template_kwargs_are_merged_with_the_thinking_switch_which_decides_its_own_key()
    {
        var model = new ModelOptions { Name = "qwen3", ThinkingSwitch = "enable_thinking" };
        var request = Request(User(Text("hi"))) with
        {
            Thinking = new ThinkingConfig(ThinkingMode.Disabled, null),
            PassThrough = [Field("chat_template_kwargs", """{"enable_thinking":true,"add_vision_id":true}""")],
        };

        var text = WriteText(request, Route(model));

        Assert.Equal(1, Occurrences(text, "\"chat_template_kwargs\""));
        Assert.Equal(
            """{"add_vision_id":true,"enable_thinking":false}""",
            JsonDocument.Parse(text).RootElement.GetProperty("chat_template_kwargs").GetRawText());
    }

    [Fact]
    public void The_clients_skip_special_tokens_yields_to_a_profile_that_reads_tool_markup_in_special_tokens()
    {
        var model = new ModelOptions { Name = "kimi", Profile = "kimi-k2" };
        var request = Request(User(Text("hi"))) with
        {
            Tools = [new ToolDefinition("search", null, Schema("""{"type":"object"}"""))],
            PassThrough = [Field("skip_special_tokens", "true")],
        };

        var text = WriteText(request, Route(model));

        Assert.Equal(1, Occurrences(text, "\"skip_special_tokens\""));
        Assert.False(JsonDocument.Parse(text).RootElement.GetProperty("skip_special_tokens").GetBoolean());
    }

    private static PassThroughField Field(string name, string json) => new(name, Schema(json));

    private static int Occurrences(string text, string value) =>
        (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    private static JsonElement Write(MessageRequest request) => JsonDocument.Parse(WriteText(request)).RootElement.Clone();

    private static string WriteText(MessageRequest request, ModelRoute? route = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ChatRequestWriter.Write(buffer, request, route ?? Route(), stream: false);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

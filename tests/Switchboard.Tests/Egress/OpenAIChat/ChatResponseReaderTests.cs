using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat;

public sealed class ChatResponseReaderTests
{
    private static string Completion(string message, string finish = "\"stop\"", string extraChoice = "", string usage = "null") =>
        $$"""{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{{message}},"logprobs":null,"finish_reason":{{finish}}{{extraChoice}}}],"usage":{{usage}}}""";

    public static TheoryData<string, string[]> Messages => new()
    {
        {
            """{"role":"assistant","reasoning_content":"Think first.","content":"Answer."}""",
            ["thinking: Think first.", "text: Answer.", "stop: EndTurn"]
        },
        {
            """{"role":"assistant","reasoning":"Ollama thinks.","content":"Done."}""",
            ["thinking: Ollama thinks.", "text: Done.", "stop: EndTurn"]
        },
        {
            // Servers that send both carry the same text twice; reasoning_content wins wherever it is.
            """{"role":"assistant","reasoning":"duplicate","content":"Hi","reasoning_content":"original"}""",
            ["thinking: original", "text: Hi", "stop: EndTurn"]
        },
        {
            """{"role":"assistant","content":"Tab\there, quote \" and \u00e9"}""",
            ["text: Tab\there, quote \" and é", "stop: EndTurn"]
        },
        {
            // Raw UTF-8 between escapes of every kind; a surrogate pair arrives as two \u escapes.
            """{"role":"assistant","content":"é😀 \ud83d\ude00 \"q\" \\ \/ \b\f\r\n\u0041"}""",
            ["text: é😀 😀 \"q\" \\ / \b\f\r\nA", "stop: EndTurn"]
        },
        {
            """{"role":"assistant","content":"","reasoning_content":null,"tool_calls":[]}""",
            ["stop: EndTurn"]
        },
        {
            """{"role":"assistant","content":null}""",
            ["stop: EndTurn"]
        },
        {
            """{"role":"assistant","content":null,"tool_calls":[{"id":"chatcmpl-tool-1","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Oslo\"}"}},{"id":"chatcmpl-tool-2","type":"function","function":{"name":"get_time","arguments":{"zone":"CET","dst":true}}}]}""",
            ["tool toolu_chatcmpl-tool-1 get_weather: {\"city\": \"Oslo\"}", "tool toolu_chatcmpl-tool-2 get_time: {\"zone\":\"CET\",\"dst\":true}", "stop: ToolUse"]
        },
        {
            // No id, no arguments: Switchboard names the call and gives it an empty object.
            """{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"ping"}}]}""",
            ["tool toolu_* ping: {}", "stop: ToolUse"]
        },
        {
            // A model writing arguments that are not JSON must not break the response.
            """{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{not json"}}]}""",
            ["tool toolu_c1 f: {}", "stop: ToolUse"]
        },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Message_fields_become_blocks(string message, string[] expected)
    {
        var response = StreamRun.Read(Completion(message));

        Assert.Equal(expected, MessageText.Describe(response));
    }

    [Fact]
    public void Content_goes_through_the_profile_parser()
    {
        var response = StreamRun.Read(Completion("""{"role":"assistant","content":"<think>\nWeigh it.\n</think>\n\nYes."}"""), new ThinkTagParser());

        Assert.Equal(["thinking: Weigh it.\n", "text: Yes.", "stop: EndTurn"], MessageText.Describe(response));
    }

    [Fact]
    public void Parser_is_flushed_at_the_end_of_the_body()
    {
        var response = StreamRun.Read(Completion("""{"role":"assistant","content":"<think>unfinished </thi"}"""), new ThinkTagParser());

        Assert.Equal(["thinking: unfinished </thi", "stop: EndTurn"], MessageText.Describe(response));
    }

    public static TheoryData<string, string, string[], string> Finishes => new()
    {
        { "\"stop\"", "", [], "stop: EndTurn" },
        { "\"length\"", "", [], "stop: MaxTokens" },
        { "\"content_filter\"", "", [], "stop: Refusal" },
        { "\"tool_calls\"", "", [], "stop: ToolUse" },
        { "\"function_call\"", "", [], "stop: ToolUse" },
        { "\"abort\"", "", [], "stop: EndTurn" },
        { "null", "", [], "stop: EndTurn" },

        // vLLM: a string stop_reason is the stop string that matched, reported even when not among the request's.
        { "\"stop\"", ",\"stop_reason\":\"###\"", ["###"], "stop: StopSequence ###" },
        { "\"stop\"", ",\"stop_reason\":\"Observation:\"", ["###"], "stop: StopSequence Observation:" },

        // vLLM: a number is a stop token id, i.e. the model ended its turn.
        { "\"stop\"", ",\"stop_reason\":151645", [], "stop: EndTurn" },

        // SGLang: matched_stop counts only when the request asked for it (its template adds stop strings of its own).
        { "\"stop\"", ",\"matched_stop\":\"END\"", ["END"], "stop: StopSequence END" },
        { "\"stop\"", ",\"matched_stop\":\"<|im_end|>\"", ["END"], "stop: EndTurn" },
        { "\"stop\"", ",\"matched_stop\":151645", ["END"], "stop: EndTurn" },
        { "\"length\"", ",\"stop_reason\":\"###\"", ["###"], "stop: MaxTokens" },
    };

    [Theory]
    [MemberData(nameof(Finishes))]
    public void Finish_reason_becomes_the_stop_reason(string finish, string extraChoice, string[] stops, string expected)
    {
        var response = StreamRun.Read(Completion("""{"role":"assistant","content":"x"}""", finish, extraChoice), stops: stops);

        Assert.Equal(expected, MessageText.Describe(response)[^1]);
    }

    public static TheoryData<string, Usage> Usages => new()
    {
        { """{"prompt_tokens":1500,"completion_tokens":40,"total_tokens":1540,"prompt_tokens_details":{"cached_tokens":1024}}""", new Usage(476, 40, 1024, 0) },
        { """{"prompt_tokens":1500,"completion_tokens":40,"prompt_tokens_details":{"cached_tokens":null}}""", new Usage(1500, 40, 0, 0) },
        { """{"prompt_tokens":1500,"completion_tokens":40,"prompt_tokens_details":null}""", new Usage(1500, 40, 0, 0) },
        { """{"prompt_tokens":100,"completion_tokens":3,"prompt_cache_hit_tokens":64,"prompt_cache_miss_tokens":36}""", new Usage(36, 3, 64, 0) },
        { """{"prompt_tokens":10,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":20}}""", new Usage(0, 3, 10, 0) },
        { """{"prompt_tokens":12.0,"completion_tokens":3}""", new Usage(12, 3, 0, 0) },
        { """{"prompt_tokens":20,"completion_tokens":50,"completion_tokens_details":{"reasoning_tokens":42}}""", new Usage(20, 50, 0, 0, 42) },
        { """{"prompt_tokens":20,"completion_tokens":5,"completion_tokens_details":{"reasoning_tokens":9}}""", new Usage(20, 5, 0, 0, 5) },
        { """{"prompt_tokens":20,"completion_tokens":5,"completion_tokens_details":null}""", new Usage(20, 5, 0, 0) },
    };

    [Theory]
    [MemberData(nameof(Usages))]
    public void Usage_counts_cached_tokens_apart_from_input(string usage, Usage expected)
    {
        var response = StreamRun.Read(Completion("""{"role":"assistant","content":"x"}""", usage: usage));

        Assert.Equal(expected, response.Usage);
    }

    [Fact]
    public void Only_the_first_choice_is_read()
    {
        var response = StreamRun.Read(
            """{"choices":[{"index":0,"message":{"content":"first"},"finish_reason":"stop"},{"index":1,"message":{"content":"second"},"finish_reason":"length"}]}""");

        Assert.Equal(["text: first", "stop: EndTurn"], MessageText.Describe(response));
    }

    [Theory]
    [InlineData("""{"error":{"message":"model crashed","type":"InternalServerError","code":500}}""", ApiErrorKind.Api)]
    [InlineData("""{"object":"error","message":"bad request","type":"BadRequestError","code":400}""", ApiErrorKind.InvalidRequest)]
    [InlineData("""<html>oops</html>""", ApiErrorKind.BadGateway)]
    [InlineData("""[1, 2]""", ApiErrorKind.BadGateway)]
    public void Error_or_garbage_instead_of_a_completion_throws(string body, ApiErrorKind kind)
    {
        var error = Assert.Throws<ApiException>(() => StreamRun.Read(body));

        Assert.Equal(kind, error.Error.Kind);
        Assert.Contains("'vllm-a'", error.Message, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Tests.Ingress.OpenAIChat.ChatBodies;

namespace Switchboard.Tests.Ingress.OpenAIChat;

public sealed class ChatCompletionsRequestReaderTests
{
    [Fact]
    public void Minimal_request_has_model_one_message_no_budget_and_defaults()
    {
        var request = Read(With());

        Assert.Equal("qwen3-coder", request.Model);
        Assert.Null(request.MaxTokens);
        var message = Assert.Single(request.Messages);
        Assert.Equal(Role.User, message.Role);
        Assert.Equal(new TextBlock("hi"), Assert.Single(message.Content));
        Assert.Null(request.System);
        Assert.Empty(request.Tools);
        Assert.Null(request.ToolChoice);
        Assert.Null(request.Temperature);
        Assert.Null(request.TopP);
        Assert.Null(request.TopK);
        Assert.Empty(request.StopSequences);
        Assert.Null(request.UserId);
        Assert.Null(request.Thinking);
        Assert.Null(request.Effort);
        Assert.False(request.Stream);
        Assert.False(request.IncludeUsage);
        Assert.Null(request.ResponseFormat);
        Assert.Null(request.Sampling);
        Assert.Empty(request.PassThrough);
    }

    [Theory]
    [InlineData("'max_tokens':300", 300)]
    [InlineData("'max_completion_tokens':400", 400)]
    [InlineData("'max_tokens':300,'max_completion_tokens':400", 400)]
    [InlineData("'max_completion_tokens':512.0", 512)]
    [InlineData("'max_tokens':null", null)]
    [InlineData("'max_completion_tokens':99999999999", int.MaxValue)]
    public void The_budget_is_max_completion_tokens_else_max_tokens_else_none(string field, int? expected) =>
        Assert.Equal(expected, Read(With(extra: field)).MaxTokens);

    [Fact]
    public void Sampling_fields_are_read()
    {
        var request = Read(With(extra:
            "'temperature':1.7,'top_p':0.9,'top_k':40,'stop':['END','\\n\\nUser:'],'user':'u-1','seed':42,"
            + "'frequency_penalty':0.5,'presence_penalty':-0.5,'logit_bias':{'50256':-100,'11':2.5},'logprobs':true,'top_logprobs':5"));

        Assert.Equal(1.7, request.Temperature);
        Assert.Equal(0.9, request.TopP);
        Assert.Equal(40, request.TopK);
        Assert.Equal(["END", "\n\nUser:"], request.StopSequences);
        Assert.Equal("u-1", request.UserId);
        var sampling = Assert.IsType<SamplingExtras>(request.Sampling);
        Assert.Equal(42, sampling.Seed);
        Assert.Equal(0.5, sampling.FrequencyPenalty);
        Assert.Equal(-0.5, sampling.PresencePenalty);
        Assert.Equal("""{"50256":-100,"11":2.5}""", sampling.LogitBias?.GetRawText());
        Assert.True(sampling.Logprobs);
        Assert.Equal(5, sampling.TopLogprobs);
    }

    [Fact]
    public void A_single_stop_string_is_one_stop_sequence() =>
        Assert.Equal(["###"], Read(With(extra: "'stop':'###'")).StopSequences);

    [Theory]
    [InlineData("'top_k':-1")]
    [InlineData("'top_k':0")]
    public void Top_k_values_meaning_no_limit_are_no_top_k(string field) => Assert.Null(Read(With(extra: field)).TopK);

    [Fact]
    public void Safety_identifier_is_the_user_when_user_is_absent()
    {
        Assert.Equal("sid-9", Read(With(extra: "'safety_identifier':'sid-9'")).UserId);
        Assert.Equal("u-1", Read(With(extra: "'user':'u-1','safety_identifier':'sid-9'")).UserId);
    }

    [Theory]
    [InlineData("'stream':true,'stream_options':{'include_usage':true}", true, true)]
    [InlineData("'stream':true,'stream_options':{'include_usage':false,'include_obfuscation':true}", true, false)]
    [InlineData("'stream':true", true, false)]
    [InlineData("'stream':false,'stream_options':{'include_usage':true}", false, false)]
    public void Stream_and_include_usage_are_read(string fields, bool stream, bool includeUsage)
    {
        var request = Read(With(extra: fields));

        Assert.Equal(stream, request.Stream);
        Assert.Equal(includeUsage, request.IncludeUsage);
    }

    [Theory]
    [InlineData("low", "low")]
    [InlineData("medium", "medium")]
    [InlineData("high", "high")]
    [InlineData("xhigh", "xhigh")]
    [InlineData("max", "max")]
    [InlineData("minimal", "low")]
    public void Reasoning_effort_is_the_canonical_effort(string effort, string expected)
    {
        var request = Read(With(extra: $"'reasoning_effort':'{effort}'"));

        Assert.Equal(expected, request.Effort);
        Assert.Null(request.Thinking);
    }

    [Fact]
    public void Reasoning_effort_none_turns_thinking_off()
    {
        var request = Read(With(extra: "'reasoning_effort':'none'"));

        Assert.Equal(new ThinkingConfig(ThinkingMode.Disabled, null), request.Thinking);
        Assert.Null(request.Effort);
    }

    [Fact]
    public void N_of_one_is_accepted()
    {
        Assert.Equal("qwen3-coder", Read(With(extra: "'n':1")).Model);
    }

    [Fact]
    public void Accepted_and_ignored_fields_change_nothing_and_are_not_passed_on()
    {
        var notes = new List<string>();

        var request = Read(
            With(extra:
                "'metadata':{'session':'abc'},'store':true,'service_tier':'auto','prediction':{'type':'content','content':'x'},"
                + "'prompt_cache_key':'k','prompt_cache_retention':'24h','verbosity':'low','modalities':['text'],'moderation':{'model':'m'}"),
            notes);

        Assert.Empty(request.PassThrough);
        Assert.Null(request.Sampling);
        Assert.Equal(
            [
                "store: stored completions are not kept; ignored",
                "prediction: predicted outputs are a latency hint the upstream does not take; ignored",
                "service_tier: ignored",
            ],
            notes);
    }

    [Fact]
    public void Vendor_extras_and_unknown_fields_are_passed_through_verbatim_in_order()
    {
        var request = Read(With(extra:
            "'chat_template_kwargs':{'enable_thinking':false},'min_p':0.05,'repetition_penalty':1.1,"
            + "'guided_json':{'type':'object'},'guided_regex':'[0-9]+','skip_special_tokens':false,'include_reasoning':true,"
            + "'some_future_field':[1,{'a':null}],'top_k':20"));

        Assert.Equal(
            [
                ("chat_template_kwargs", """{"enable_thinking":false}"""),
                ("min_p", "0.05"),
                ("repetition_penalty", "1.1"),
                ("guided_json", """{"type":"object"}"""),
                ("guided_regex", "\"[0-9]+\""),
                ("skip_special_tokens", "false"),
                ("include_reasoning", "true"),
                ("some_future_field", """[1,{"a":null}]"""),
            ],
            request.PassThrough.Select(f => (f.Name, f.Value.GetRawText())));
        Assert.Equal(20, request.TopK);
    }

    [Fact]
    public void A_token_count_reads_the_prompt_and_skips_generation_fields()
    {
        var request = Read(With(extra: "'n':4,'max_tokens':0,'temperature':9,'stream':true"), countOnly: true);

        Assert.Equal("qwen3-coder", request.Model);
        Assert.Single(request.Messages);
        Assert.Null(request.MaxTokens);
        Assert.False(request.Stream);
    }

    [Theory]
    [InlineData("'response_format':{'type':'text'}")]
    [InlineData("'response_format':null")]
    public void A_text_response_format_is_no_constraint(string field) => Assert.Null(Read(With(extra: field)).ResponseFormat);

    [Fact]
    public void Json_mode_is_read()
    {
        var format = Read(With(extra: "'response_format':{'type':'json_object'}")).ResponseFormat;

        Assert.Equal(new ResponseFormat(ResponseFormatKind.JsonObject), format);
    }

    [Fact]
    public void A_json_schema_format_keeps_name_description_schema_and_strictness()
    {
        var format = Read(With(extra:
            "'response_format':{'type':'json_schema','json_schema':{'name':'answer','description':'The answer','strict':true,"
            + "'schema':{'type':'object','properties':{'a':{'type':'string'}},'required':['a'],'additionalProperties':false}}}")).ResponseFormat;

        Assert.NotNull(format);
        Assert.Equal(ResponseFormatKind.JsonSchema, format.Kind);
        Assert.Equal("answer", format.Name);
        Assert.Equal("The answer", format.Description);
        Assert.True(format.Strict);
        Assert.Equal("""{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}""", format.Schema?.GetRawText());
    }
}

using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;
using static Switchboard.Tests.Ingress.Anthropic.RequestBodies;

namespace Switchboard.Tests.Ingress.Anthropic;

public sealed class MessagesRequestReaderTests
{
    [Fact]
    public void Minimal_request_has_model_budget_one_message_and_defaults()
    {
        var request = Read(With());

        Assert.Equal("m", request.Model);
        Assert.Equal(16, request.MaxTokens);
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
    }

    [Fact]
    public void Sampling_parameters_stop_sequences_stream_and_user_id_are_read()
    {
        var request = Read(With(extra:
            "'temperature':0.25,'top_p':0.9,'top_k':40,'stop_sequences':['END','\\n\\nHuman:'],'stream':true,"
            + "'metadata':{'user_id':'u-1','other':{'x':1}}"));

        Assert.Equal(0.25, request.Temperature);
        Assert.Equal(0.9, request.TopP);
        Assert.Equal(40, request.TopK);
        Assert.Equal(["END", "\n\nHuman:"], request.StopSequences);
        Assert.True(request.Stream);
        Assert.Equal("u-1", request.UserId);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("1", 1.0)]
    [InlineData("0.7", 0.7)]
    public void Temperature_bounds_are_inclusive(string value, double expected) =>
        Assert.Equal(expected, Read(With(extra: $"'temperature':{value}")).Temperature);

    [Theory]
    [InlineData("1024.0", 1024)]
    [InlineData("1", 1)]
    [InlineData("99999999999", int.MaxValue)]
    public void Max_tokens_accepts_whole_numbers_and_clamps_huge_ones(string value, int expected) =>
        Assert.Equal(expected, Read($"{{'model':'m','max_tokens':{value},'messages':{OneUserTurn}}}").MaxTokens);

    [Fact]
    public void Null_optional_fields_count_as_absent()
    {
        var request = Read(With(extra:
            "'system':null,'temperature':null,'top_p':null,'top_k':null,'stop_sequences':null,'stream':null,"
            + "'metadata':null,'tools':null,'tool_choice':null,'thinking':null,'output_config':null"));

        Assert.Null(request.System);
        Assert.Null(request.Temperature);
        Assert.Empty(request.Tools);
        Assert.Null(request.ToolChoice);
        Assert.Null(request.Thinking);
        Assert.False(request.Stream);
    }

    [Theory]
    [InlineData("'service_tier':'auto'")]
    [InlineData("'container':{'id':'c1','skills':[]}")]
    [InlineData("'context_management':{'edits':[{'type':'clear_thinking_20251015','keep':'all'}]}")]
    [InlineData("'mcp_servers':[{'type':'url','url':'https://x','name':'x'}]")]
    [InlineData("'inference_geo':'us'")]
    [InlineData("'speed':'fast'")]
    [InlineData("'diagnostics':{'previous_message_id':null}")]
    [InlineData("'cache_control':{'type':'ephemeral'}")]
    [InlineData("'some_future_field':[1,2,3]")]
    public void Fields_switchboard_cannot_act_on_are_accepted_and_dropped(string field)
    {
        var notes = new RequestReadNotes();

        var request = Read(With(extra: field), notes);

        Assert.Equal("hi", Assert.IsType<TextBlock>(Assert.Single(Assert.Single(request.Messages).Content)).Text);
        Assert.Empty(notes.Items);
    }

    [Fact]
    public void Count_tokens_needs_no_max_tokens_and_ignores_generation_fields()
    {
        var request = Read(
            "{'model':'m','messages':" + OneUserTurn + ",'temperature':7,'stream':'x','top_k':-1,'metadata':5,"
            + "'thinking':{'type':'enabled','budget_tokens':2048},'system':'be brief'}",
            countTokens: true);

        Assert.Equal(0, request.MaxTokens);
        Assert.Null(request.Temperature);
        Assert.Null(request.TopK);
        Assert.False(request.Stream);
        Assert.Null(request.UserId);
        Assert.Equal("be brief", request.System);
        Assert.Equal(new ThinkingConfig(ThinkingMode.Enabled, 2048), request.Thinking);
    }

    [Theory]
    [InlineData("{'model':'m','max_tokens':5}", "messages: Field required")]
    [InlineData("{'max_tokens':5,'messages':" + OneUserTurn + "}", "model: Field required")]
    [InlineData("{'model':'m','messages':[{'role':'user','content':5}]}", "messages.0.content: Input should be a valid string or a list of content blocks")]
    public void Count_tokens_still_validates_the_conversation(string body, string expected) =>
        Assert.Equal(expected, Rejection(body, countTokens: true));

    [Theory]
    [InlineData("[]", "Request body must be a JSON object")]
    [InlineData("'text'", "Request body must be a JSON object")]
    [InlineData("{'max_tokens':5,'messages':" + OneUserTurn + "}", "model: Field required")]
    [InlineData("{'model':null,'max_tokens':5,'messages':" + OneUserTurn + "}", "model: Field required")]
    [InlineData("{'model':7,'max_tokens':5,'messages':" + OneUserTurn + "}", "model: Input should be a valid string")]
    [InlineData("{'model':'','max_tokens':5,'messages':" + OneUserTurn + "}", "model: String should have at least 1 character")]
    [InlineData("{'model':'m','messages':" + OneUserTurn + "}", "max_tokens: Field required")]
    [InlineData("{'model':'m','max_tokens':'5','messages':" + OneUserTurn + "}", "max_tokens: Input should be a valid integer")]
    [InlineData("{'model':'m','max_tokens':1.5,'messages':" + OneUserTurn + "}", "max_tokens: Input should be a valid integer")]
    [InlineData("{'model':'m','max_tokens':0,'messages':" + OneUserTurn + "}", "max_tokens: Input should be greater than or equal to 1")]
    [InlineData("{'model':'m','max_tokens':5}", "messages: Field required")]
    [InlineData("{'model':'m','max_tokens':5,'messages':{}}", "messages: Input should be a valid list")]
    [InlineData("{'model':'m','max_tokens':5,'messages':[]}", "messages: List should have at least 1 item after validation, not 0")]
    public void Malformed_required_fields_are_rejected_by_name(string body, string expected) =>
        Assert.Equal(expected, Rejection(body));

    [Theory]
    [InlineData("'temperature':1.5", "temperature: Input should be less than or equal to 1")]
    [InlineData("'temperature':-0.1", "temperature: Input should be greater than or equal to 0")]
    [InlineData("'temperature':'hot'", "temperature: Input should be a valid number")]
    [InlineData("'top_p':2", "top_p: Input should be less than or equal to 1")]
    [InlineData("'top_p':-1", "top_p: Input should be greater than or equal to 0")]
    [InlineData("'top_k':-1", "top_k: Input should be greater than or equal to 0")]
    [InlineData("'top_k':2.5", "top_k: Input should be a valid integer")]
    [InlineData("'stop_sequences':'END'", "stop_sequences: Input should be a valid list")]
    [InlineData("'stop_sequences':['a',1]", "stop_sequences.1: Input should be a valid string")]
    [InlineData("'stream':'yes'", "stream: Input should be a valid boolean")]
    [InlineData("'metadata':'u'", "metadata: Input should be an object")]
    [InlineData("'metadata':{'user_id':5}", "metadata.user_id: Input should be a valid string")]
    public void Out_of_range_or_mistyped_parameters_are_rejected_by_name(string field, string expected) =>
        Assert.Equal(expected, Rejection(With(extra: field)));
}

using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;
using static Switchboard.Tests.Ingress.Anthropic.RequestBodies;

namespace Switchboard.Tests.Ingress.Anthropic;

public sealed class ThinkingReaderTests
{
    [Theory]
    [InlineData("{'type':'enabled','budget_tokens':2048}", ThinkingMode.Enabled, 2048)]
    [InlineData("{'type':'enabled','budget_tokens':4096,'display':'omitted'}", ThinkingMode.Enabled, 4096)]
    [InlineData("{'type':'disabled'}", ThinkingMode.Disabled, null)]
    [InlineData("{'type':'adaptive'}", ThinkingMode.Adaptive, null)]
    [InlineData("{'type':'adaptive','display':'updates'}", ThinkingMode.Adaptive, null)]
    public void Thinking_is_read(string thinking, ThinkingMode mode, int? budget) =>
        Assert.Equal(new ThinkingConfig(mode, budget), Read(With(extra: "'thinking':" + thinking)).Thinking);

    [Theory]
    [InlineData("low")]
    [InlineData("medium")]
    [InlineData("high")]
    [InlineData("xhigh")]
    [InlineData("max")]
    public void Effort_levels_are_read(string effort) =>
        Assert.Equal(effort, Read(With(extra: "'output_config':{'effort':'" + effort + "'}")).Effort);

    [Fact]
    public void Null_effort_is_no_effort()
    {
        var notes = new RequestReadNotes();

        Assert.Null(Read(With(extra: "'output_config':{'effort':null}"), notes).Effort);
        Assert.Empty(notes.Items);
    }

    [Fact]
    public void Structured_output_format_becomes_a_strict_json_schema_response_format()
    {
        var notes = new RequestReadNotes();

        var request = Read(
            With(extra: "'output_config':{'effort':'low','format':{'type':'json_schema','schema':{'type':'object','properties':{'title':{'type':'string'}},'required':['title']}}}"),
            notes);

        Assert.Equal("low", request.Effort);
        var format = Assert.IsType<ResponseFormat>(request.ResponseFormat);
        Assert.Equal(ResponseFormatKind.JsonSchema, format.Kind);
        Assert.Equal("""{"type":"object","properties":{"title":{"type":"string"}},"required":["title"]}""", format.Schema?.GetRawText());
        Assert.Null(format.Name);
        Assert.True(format.Strict);
        Assert.Empty(notes.Items);
    }

    [Fact]
    public void Without_a_format_there_is_no_response_format()
    {
        Assert.Null(Read(With(extra: "'output_config':{'effort':'low'}")).ResponseFormat);
        Assert.Null(Read(With(extra: "'output_config':{'format':null}")).ResponseFormat);
    }

    [Fact]
    public void A_token_count_reads_no_response_format()
    {
        var body = "{'model':'m','messages':[{'role':'user','content':'hi'}],'output_config':{'format':{'type':'json_schema','schema':{'type':'object'}}}}";

        Assert.Null(Read(body, countTokens: true).ResponseFormat);
    }

    [Theory]
    [InlineData("'thinking':'on'", "thinking: Input should be an object")]
    [InlineData("'thinking':{'budget_tokens':1024}", "thinking.type: Field required")]
    [InlineData("'thinking':{'type':'extended'}", "thinking.type: Input should be 'enabled', 'disabled' or 'adaptive'")]
    [InlineData("'thinking':{'type':'enabled'}", "thinking.budget_tokens: Field required")]
    [InlineData("'thinking':{'type':'enabled','budget_tokens':'lots'}", "thinking.budget_tokens: Input should be a valid integer")]
    [InlineData("'thinking':{'type':'enabled','budget_tokens':0}", "thinking.budget_tokens: Input should be greater than or equal to 1")]
    [InlineData("'output_config':{'effort':'extreme'}", "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'")]
    [InlineData("'output_config':{'effort':3}", "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'")]
    [InlineData("'output_config':[]", "output_config: Input should be an object")]
    [InlineData("'output_config':{'format':'json'}", "output_config.format: Input should be an object")]
    [InlineData("'output_config':{'format':{'schema':{}}}", "output_config.format.type: Field required")]
    [InlineData("'output_config':{'format':{'type':'json_object'}}", "output_config.format.type: Input should be 'json_schema'")]
    [InlineData("'output_config':{'format':{'type':'json_schema'}}", "output_config.format.schema: Field required")]
    [InlineData("'output_config':{'format':{'type':'json_schema','schema':[]}}", "output_config.format.schema: Input should be an object")]
    public void Malformed_reasoning_controls_are_rejected_with_the_path(string field, string expected) =>
        Assert.Equal(expected, Rejection(With(extra: field)));
}

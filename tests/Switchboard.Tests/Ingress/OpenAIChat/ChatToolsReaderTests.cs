using Switchboard.Canonical;
using static Switchboard.Tests.Ingress.OpenAIChat.ChatBodies;

namespace Switchboard.Tests.Ingress.OpenAIChat;

public sealed class ChatToolsReaderTests
{
    private const string Tools =
        "'tools':[{'type':'function','function':{'name':'get_weather','description':'Current weather','strict':true,"
        + "'parameters':{'type':'object','properties':{'city':{'type':'string'}},'required':['city'],'additionalProperties':false}}},"
        + "{'type':'function','function':{'name':'now'}}]";

    [Fact]
    public void Function_tools_are_read_with_schema_description_and_strictness()
    {
        var tools = Read(With(extra: Tools)).Tools;

        Assert.Equal(2, tools.Count);
        Assert.Equal("get_weather", tools[0].Name);
        Assert.Equal("Current weather", tools[0].Description);
        Assert.True(tools[0].Strict);
        Assert.Equal(
            """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""",
            tools[0].InputSchema.GetRawText());
        Assert.Equal("now", tools[1].Name);
        Assert.Null(tools[1].Description);
        Assert.Null(tools[1].Strict);
        Assert.Equal("""{"type":"object","properties":{}}""", tools[1].InputSchema.GetRawText());
    }

    [Theory]
    [InlineData("'tool_choice':'auto'", ToolChoiceKind.Auto, null, false)]
    [InlineData("'tool_choice':'required'", ToolChoiceKind.Any, null, false)]
    [InlineData("'tool_choice':'none'", ToolChoiceKind.None, null, false)]
    [InlineData("'tool_choice':{'type':'function','function':{'name':'now'}}", ToolChoiceKind.Tool, "now", false)]
    [InlineData("'tool_choice':'auto','parallel_tool_calls':false", ToolChoiceKind.Auto, null, true)]
    [InlineData("'parallel_tool_calls':false", ToolChoiceKind.Auto, null, true)]
    [InlineData("'function_call':'auto'", ToolChoiceKind.Auto, null, false)]
    [InlineData("'function_call':{'name':'get_weather'}", ToolChoiceKind.Tool, "get_weather", false)]
    [InlineData("'tool_choice':'required','function_call':'none'", ToolChoiceKind.Any, null, false)]
    public void Tool_choice_is_read(string fields, ToolChoiceKind kind, string? name, bool disableParallel) =>
        Assert.Equal(new ToolChoice(kind, name, disableParallel), Read(With(extra: Tools + "," + fields)).ToolChoice);

    [Fact]
    public void Parallel_tool_calls_true_alone_is_no_choice() =>
        Assert.Null(Read(With(extra: Tools + ",'parallel_tool_calls':true")).ToolChoice);

    [Fact]
    public void Allowed_tools_narrows_the_tools_and_sets_the_mode()
    {
        var request = Read(With(extra: Tools
            + ",'tool_choice':{'type':'allowed_tools','allowed_tools':{'mode':'required','tools':[{'type':'function','function':{'name':'now'}}]}}"));

        Assert.Equal(["now"], request.Tools.Select(t => t.Name));
        Assert.Equal(new ToolChoice(ToolChoiceKind.Any, null, false), request.ToolChoice);
    }

    [Fact]
    public void Legacy_functions_are_tools()
    {
        var request = Read(With(extra: "'functions':[{'name':'lookup','description':'Find','parameters':{'type':'object','properties':{'q':{'type':'string'}}}}]"));

        var tool = Assert.Single(request.Tools);
        Assert.Equal("lookup", tool.Name);
        Assert.Equal("Find", tool.Description);
        Assert.Equal("""{"type":"object","properties":{"q":{"type":"string"}}}""", tool.InputSchema.GetRawText());
    }
}

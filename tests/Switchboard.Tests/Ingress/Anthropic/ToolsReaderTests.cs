using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;
using static Switchboard.Tests.Ingress.Anthropic.RequestBodies;

namespace Switchboard.Tests.Ingress.Anthropic;

public sealed class ToolsReaderTests
{
    private const string BashTool =
        "{'name':'Bash','description':'Runs a command','input_schema':{'type':'object','properties':{'command':{'type':'string'}}}}";

    [Fact]
    public void Custom_tools_keep_name_description_and_schema_as_sent()
    {
        var tools = Read(With(extra:
            "'tools':[" + BashTool + ",{'type':'custom','name':'Read','input_schema':{'properties':{}},"
            + "'strict':true,'eager_input_streaming':true,'cache_control':{'type':'ephemeral'}}]")).Tools;

        Assert.Equal(2, tools.Count);
        Assert.Equal("Bash", tools[0].Name);
        Assert.Equal("Runs a command", tools[0].Description);
        Assert.Equal("{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}}}", tools[0].InputSchema.GetRawText());
        Assert.Equal("Read", tools[1].Name);
        Assert.Null(tools[1].Description);
        Assert.Equal("{\"properties\":{}}", tools[1].InputSchema.GetRawText());
    }

    [Theory]
    [InlineData("web_search_20250305", "web_search")]
    [InlineData("web_fetch_20250910", "web_fetch")]
    [InlineData("code_execution_20250825", "code_execution")]
    [InlineData("bash_20250124", "bash")]
    [InlineData("text_editor_20250728", "str_replace_based_edit_tool")]
    [InlineData("computer_20250124", "computer")]
    [InlineData("memory_20250818", "memory")]
    [InlineData("tool_search_tool_regex_20251119", "tool_search_tool_regex")]
    public void Anthropic_defined_tools_are_refused_by_name(string type, string name)
    {
        var message = Rejection(With(extra: "'tools':[" + BashTool + ",{'type':'" + type + "','name':'" + name + "'}]"));

        Assert.Equal(
            $"tools.1: the Anthropic-defined tool '{name}' (type '{type}') is not supported by Switchboard's models; "
            + "define it as a custom tool with an input_schema instead",
            message);
    }

    [Fact]
    public void A_refused_tool_without_a_name_is_named_after_its_type()
    {
        var message = Rejection(With(extra: "'tools':[{'type':'computer_toolset_20260801','configs':{}}]"));

        Assert.StartsWith("tools.0: the Anthropic-defined tool 'computer' (type 'computer_toolset_20260801')", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{'type':'advisor_20260301','name':'advisor','model':'x'}", "advisor_20260301")]
    [InlineData("{'type':'mcp_toolset','mcp_server_name':'srv'}", "mcp_toolset")]
    public void Other_typed_tools_are_ignored_with_a_note(string tool, string type)
    {
        var notes = new RequestReadNotes();

        var tools = Read(With(extra: "'tools':[" + tool + "," + BashTool + "]"), notes).Tools;

        Assert.Equal("Bash", Assert.Single(tools).Name);
        Assert.Equal([$"tools.0: tool type '{type}' is not supported; tool ignored"], notes.Items);
    }

    [Theory]
    [InlineData("'tools':{}", "tools: Input should be a valid list")]
    [InlineData("'tools':['Bash']", "tools.0: Input should be an object")]
    [InlineData("'tools':[" + BashTool + ",{'input_schema':{}}]", "tools.1.name: Field required")]
    [InlineData("'tools':[{'name':'','input_schema':{}}]", "tools.0.name: String should have at least 1 character")]
    [InlineData("'tools':[{'name':'A'}]", "tools.0.input_schema: Field required")]
    [InlineData("'tools':[{'name':'A','input_schema':'object'}]", "tools.0.input_schema: Input should be an object")]
    [InlineData("'tools':[{'name':'A','description':3,'input_schema':{}}]", "tools.0.description: Input should be a valid string")]
    [InlineData("'tools':[{'type':3,'name':'A','input_schema':{}}]", "tools.0.type: Input should be a valid string")]
    public void Malformed_tools_are_rejected_with_the_path(string field, string expected) =>
        Assert.Equal(expected, Rejection(With(extra: field)));

    [Theory]
    [InlineData("{'type':'auto'}", ToolChoiceKind.Auto, null, false)]
    [InlineData("{'type':'auto','disable_parallel_tool_use':true}", ToolChoiceKind.Auto, null, true)]
    [InlineData("{'type':'any','disable_parallel_tool_use':false}", ToolChoiceKind.Any, null, false)]
    [InlineData("{'type':'none'}", ToolChoiceKind.None, null, false)]
    [InlineData("{'type':'tool','name':'Bash','disable_parallel_tool_use':true}", ToolChoiceKind.Tool, "Bash", true)]
    public void Tool_choice_is_read(string choice, ToolChoiceKind kind, string? name, bool disableParallel) =>
        Assert.Equal(new ToolChoice(kind, name, disableParallel), Read(With(extra: "'tool_choice':" + choice)).ToolChoice);

    [Theory]
    [InlineData("'auto'", "tool_choice: Input should be an object")]
    [InlineData("{}", "tool_choice.type: Field required")]
    [InlineData("{'type':'required'}", "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'")]
    [InlineData("{'type':'tool'}", "tool_choice.name: Field required")]
    [InlineData("{'type':'any','disable_parallel_tool_use':1}", "tool_choice.disable_parallel_tool_use: Input should be a valid boolean")]
    public void Malformed_tool_choice_is_rejected_with_the_path(string choice, string expected) =>
        Assert.Equal(expected, Rejection(With(extra: "'tool_choice':" + choice)));
}

using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles;

public sealed class ToolArgumentsJsonTests
{
    private static readonly JsonDocument Schema = JsonDocument.Parse("""
        {"type":"object","properties":{
          "city":{"type":"string"},"days":{"type":"integer"},"ratio":{"type":"number"},"exact":{"type":"boolean"},
          "tags":{"type":"array"},"filter":{"type":"object"},"maybe":{"type":["integer","null"]},"zip":{"type":"string"}}}
        """);

    private static readonly ToolDefinition[] Tools = [new("forecast", null, Schema.RootElement)];

    [Theory]
    [InlineData("city", "Paris", "\"Paris\"")]
    [InlineData("zip", "01234", "\"01234\"")]
    [InlineData("days", " 3 ", "3")]
    [InlineData("days", "three", "\"three\"")]
    [InlineData("ratio", "0.25", "0.25")]
    [InlineData("ratio", ".5", "0.5")]
    [InlineData("exact", "True", "true")]
    [InlineData("exact", "maybe", "\"maybe\"")]
    [InlineData("tags", "[\"a\",1]", "[\"a\",1]")]
    [InlineData("tags", "not json", "\"not json\"")]
    [InlineData("filter", "{\"k\":true}", "{\"k\":true}")]
    [InlineData("maybe", "7", "7")]
    [InlineData("undeclared", "{\"x\":1}", "{\"x\":1}")]
    [InlineData("undeclared", "42", "\"42\"")]
    public void Values_are_typed_by_the_tools_schema(string name, string value, string expectedJson)
    {
        var json = ToolArgumentsJson.Build("forecast", [new(name, value)], Tools);

        Assert.Equal($"{{\"{name}\":{expectedJson}}}", json);
    }

    [Fact]
    public void An_unknown_tool_keeps_every_value_as_written()
    {
        var json = ToolArgumentsJson.Build("other", [new("days", "3"), new("q", "héllo \"x\"")], Tools);

        Assert.Equal("{\"days\":\"3\",\"q\":\"héllo \\\"x\\\"\"}", json);
    }
}

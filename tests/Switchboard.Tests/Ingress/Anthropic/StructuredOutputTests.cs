using System.Buffers;
using System.Text.Json;
using Switchboard.Egress.OpenAIChat;
using static Switchboard.Tests.Egress.OpenAIChat.TestRoutes;
using static Switchboard.Tests.Ingress.Anthropic.RequestBodies;

namespace Switchboard.Tests.Ingress.Anthropic;

/// <summary><c>output_config.format</c> from a Messages request reaches an OpenAI-compatible upstream as its <c>response_format</c>.</summary>
public sealed class StructuredOutputTests
{
    [Fact]
    public void A_json_schema_format_is_sent_upstream_as_a_strict_json_schema_response_format()
    {
        // Claude Code's session-title request asks for structured output like this.
        var request = Read(With(extra:
            "'output_config':{'format':{'type':'json_schema','schema':{'type':'object','properties':{'title':{'type':'string'}},'required':['title'],'additionalProperties':false}}}"));

        var buffer = new ArrayBufferWriter<byte>();
        ChatRequestWriter.Write(buffer, request, Route(), stream: false);
        var format = JsonDocument.Parse(buffer.WrittenMemory).RootElement.GetProperty("response_format");

        Assert.Equal(
            """{"type":"json_schema","json_schema":{"name":"response","schema":{"type":"object","properties":{"title":{"type":"string"}},"required":["title"],"additionalProperties":false},"strict":true}}""",
            format.GetRawText());
    }
}

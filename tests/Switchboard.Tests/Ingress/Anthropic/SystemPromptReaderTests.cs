using Switchboard.Ingress.Anthropic;
using static Switchboard.Tests.Ingress.Anthropic.RequestBodies;

namespace Switchboard.Tests.Ingress.Anthropic;

public sealed class SystemPromptReaderTests
{
    [Theory]
    [InlineData("'Be brief.'", "Be brief.")]
    [InlineData("''", null)]
    [InlineData("[]", null)]
    [InlineData("[{'type':'text','text':'One'}]", "One")]
    [InlineData("[{'type':'text','text':'One'},{'type':'text','text':'Two','cache_control':{'type':'ephemeral'}},{'type':'text','text':'Three'}]", "One\nTwo\nThree")]
    public void System_is_a_string_or_text_blocks_joined_with_newlines(string system, string? expected) =>
        Assert.Equal(expected, Read(With(extra: "'system':" + system)).System);

    [Fact]
    public void Claude_code_billing_header_block_is_dropped_with_a_note_that_omits_its_text()
    {
        var notes = new RequestReadNotes();

        var system = Read(
            With(extra: "'system':[{'type':'text','text':'x-anthropic-billing-header: cc_version=2.1.330.55b; cc_entrypoint=sdk-cli;'},"
                + "{'type':'text','text':'You are an agent.'},{'type':'text','text':'Be careful.'}]"),
            notes).System;

        Assert.Equal("You are an agent.\nBe careful.", system);
        var note = Assert.Single(notes.Items);
        Assert.StartsWith("system.0: ", note, StringComparison.Ordinal);
        Assert.DoesNotContain("cc_version", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\\u0078-anthropic-billing-header: cc_version=1;", true)]
    [InlineData("x-anthropic\\u002Dbilling-header\\u003a cc_version=1;", true)]
    [InlineData("x-anthropic-billing-header:", true)]
    [InlineData("\\nx-anthropic-billing-header: cc_version=1;", false)]
    [InlineData("x-anthropic-billing-header", false)]
    [InlineData("x-anthropic-billing-header\\u00e9", false)]
    public void The_billing_header_is_recognised_however_the_client_escaped_it(string text, bool dropped)
    {
        var notes = new RequestReadNotes();

        var system = Read(With(extra: "'system':[{'type':'text','text':'" + text + "'},{'type':'text','text':'Agent.'}]"), notes).System;

        Assert.Equal(dropped ? "Agent." : System.Text.Json.JsonDocument.Parse("\"" + text + "\"").RootElement.GetString() + "\nAgent.", system);
        Assert.Equal(dropped ? 1 : 0, notes.Items.Count);
    }

    [Fact]
    public void Billing_header_text_later_in_a_block_is_ordinary_text()
    {
        var system = Read(With(extra: "'system':[{'type':'text','text':'About x-anthropic-billing-header: it is a header.'}]")).System;

        Assert.Equal("About x-anthropic-billing-header: it is a header.", system);
    }

    [Theory]
    [InlineData("5", "system: Input should be a valid string or a list of text blocks")]
    [InlineData("['text']", "system.0: Input should be an object")]
    [InlineData("[{'type':'text','text':'a'},{'type':'image','source':{}}]", "system.1.type: Input should be 'text'")]
    [InlineData("[{'text':'a'}]", "system.0.type: Field required")]
    [InlineData("[{'type':'text'}]", "system.0.text: Field required")]
    public void Malformed_system_is_rejected_with_the_path(string system, string expected) =>
        Assert.Equal(expected, Rejection(With(extra: "'system':" + system)));
}

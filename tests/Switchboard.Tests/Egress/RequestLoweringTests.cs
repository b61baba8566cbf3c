using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress;

namespace Switchboard.Tests.Egress;

public sealed class RequestLoweringTests
{
    private static MessageRequest Request(IReadOnlyList<Message> messages, IReadOnlyList<RawTool>? tools = null) =>
        new() { Model = "m", MaxTokens = 10, Messages = messages, RawTools = tools ?? [] };

    private static readonly RawBlock Pdf = new("anthropic", "document", "{}") { Refusal = "no PDFs" };

    private static readonly RawBlock Note = new("anthropic", "fancy", """{"type":"fancy","text":"t"}""") { FallbackText = "t", Note = "fancy passed as text" };

    private static readonly RawTool Search = new("anthropic", "web_search_20250305", JsonDocument.Parse("{}").RootElement.Clone()) { Refusal = "no server tools" };

    [Fact]
    public void Another_dialect_refuses_gated_parts_and_passes_the_rest_on_as_text_with_notes()
    {
        var notes = new List<string>();
        Assert.Equal("no PDFs", Assert.Throws<ApiException>(() => RequestLowering.ForOtherDialect(Request([new Message(Role.User, [Pdf])]), notes)).Message);
        Assert.Equal("no server tools", Assert.Throws<ApiException>(() => RequestLowering.ForOtherDialect(Request([new Message(Role.User, [new TextBlock("a")])], [Search]), notes)).Message);

        var lowered = RequestLowering.ForOtherDialect(Request([new Message(Role.User, [new TextBlock("a"), Note])]), notes);

        Assert.Equal([new TextBlock("a"), new TextBlock("t")], lowered.Messages[0].Content);
        Assert.Equal(["fancy passed as text"], notes);
    }

    [Fact]
    public void The_same_dialect_keeps_raw_parts_and_gated_ones_only_when_allowed()
    {
        var request = Request([new Message(Role.User, [Pdf, Note])], [Search]);
        var notes = new List<string>();

        Assert.Throws<ApiException>(() => RequestLowering.ForDialect(request, "anthropic", allowGated: false, notes));
        var allowed = RequestLowering.ForDialect(request, "anthropic", allowGated: true, notes);

        Assert.Equal([Pdf, Note], allowed.Messages[0].Content);
        Assert.Equal([Search], allowed.RawTools);
        Assert.Empty(notes);
    }

    [Fact]
    public void A_turn_emptied_by_lowering_does_not_split_its_neighbours_and_a_request_without_raw_parts_is_the_same_object()
    {
        var left = new RawBlock("anthropic", "mystery", "{}") { Note = "left out" };
        var lowered = RequestLowering.ForOtherDialect(
            Request([new Message(Role.User, [new TextBlock("a")]), new Message(Role.Assistant, [left]), new Message(Role.User, [new TextBlock("b")])]), []);
        var plain = Request([new Message(Role.User, [new TextBlock("a")])]);

        Assert.Equal([new TextBlock("a"), new TextBlock("b")], Assert.Single(lowered.Messages).Content);
        Assert.Same(plain, RequestLowering.ForOtherDialect(plain, []));
    }
}

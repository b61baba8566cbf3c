using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Egress.Documents;
using Switchboard.Testing;

namespace Switchboard.Tests.Egress.Documents;

public sealed class PdfTextTests
{
    private static PdfSource Source(string base64, string? title = null, string? context = null) =>
        new(base64, null, title, context, "messages.0.content.1");

    [Fact]
    public void Each_page_follows_its_marker_after_a_header_with_title_and_context()
    {
        var text = PdfText.Extract(Source(TestPdf.Base64("Quarterly revenue rose", "Costs fell sharply"), "Report Q3", "From finance"), 10, 10_000);

        Assert.Equal(
            "Document: Report Q3 (PDF, text extracted by page)\nContext: From finance\n\n--- Page 1 ---\nQuarterly revenue rose\n--- Page 2 ---\nCosts fell sharply",
            text);
    }

    [Theory]
    [InlineData("JVBERi0xLjQK", "messages.0.content.1: the PDF could not be read (damaged or not a PDF)")]
    [InlineData("bm90IGEgcGRm", "messages.0.content.1: the PDF could not be read (damaged or not a PDF)")]
    [InlineData("%%%", "messages.0.content.1: source.data is not valid base64")]
    public void A_pdf_that_cannot_be_read_is_refused_naming_the_block(string data, string message)
    {
        var error = Assert.Throws<ApiException>(() => PdfText.Extract(Source(data), 10, 10_000));

        Assert.Equal(ApiErrorKind.InvalidRequest, error.Error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Limits_on_pages_and_text_refuse_rather_than_cut()
    {
        var pdf = Source(TestPdf.Base64("one", "two", "three"));

        Assert.Equal("messages.0.content.1: the PDF has 3 pages; at most 2 can be sent to this model as text",
            Assert.Throws<ApiException>(() => PdfText.Extract(pdf, 2, 10_000)).Message);
        Assert.Equal("messages.0.content.1: the PDF's text is longer than 60 characters, the most that can be sent to this model",
            Assert.Throws<ApiException>(() => PdfText.Extract(pdf, 3, 60)).Message);
    }

    [Fact]
    public void A_url_pdf_is_refused_since_switchboard_does_not_fetch_it()
    {
        var error = Assert.Throws<ApiException>(() => PdfText.Extract(new PdfSource(null, "https://example.com/a.pdf", null, null, "messages.0.content.0"), 10, 10_000));

        Assert.StartsWith("messages.0.content.0: a PDF given by URL cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lowering_sends_the_text_to_other_upstreams_and_the_block_to_an_anthropic_upstream_that_allows_pdfs()
    {
        var pdf = new PdfSource(TestPdf.Base64("Hello from the PDF"), null, "Greeting", null, "messages.0.content.0");
        var block = pdf.ToMessagesBlock("no PDFs");
        var request = new MessageRequest { Model = "m", MaxTokens = 10, Messages = [new Message(Role.User, [block, new TextBlock("Summarise")])] };
        var notes = new List<string>();

        var other = RequestLowering.ForOtherDialect(request, notes);
        var anthropicWithout = RequestLowering.ForDialect(request, "anthropic", allowGated: false, []);
        var anthropicWith = RequestLowering.ForDialect(request, "anthropic", allowGated: true, []);

        var expected = new TextBlock("Document: Greeting (PDF, text extracted by page)\n\n--- Page 1 ---\nHello from the PDF");
        Assert.Equal([expected, new TextBlock("Summarise")], other.Messages[0].Content);
        Assert.Equal([expected, new TextBlock("Summarise")], anthropicWithout.Messages[0].Content);
        Assert.Equal([block, new TextBlock("Summarise")], anthropicWith.Messages[0].Content);
        Assert.Equal(["messages.0.content.0: PDF document passed on as its extracted text"], notes);
        Assert.Contains("\"media_type\":\"application/pdf\"", block.Json, StringComparison.Ordinal);
    }
}

using System.Text;
using Switchboard.Egress.Documents;
using Switchboard.Egress.Web;

namespace Switchboard.Tests.Egress.Web;

public sealed class ReadableTextTests
{
    private static readonly Uri Page = new("https://docs.example.com/guide/start.html");

    private static WebResource Resource(string mediaType, byte[] body, string? charset = null) =>
        new(Page, mediaType, charset, body, DateTimeOffset.UnixEpoch);

    private static WebResource Html(string html) => Resource("text/html", Encoding.UTF8.GetBytes(html), "utf-8");

    [Fact]
    public void Html_becomes_headings_paragraphs_lists_and_links_without_scripts_styles_or_navigation()
    {
        const string html = """
            <!doctype html><html><head><title> Getting started </title><style>p { color: red }</style>
            <script>var secret = 1;</script></head>
            <body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
            <h1>Install</h1>
            <p>Run   the
               installer, then read <a href="../api/index.html">the API</a>.</p>
            <ul><li>fast</li><li>small</li></ul>
            <ol><li>first</li><li>second</li></ol>
            <h2>Table</h2>
            <table><tr><th>Name</th><th>Value</th></tr><tr><td>a</td><td>1</td></tr></table>
            <pre>line 1
              line 2</pre>
            <div hidden>hidden text</div>
            <script>alert('x')</script><noscript>enable js</noscript>
            <p>End<br>next line <img src="x.png" alt="a diagram"></p>
            </body></html>
            """;

        var content = ReadableText.From(Html(html), 10_000, PdfLimits.Default);

        Assert.Equal("Getting started", content.Title);
        Assert.False(content.Truncated);
        Assert.Equal(
            """
            # Install

            Run the installer, then read [the API](https://docs.example.com/api/index.html).

            - fast
            - small

            1. first
            2. second

            ## Table

            Name | Value
            a | 1

            ```
            line 1
              line 2
            ```

            End
            next line [image: a diagram]
            """.ReplaceLineEndings("\n"),
            content.Text);
    }

    [Fact]
    public void Plain_text_and_markdown_pass_as_they_are_in_their_charset()
    {
        var latin = Encoding.Latin1.GetBytes("Caf\u00e9 au lait");
        Assert.Equal("Caf\u00e9 au lait", ReadableText.From(Resource("text/plain", latin, "iso-8859-1"), 100, PdfLimits.Default).Text);

        var markdown = ReadableText.From(Resource("text/markdown", Encoding.UTF8.GetBytes("# Title\n\n* item\n")), 100, PdfLimits.Default);
        Assert.Equal("# Title\n\n* item", markdown.Text);
        Assert.Null(markdown.Title);
    }

    [Fact]
    public void Text_is_cut_at_the_character_limit()
    {
        var content = ReadableText.From(Resource("text/plain", Encoding.UTF8.GetBytes(new string('x', 500))), 100, PdfLimits.Default);

        Assert.Equal(100, content.Text.Length);
        Assert.True(content.Truncated);
    }

    [Fact]
    public void A_pdf_is_read_page_by_page_and_cut_at_the_page_limit()
    {
        var pdf = Resource("application/pdf", TestPdf.Pages("first page words", "second page words", "third page words"));
        var content = ReadableText.From(pdf, 10_000, new PdfLimits(2, 10_000));

        Assert.Contains("--- Page 1 ---\nfirst page words", content.Text, StringComparison.Ordinal);
        Assert.Contains("--- Page 2 ---\nsecond page words", content.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("third", content.Text, StringComparison.Ordinal);
        Assert.True(content.Truncated);
    }

    [Fact]
    public void A_damaged_pdf_is_unsupported_content()
    {
        var exception = Assert.Throws<WebFetchException>(() => ReadableText.From(Resource("application/pdf", Encoding.UTF8.GetBytes("not a pdf")), 100, PdfLimits.Default));

        Assert.Equal(WebFetchError.UnsupportedContent, exception.Error);
        Assert.Contains("could not be read", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("application/octet-stream")]
    [InlineData("application/zip")]
    public void Binary_types_are_unsupported_content(string mediaType)
    {
        var exception = Assert.Throws<WebFetchException>(() => ReadableText.From(Resource(mediaType, [1, 2, 3]), 100, PdfLimits.Default));

        Assert.Equal(WebFetchError.UnsupportedContent, exception.Error);
        Assert.Contains(mediaType, exception.Message, StringComparison.Ordinal);
    }
}

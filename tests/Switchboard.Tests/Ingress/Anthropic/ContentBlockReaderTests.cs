using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;
using static Switchboard.Tests.Ingress.Anthropic.RequestBodies;

namespace Switchboard.Tests.Ingress.Anthropic;

public sealed class ContentBlockReaderTests
{
    private const string ToolCall =
        "{'role':'user','content':'go'},{'role':'assistant','content':[{'type':'tool_use','id':'toolu_1','name':'Read','input':{}}]}";

    private static IReadOnlyList<ContentBlock> UserBlocks(string blocks, RequestReadNotes? notes = null) =>
        ContentOf("[{'role':'user','content':[" + blocks + "]}]", notes);

    /// <summary>The tool result a user turn answering <c>toolu_1</c> reads into; <paramref name="fields"/> follow its id.</summary>
    private static ToolResultBlock ToolResult(string fields, RequestReadNotes? notes = null)
    {
        var messages = Read(
            With("[" + ToolCall + ",{'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_1'," + fields + "}]}]"),
            notes).Messages;
        return Assert.IsType<ToolResultBlock>(Assert.Single(messages[2].Content));
    }

    [Fact]
    public void Text_blocks_keep_their_text_and_ignore_cache_control_and_citations()
    {
        var content = UserBlocks(
            "{'type':'text','text':'one','cache_control':{'type':'ephemeral','ttl':'1h'}},{'type':'text','text':'two','citations':null}");

        Assert.Equal([new TextBlock("one"), new TextBlock("two")], content);
    }

    [Fact]
    public void Images_come_from_base64_or_url_sources()
    {
        var content = UserBlocks(
            "{'type':'image','source':{'type':'base64','media_type':'image/png','data':'iVBORw0K'}},"
            + "{'type':'image','source':{'type':'url','url':'https://example.com/a.jpg'}}");

        Assert.Equal(
            [new ImageBlock("image/png", "iVBORw0K", null), new ImageBlock(null, null, "https://example.com/a.jpg")],
            content);
    }

    [Theory]
    [InlineData("{'type':'document','title':'Notes','source':{'type':'text','media_type':'text/plain','data':'Body'}}", "Notes\n\nBody")]
    [InlineData("{'type':'document','source':{'type':'text','media_type':'text/plain','data':'Body'}}", "Body")]
    [InlineData("{'type':'document','title':'T','context':'From the wiki','source':{'type':'text','data':'Body'}}", "T\n\nFrom the wiki\n\nBody")]
    [InlineData("{'type':'document','source':{'type':'content','content':'Plain'}}", "Plain")]
    [InlineData("{'type':'document','title':'T','source':{'type':'content','content':[{'type':'text','text':'p1'},{'type':'text','text':'p2'}]}}", "T\n\np1\np2")]
    public void Text_documents_become_text(string document, string expected)
    {
        var content = UserBlocks(document);

        Assert.Equal([new TextBlock(expected)], content);
    }

    [Fact]
    public void Images_inside_a_content_document_follow_its_text()
    {
        var content = UserBlocks(
            "{'type':'document','source':{'type':'content','content':[{'type':'image','source':{'type':'url','url':'https://x/i.png'}},"
            + "{'type':'text','text':'caption'}]}}");

        Assert.Equal([new TextBlock("caption"), new ImageBlock(null, null, "https://x/i.png")], content);
    }

    [Fact]
    public void Search_results_become_text_with_title_and_source()
    {
        var content = UserBlocks(
            "{'type':'search_result','title':'Docs','source':'https://d/x','content':[{'type':'text','text':'a'},{'type':'text','text':'b'}],"
            + "'citations':{'enabled':true}}");

        Assert.Equal([new TextBlock("Docs\nSource: https://d/x\n\na\nb")], content);
    }

    [Fact]
    public void Thinking_blocks_keep_signatures_and_tolerate_missing_ones()
    {
        var content = ContentOf(
            "[{'role':'assistant','content':[{'type':'thinking','thinking':'t1','signature':'sig'},"
            + "{'type':'thinking','thinking':'t2'},{'type':'thinking','thinking':'t3','signature':''},"
            + "{'type':'redacted_thinking','data':'opaque'},{'type':'text','text':'answer'}]}]");

        Assert.Equal(
            [
                new ThinkingBlock("t1", "sig"), new ThinkingBlock("t2", ""), new ThinkingBlock("t3", ""),
                new RedactedThinkingBlock("opaque"), new TextBlock("answer"),
            ],
            content);
    }

    [Fact]
    public void Tool_use_input_is_kept_as_raw_object_text()
    {
        var content = ContentOf(
            "[{'role':'assistant','content':[{'type':'tool_use','id':'toolu_1','name':'Edit','input':{'path':'a.txt','n':[1,2]},"
            + "'cache_control':{'type':'ephemeral'},'caller':{'type':'direct'}}]}]");

        Assert.Equal([new ToolUseBlock("toolu_1", "Edit", "{\"path\":\"a.txt\",\"n\":[1,2]}")], content);
    }

    [Fact]
    public void Tool_result_blocks_become_canonical_text_and_images()
    {
        var notes = new RequestReadNotes();

        var result = ToolResult(
            "'is_error':false,'content':[{'type':'text','text':'out'},"
            + "{'type':'image','source':{'type':'base64','media_type':'image/jpeg','data':'/9j/'}},"
            + "{'type':'search_result','title':'T','source':'S','content':[{'type':'text','text':'c'}]},"
            + "{'type':'document','source':{'type':'text','data':'doc'}},"
            + "{'type':'tool_reference','tool_name':'Grep'}]",
            notes);

        Assert.False(result.IsError);
        Assert.Equal(
            [new TextBlock("out"), new ImageBlock("image/jpeg", "/9j/", null), new TextBlock("T\nSource: S\n\nc"), new TextBlock("doc"), new TextBlock("Tool loaded: Grep")],
            result.Content);
        Assert.Equal(
            ["messages.2.content.0.content.4: tool_reference passed on as a line naming the tool"],
            notes.Items);
    }

    [Theory]
    [InlineData("'content':'plain','is_error':true", "plain", true)]
    [InlineData("'content':'plain'", "plain", false)]
    public void Tool_result_string_content_and_error_flag(string fields, string text, bool isError)
    {
        var result = ToolResult(fields);

        Assert.Equal([new TextBlock(text)], result.Content);
        Assert.Equal(isError, result.IsError);
    }

    [Fact]
    public void Unknown_block_with_text_is_passed_on_as_text_and_noted_without_the_text()
    {
        var notes = new RequestReadNotes();

        var content = UserBlocks("{'type':'text','text':'a'},{'type':'fancy_note','text':'secret prompt words'}", notes);

        Assert.Equal([new TextBlock("a"), new TextBlock("secret prompt words")], content);
        var note = Assert.Single(notes.Items);
        Assert.Equal("messages.0.content.1: content block type 'fancy_note' is not translated; passed on as its text", note);
        Assert.DoesNotContain("secret", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_unknown_type_names_are_clipped_in_notes()
    {
        var notes = new RequestReadNotes();
        var type = new string('z', 100);

        UserBlocks("{'type':'text','text':'a'},{'type':'" + type + "'}", notes);

        Assert.Equal(
            $"messages.0.content.1: content block type '{new string('z', 64)}…' is not translated and has no text; left out",
            Assert.Single(notes.Items));
    }

    [Fact]
    public void Server_tool_history_blocks_are_left_out_with_notes()
    {
        var notes = new RequestReadNotes();

        var content = ContentOf(
            "[{'role':'assistant','content':[{'type':'text','text':'searching'},"
            + "{'type':'server_tool_use','id':'srvtoolu_1','name':'web_search','input':{'query':'q'}},"
            + "{'type':'web_search_tool_result','tool_use_id':'srvtoolu_1','content':[{'type':'web_search_result','url':'u','title':'t','encrypted_content':'e'}]}]}]",
            notes);

        Assert.Equal([new TextBlock("searching")], content);
        Assert.Equal(
            [
                "messages.0.content.1: content block type 'server_tool_use' is not translated and has no text; left out",
                "messages.0.content.2: content block type 'web_search_tool_result' is not translated and has no text; left out",
            ],
            notes.Items);
    }

    [Theory]
    [InlineData("'x'", "messages.0.content.0: Input should be an object")]
    [InlineData("{'text':'x'}", "messages.0.content.0.type: Field required")]
    [InlineData("{'type':5}", "messages.0.content.0.type: Input should be a valid string")]
    [InlineData("{'type':'text'}", "messages.0.content.0.text: Field required")]
    [InlineData("{'type':'text','text':['x']}", "messages.0.content.0.text: Input should be a valid string")]
    [InlineData("{'type':'image'}", "messages.0.content.0.source: Field required")]
    [InlineData("{'type':'image','source':'https://x'}", "messages.0.content.0.source: Input should be an object")]
    [InlineData("{'type':'image','source':{'type':'base64','data':'AA'}}", "messages.0.content.0.source.media_type: Field required")]
    [InlineData("{'type':'image','source':{'type':'base64','media_type':'image/png'}}", "messages.0.content.0.source.data: Field required")]
    [InlineData("{'type':'image','source':{'type':'url'}}", "messages.0.content.0.source.url: Field required")]
    [InlineData("{'type':'image','source':{'type':'file','file_id':'f1'}}", "messages.0.content.0.source.type: image sources of type 'file' (Files API) are not supported; send the image as 'base64' or 'url'")]
    [InlineData("{'type':'image','source':{'type':'bytes'}}", "messages.0.content.0.source.type: Input should be 'base64' or 'url'")]
    [InlineData("{'type':'document','source':{'type':'base64','media_type':'application/pdf','data':'JVBER'}}", "messages.0.content.0: source.data is not valid base64")]
    [InlineData("{'type':'document','source':{'type':'base64','media_type':'application/pdf','data':'JVBERi0xLjQK'}}", "messages.0.content.0: the PDF could not be read (damaged or not a PDF)")]
    [InlineData("{'type':'document','source':{'type':'base64','media_type':'text/plain','data':'JVBERi0xLjQK'}}", "messages.0.content.0.source.media_type: Input should be 'application/pdf'")]
    [InlineData("{'type':'document','source':{'type':'url','url':'https://x/a.pdf'}}", "messages.0.content.0: a PDF given by URL cannot be read for this model; send it inline with a source of type 'base64'")]
    [InlineData("{'type':'document','source':{'type':'file','file_id':'f'}}", "messages.0.content.0.source.type: document sources of type 'file' (Files API) are not supported; send the document's text with a source of type 'text'")]
    [InlineData("{'type':'document','source':{'type':'zip'}}", "messages.0.content.0.source.type: Input should be 'text', 'content', 'base64' or 'url'")]
    [InlineData("{'type':'document','source':{'type':'text'}}", "messages.0.content.0.source.data: Field required")]
    [InlineData("{'type':'document','source':{'type':'content','content':[{'type':'text'}]}}", "messages.0.content.0.source.content.0.text: Field required")]
    [InlineData("{'type':'search_result','source':'s','content':[]}", "messages.0.content.0.title: Field required")]
    [InlineData("{'type':'search_result','title':'t','source':'s','content':[{'type':'text'}]}", "messages.0.content.0.content.0.text: Field required")]
    public void Malformed_user_blocks_are_rejected_with_the_path(string block, string expected) =>
        Assert.Equal(expected, Rejection(With("[{'role':'user','content':[" + block + "]}]")));

    [Theory]
    [InlineData("{'type':'tool_use','name':'A','input':{}}", "messages.0.content.0.id: Field required")]
    [InlineData("{'type':'tool_use','id':'t','input':{}}", "messages.0.content.0.name: Field required")]
    [InlineData("{'type':'tool_use','id':'t','name':'A'}", "messages.0.content.0.input: Field required")]
    [InlineData("{'type':'tool_use','id':'t','name':'A','input':'{}'}", "messages.0.content.0.input: Input should be an object")]
    [InlineData("{'type':'thinking','signature':'s'}", "messages.0.content.0.thinking: Field required")]
    [InlineData("{'type':'thinking','thinking':'t','signature':7}", "messages.0.content.0.signature: Input should be a valid string")]
    [InlineData("{'type':'redacted_thinking'}", "messages.0.content.0.data: Field required")]
    public void Malformed_assistant_blocks_are_rejected_with_the_path(string block, string expected) =>
        Assert.Equal(expected, Rejection(With("[{'role':'assistant','content':[" + block + "]}]")));

    [Theory]
    [InlineData("{'type':'tool_result'}", "messages.2.content.0.tool_use_id: Field required")]
    [InlineData("{'type':'tool_result','tool_use_id':'toolu_1','is_error':'yes'}", "messages.2.content.0.is_error: Input should be a valid boolean")]
    [InlineData("{'type':'tool_result','tool_use_id':'toolu_1','content':5}", "messages.2.content.0.content: Input should be a valid string or a list of content blocks")]
    [InlineData("{'type':'tool_result','tool_use_id':'toolu_1','content':[{'type':'text'}]}", "messages.2.content.0.content.0.text: Field required")]
    [InlineData("{'type':'tool_result','tool_use_id':'toolu_1','content':[{'type':'image','source':{'type':'url'}}]}", "messages.2.content.0.content.0.source.url: Field required")]
    [InlineData("{'type':'tool_result','tool_use_id':'toolu_1','content':[{'type':'text','text':'a'},{'type':'document','source':{'type':'base64','media_type':'application/pdf','data':'J'}}]}", "messages.2.content.0.content.1: source.data is not valid base64")]
    public void Malformed_tool_results_are_rejected_with_the_path(string block, string expected) =>
        Assert.Equal(expected, Rejection(With("[" + ToolCall + ",{'role':'user','content':[" + block + "]}]")));
}

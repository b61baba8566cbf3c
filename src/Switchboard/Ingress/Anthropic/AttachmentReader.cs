using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.Anthropic.RequestFields;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Reads the blocks that carry material rather than conversation: <c>image</c>, <c>document</c> and
/// <c>search_result</c>. They may stand in a message or inside a <c>tool_result</c>.
/// </summary>
internal static class AttachmentReader
{
    /// <summary>Reads the block when <paramref name="type"/> is one of these kinds; otherwise returns false.</summary>
    public static bool TryRead(JsonElement type, JsonElement block, in FieldPath at, List<ContentBlock> into)
    {
        if (type.ValueEquals("image"u8))
        {
            into.Add(ReadImage(block, at));
        }
        else if (type.ValueEquals("document"u8))
        {
            ReadDocument(block, at, into);
        }
        else if (type.ValueEquals("search_result"u8))
        {
            into.Add(ReadSearchResult(block, at));
        }
        else
        {
            return false;
        }

        return true;
    }

    private static ImageBlock ReadImage(JsonElement block, in FieldPath at)
    {
        var source = RequiredObject(block, "source", at);
        var sourceAt = at.Child("source");
        var kind = RequiredType(source, sourceAt);
        if (kind.ValueEquals("base64"u8))
        {
            return new ImageBlock(RequiredString(source, "media_type", sourceAt), RequiredString(source, "data", sourceAt), null);
        }

        if (kind.ValueEquals("url"u8))
        {
            return new ImageBlock(null, null, RequiredString(source, "url", sourceAt));
        }

        if (kind.ValueEquals("file"u8))
        {
            throw Invalid(sourceAt.Name("type"), "image sources of type 'file' (Files API) are not supported; send the image as 'base64' or 'url'");
        }

        throw Invalid(sourceAt.Name("type"), "Input should be 'base64' or 'url'");
    }

    /// <summary>
    /// Text documents become text (with their title and context). PDFs and Files API documents stay raw: an
    /// Anthropic-compatible upstream that allows them reads them; for any other the lowering step extracts a PDF's
    /// text (a PDF by URL once Switchboard has fetched it; a Files API document is refused).
    /// </summary>
    private static void ReadDocument(JsonElement block, in FieldPath at, List<ContentBlock> into)
    {
        var source = RequiredObject(block, "source", at);
        var sourceAt = at.Child("source");
        var kind = RequiredType(source, sourceAt);
        if (kind.ValueEquals("base64"u8))
        {
            var mediaType = RequiredString(source, "media_type", sourceAt);
            if (mediaType != "application/pdf")
            {
                throw Invalid(sourceAt.Name("media_type"), "Input should be 'application/pdf'");
            }

            var pdf = new PdfSource(RequiredString(source, "data", sourceAt), null, OptionalString(block, "title", at), OptionalString(block, "context", at), at.ToString());
            UnknownBlocks.Gated(block, "document", Invalid(sourceAt.ToString(), "PDF documents are not supported"), into, pdf);
            return;
        }

        if (kind.ValueEquals("url"u8))
        {
            var pdf = new PdfSource(null, RequiredString(source, "url", sourceAt), OptionalString(block, "title", at), OptionalString(block, "context", at), at.ToString());
            UnknownBlocks.Gated(block, "document", Invalid(sourceAt.Name("type"), "PDF documents given by URL are not supported by this model; send the PDF inline with a source of type 'base64'"), into, pdf);
            return;
        }

        if (kind.ValueEquals("file"u8))
        {
            UnknownBlocks.Gated(block, "document", Invalid(sourceAt.Name("type"), "document sources of type 'file' (Files API) are not supported; send the document's text with a source of type 'text'"), into);
            return;
        }

        var title = OptionalString(block, "title", at);
        var context = OptionalString(block, "context", at);
        if (kind.ValueEquals("text"u8))
        {
            into.Add(new TextBlock(WithHeading(title, context, RequiredString(source, "data", sourceAt))));
            return;
        }

        if (!kind.ValueEquals("content"u8))
        {
            throw Invalid(sourceAt.Name("type"), "Input should be 'text', 'content', 'base64' or 'url'");
        }

        var content = Required(source, "content", sourceAt);
        if (content.ValueKind == JsonValueKind.String)
        {
            into.Add(new TextBlock(WithHeading(title, context, content.GetString()!)));
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(sourceAt.Name("content"), "Input should be a valid string or a list of content blocks");
        }

        ReadDocumentContent(content, at, title, context, into);
    }

    /// <summary>
    /// A document given as blocks: its texts become one text block; its images follow it. Rare enough that the
    /// nested paths are built per item.
    /// </summary>
    private static void ReadDocumentContent(
        JsonElement content, in FieldPath at, string? title, string? context, List<ContentBlock> into)
    {
        var text = new StringBuilder();
        var textAt = into.Count;
        var index = 0;
        foreach (var item in content.EnumerateArray())
        {
            var itemAt = at.Child($"source.content.{index}");
            ExpectObject(item, itemAt);
            var type = RequiredType(item, itemAt);
            if (type.ValueEquals("text"u8))
            {
                text.Append(text.Length == 0 ? "" : "\n").Append(RequiredString(item, "text", itemAt));
            }
            else if (type.ValueEquals("image"u8))
            {
                into.Add(ReadImage(item, itemAt));
            }
            else
            {
                UnknownBlocks.PassOn(type, item, itemAt, into);
            }

            index++;
        }

        into.Insert(textAt, new TextBlock(WithHeading(title, context, text.ToString())));
    }

    private const string ParagraphBreak = "\n\n";

    private static string WithHeading(string? title, string? context, string body)
    {
        if (title is null && context is null)
        {
            return body;
        }

        var text = new StringBuilder();
        foreach (var part in (ReadOnlySpan<string?>)[title, context, body])
        {
            if (!string.IsNullOrEmpty(part))
            {
                text.Append(text.Length == 0 ? "" : ParagraphBreak).Append(part);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// A search result becomes text a chat model can cite: title, source, then its passages. It can sit inside a
    /// tool result, whose path already uses every index slot, so item paths are built per item (a rare block).
    /// </summary>
    private static TextBlock ReadSearchResult(JsonElement block, in FieldPath at)
    {
        var title = RequiredString(block, "title", at);
        var source = RequiredString(block, "source", at);
        var content = Required(block, "content", at);
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(at.Name("content"), "Input should be a valid list");
        }

        var text = new StringBuilder(title).Append("\nSource: ").Append(source).Append(ParagraphBreak);
        var index = 0;
        foreach (var item in content.EnumerateArray())
        {
            var itemAt = at.Child($"content.{index}");
            ExpectObject(item, itemAt);
            text.Append(index == 0 ? "" : "\n").Append(RequiredString(item, "text", itemAt));
            index++;
        }

        return new TextBlock(text.ToString());
    }
}

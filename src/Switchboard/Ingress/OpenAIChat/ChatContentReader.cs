using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.OpenAIFields;

namespace Switchboard.Ingress.OpenAIChat;

/// <summary>
/// Reads message <c>content</c>: a string, or content parts. <c>text</c> and <c>image_url</c> (a data URI or a URL;
/// <c>detail</c> has no meaning to open models and is ignored) are translated, and so are inline PDF <c>file</c>
/// parts (their text is extracted per upstream); audio and other file parts are refused
/// with a 400 naming the part, since open models behind Switchboard cannot take them and dropping them would
/// answer a question the user did not ask.
/// </summary>
internal static class ChatContentReader
{
    /// <summary>A user or tool message's content into canonical blocks; <paramref name="at"/> is the message's path.</summary>
    public static void Read(JsonElement content, in OpenAIPath at, List<ContentBlock> into)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            into.Add(new TextBlock(content.GetString()!));
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(at.Name("content"), "one of a string or array of objects", content);
        }

        var parts = at.Child("content");
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partAt = parts.Item(index);
            ExpectObject(part, partAt);
            var type = RequiredType(part, partAt);
            if (type.ValueEquals("text"u8))
            {
                into.Add(new TextBlock(RequiredString(part, "text", partAt)));
            }
            else if (type.ValueEquals("image_url"u8))
            {
                into.Add(ReadImage(part, partAt));
            }
            else if (type.ValueEquals("input_audio"u8))
            {
                throw Unsupported(partAt.ToString(),
                    $"Invalid content part '{partAt}': audio input (type 'input_audio') is not supported by the models Switchboard serves; send a transcript as text.");
            }
            else if (type.ValueEquals("file"u8))
            {
                into.Add(PdfFile(part, partAt) ?? throw Unsupported(partAt.ToString(),
                    $"Invalid content part '{partAt}': file inputs (type 'file') other than inline PDFs (file_data as a data:application/pdf;base64 URI) are not supported by the models Switchboard serves; send the document's text as a text part."));
            }
            else
            {
                throw BadValue(partAt.Name("type"), type, "'text', 'image_url', 'input_audio', and 'file'");
            }

            index++;
        }
    }

    /// <summary>
    /// Text-only content (system, developer and assistant messages): a string, or text parts joined with newlines.
    /// An assistant's <c>refusal</c> part counts as text: it is what the model said.
    /// </summary>
    public static string ReadText(JsonElement content, in OpenAIPath at, bool allowRefusal)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(at.Name("content"), "one of a string or array of objects", content);
        }

        // One part is the common case: its text is returned without building a new string.
        string? single = null;
        StringBuilder? joined = null;
        var parts = at.Child("content");
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partAt = parts.Item(index);
            ExpectObject(part, partAt);
            var type = RequiredType(part, partAt);
            string text;
            if (type.ValueEquals("text"u8))
            {
                text = RequiredString(part, "text", partAt);
            }
            else if (allowRefusal && type.ValueEquals("refusal"u8))
            {
                text = RequiredString(part, "refusal", partAt);
            }
            else
            {
                throw BadValue(partAt.Name("type"), type, allowRefusal ? "'text' and 'refusal'" : "'text'");
            }

            if (single is null)
            {
                single = text;
            }
            else
            {
                joined ??= new StringBuilder(single);
                joined.Append('\n').Append(text);
            }

            index++;
        }

        return joined?.ToString() ?? single ?? "";
    }

    public static JsonElement RequiredType(JsonElement part, in OpenAIPath at)
    {
        var type = Required(part, "type", at);
        return type.ValueKind == JsonValueKind.String ? type : throw WrongType(at.Name("type"), "a string", type);
    }

    /// <summary><c>{"type":"image_url","image_url":{"url":…,"detail":…}}</c>; a bare URL string is taken too.</summary>
    /// <summary>
    /// A <c>file</c> part holding a PDF inline: the same document block the Messages door makes, so the lowering
    /// step sends its text (or the PDF itself to an upstream that reads PDFs). Null for any other file.
    /// </summary>
    private static RawBlock? PdfFile(JsonElement part, in OpenAIPath at)
    {
        const string Prefix = "data:application/pdf;base64,";
        if (part.TryGetProperty("file"u8, out var file) && file.ValueKind == JsonValueKind.Object
            && file.TryGetProperty("file_data"u8, out var data) && data.ValueKind == JsonValueKind.String
            && data.GetString() is { } uri && uri.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            var name = file.TryGetProperty("filename"u8, out var filename) && filename.ValueKind == JsonValueKind.String ? filename.GetString() : null;
            return new PdfSource(uri[Prefix.Length..], null, name, null, at.ToString())
                .ToMessagesBlock($"Invalid content part '{at}': PDF documents are not supported by this model.");
        }

        return null;
    }

    private static ImageBlock ReadImage(JsonElement part, in OpenAIPath at)
    {
        var image = Required(part, "image_url", at);
        var imageAt = at.Child("image_url");
        string url;
        if (image.ValueKind == JsonValueKind.String)
        {
            url = image.GetString()!;
        }
        else if (image.ValueKind == JsonValueKind.Object)
        {
            url = RequiredString(image, "url", imageAt);
        }
        else
        {
            throw WrongType(at.Name("image_url"), "an object", image);
        }

        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw Invalid(imageAt.Name("url"),
                    $"Invalid '{imageAt.Name("url")}': expected an http(s) URL or a base64 data URI (data:image/png;base64,…).", "invalid_value");
            }

            return new ImageBlock(null, null, url);
        }

        // data:<media type>;base64,<data>
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        var header = comma < 0 ? "" : url.AsSpan(5, comma - 5);
        const string Base64Marker = ";base64";
        if (comma < 0 || !header.EndsWith(Base64Marker, StringComparison.OrdinalIgnoreCase) || header.Length == Base64Marker.Length)
        {
            throw Invalid(imageAt.Name("url"),
                $"Invalid '{imageAt.Name("url")}': a data URI must be base64 with a media type (data:image/png;base64,…).", "invalid_value");
        }

        var mediaType = header[..^Base64Marker.Length].ToString();
        return new ImageBlock(mediaType, url[(comma + 1)..], null);
    }
}

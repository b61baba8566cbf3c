using System.Text;
using AngleSharp.Html.Parser;
using Switchboard.Canonical;
using Switchboard.Egress.Documents;

namespace Switchboard.Egress.Web;

/// <summary>
/// A fetched resource as text for a model: HTML reduced to its readable text (<see cref="HtmlReducer"/>), plain text,
/// Markdown, CSV, JSON and XML as they are, PDFs through <see cref="PdfText"/>; anything else (images, archives,
/// executables …) is <see cref="WebFetchError.UnsupportedContent"/>. The text is cut at <c>maxChars</c>.
/// </summary>
public static class ReadableText
{
    private static readonly HtmlParser Parser = new();

    public static ReadableContent From(WebResource resource, int maxChars, PdfLimits pdf)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 1);
        var type = resource.MediaType;
        if (type is "text/html" or "application/xhtml+xml")
        {
            var document = Parser.ParseDocument(Decode(resource));
            var title = document.Title?.Trim() is { Length: > 0 } t ? t : null;
            return Cut(title, HtmlReducer.Reduce(document, resource.Url), type, maxChars);
        }

        if (type == "application/pdf")
        {
            var source = new PdfSource(null, resource.Url.ToString(), null, null, "the fetched PDF");
            try
            {
                var (text, truncated) = PdfText.ExtractUpTo(resource.Body.ToArray(), source, pdf.MaxPages, Math.Min(maxChars, pdf.MaxChars));
                return new ReadableContent(null, text, type, truncated);
            }
            catch (ApiException exception)
            {
                throw new WebFetchException(WebFetchError.UnsupportedContent, exception.Message);
            }
        }

        if (IsText(type))
        {
            return Cut(null, Decode(resource), type, maxChars);
        }

        throw new WebFetchException(WebFetchError.UnsupportedContent, $"content of type '{type}' cannot be read as text");
    }

    /// <summary>Media types passed on as they are.</summary>
    public static bool IsText(string mediaType) =>
        (mediaType.StartsWith("text/", StringComparison.Ordinal) && mediaType is not "text/html")
        || mediaType is "application/json" or "application/xml" or "application/x-ndjson"
        || mediaType.EndsWith("+json", StringComparison.Ordinal) || mediaType.EndsWith("+xml", StringComparison.Ordinal);

    /// <summary>The body as text: the declared charset, else a byte-order mark, else UTF-8.</summary>
    internal static string Decode(WebResource resource)
    {
        var encoding = Encoding.UTF8;
        if (resource.Charset is { Length: > 0 } charset)
        {
            try
            {
                encoding = Encoding.GetEncoding(charset);
            }
            catch (ArgumentException)
            {
                // An unknown charset: UTF-8 reads most of the web.
            }
        }

        using var reader = new StreamReader(new MemoryStream(resource.Body.ToArray(), writable: false), encoding, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static ReadableContent Cut(string? title, string text, string type, int maxChars)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= maxChars
            ? new ReadableContent(title, trimmed, type, false)
            : new ReadableContent(title, trimmed[..maxChars], type, true);
    }
}

using System.Text;
using Switchboard.Canonical;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Switchboard.Egress.Documents;

/// <summary>
/// A PDF's text for a model that cannot read PDFs: a header with the document's title and context, then each page's
/// text after a page marker (<c>--- Page 3 ---</c>), in reading order. A PDF that cannot be read (encrypted, corrupt,
/// not base64) or that is longer than the limits is refused with a 400 naming the block: leaving it out, or sending
/// a part of it, would answer another question.
/// </summary>
public static class PdfText
{
    /// <param name="maxPages">The most pages accepted.</param>
    /// <param name="maxChars">The most characters of extracted text accepted.</param>
    public static string Extract(PdfSource pdf, int maxPages, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        if (pdf.Base64Data is not { } data)
        {
            throw new ApiException(ApiErrorKind.InvalidRequest, $"{pdf.Location}: a PDF given by URL cannot be read for this model; send it inline with a source of type 'base64'");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            throw Refused(pdf, "source.data is not valid base64");
        }

        return Extract(bytes, pdf, maxPages, maxChars);
    }

    /// <summary>The text of a PDF's bytes (e.g. fetched from its URL), refused as <see cref="Extract(PdfSource, int, int)"/> refuses.</summary>
    public static string Extract(byte[] bytes, PdfSource pdf, int maxPages, int maxChars) =>
        Read(bytes, pdf, maxPages, maxChars, truncate: false).Text;

    /// <summary>
    /// The text of a PDF's bytes up to the limits: pages after <paramref name="maxPages"/> and text after
    /// <paramref name="maxChars"/> are left out (and <c>Truncated</c> says so) instead of refused; a PDF that cannot be
    /// read is still refused.
    /// </summary>
    public static (string Text, bool Truncated) ExtractUpTo(byte[] bytes, PdfSource pdf, int maxPages, int maxChars) =>
        Read(bytes, pdf, maxPages, maxChars, truncate: true);

    private static (string Text, bool Truncated) Read(byte[] bytes, PdfSource pdf, int maxPages, int maxChars, bool truncate)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(pdf);
        var text = new StringBuilder();
        var truncated = false;
        AppendHeader(text, pdf);
        try
        {
            using var document = PdfDocument.Open(bytes);
            if (document.NumberOfPages > maxPages)
            {
                if (!truncate)
                {
                    throw Refused(pdf, $"the PDF has {document.NumberOfPages} pages; at most {maxPages} can be sent to this model as text");
                }

                truncated = true;
            }

            foreach (var page in document.GetPages())
            {
                if (page.Number > maxPages)
                {
                    break;
                }

                text.Append("--- Page ").Append(page.Number).Append(" ---\n");
                text.Append(ContentOrderTextExtractor.GetText(page).Trim()).Append('\n');
                if (text.Length > maxChars)
                {
                    if (!truncate)
                    {
                        throw Refused(pdf, $"the PDF's text is longer than {maxChars} characters, the most that can be sent to this model");
                    }

                    text.Length = maxChars;
                    truncated = true;
                    break;
                }
            }
        }
        catch (ApiException)
        {
            throw;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // PdfPig reports encrypted and malformed files with several exception types; the client only needs to
            // know the file could not be read, never the parser's internals.
            var reason = exception.GetType().Name.Contains("Encrypted", StringComparison.Ordinal)
                ? "the PDF is encrypted"
                : "the PDF could not be read (damaged or not a PDF)";
            throw Refused(pdf, reason);
        }

        return (text.ToString().TrimEnd(), truncated);
    }

    private static void AppendHeader(StringBuilder text, PdfSource pdf)
    {
        text.Append("Document");
        if (!string.IsNullOrEmpty(pdf.Title))
        {
            text.Append(": ").Append(pdf.Title);
        }

        text.Append(" (PDF, text extracted by page)\n");
        if (!string.IsNullOrEmpty(pdf.Context))
        {
            text.Append("Context: ").Append(pdf.Context).Append('\n');
        }

        text.Append('\n');
    }

    private static ApiException Refused(PdfSource pdf, string reason) =>
        new(ApiErrorKind.InvalidRequest, $"{pdf.Location}: {reason}");
}

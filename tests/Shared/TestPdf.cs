using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Switchboard.Testing;

/// <summary>Small real PDFs written by PdfPig: one page per string, the string as one line of Helvetica.</summary>
public static class TestPdf
{
    public static byte[] Pages(params string[] pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var text in pages)
        {
            var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
            page.AddText(text, 12, new PdfPoint(50, 700), font);
        }

        return builder.Build();
    }

    public static string Base64(params string[] pages) => Convert.ToBase64String(Pages(pages));
}

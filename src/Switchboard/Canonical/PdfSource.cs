using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>
/// A PDF document as the client gave it: inline bytes (base64) or a URL, with the document's title and context.
/// Carried on the <see cref="RawBlock"/> of the document, so an upstream that reads PDFs gets the block itself and
/// any other gets the text the lowering step extracts. <see cref="Location"/> names the block in refusals.
/// </summary>
public sealed record PdfSource(string? Base64Data, string? Url, string? Title, string? Context, string Location)
{
    /// <summary>The Messages API dialect's name, for blocks made by the other doors.</summary>
    public const string MessagesDialect = "anthropic";

    /// <summary>
    /// The block as a Messages API <c>document</c>, for a PDF that arrived through another door: an upstream that
    /// reads PDFs gets it as if a Messages client had sent it.
    /// </summary>
    public RawBlock ToMessagesBlock(string refusal)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "document");
            json.WriteStartObject("source");
            if (Base64Data is not null)
            {
                json.WriteString("type", "base64");
                json.WriteString("media_type", "application/pdf");
                json.WriteString("data", Base64Data);
            }
            else
            {
                json.WriteString("type", "url");
                json.WriteString("url", Url);
            }

            json.WriteEndObject();
            if (Title is not null)
            {
                json.WriteString("title", Title);
            }

            if (Context is not null)
            {
                json.WriteString("context", Context);
            }

            json.WriteEndObject();
        }

        return new RawBlock(MessagesDialect, "document", System.Text.Encoding.UTF8.GetString(buffer.ToArray())) { Pdf = this, Refusal = refusal };
    }
}

namespace Switchboard.Egress.Web;

/// <summary>A fetched resource as text a model can read.</summary>
/// <param name="Title">The page's or document's title, when it has one.</param>
/// <param name="Text">The readable text (Markdown-like for HTML: headings, lists, links as <c>[text](url)</c>).</param>
/// <param name="MediaType">The resource's media type.</param>
/// <param name="Truncated">The text was cut at the character limit (or a PDF's page limit).</param>
public sealed record ReadableContent(string? Title, string Text, string MediaType, bool Truncated);

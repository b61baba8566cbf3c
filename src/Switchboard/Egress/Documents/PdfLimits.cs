namespace Switchboard.Egress.Documents;

/// <summary>How much of a PDF may be sent to a model as text (per upstream: <c>PdfMaxPages</c>, <c>PdfMaxTextChars</c>).</summary>
public sealed record PdfLimits(int MaxPages, int MaxChars)
{
    public static readonly PdfLimits Default = new(100, 500_000);
}

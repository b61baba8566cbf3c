using Switchboard.Configuration;

namespace Switchboard.Egress.Documents;

/// <summary>The PDF limits an upstream is configured with.</summary>
public static class PdfLimitsOf
{
    public static PdfLimits Upstream(UpstreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PdfLimits(options.PdfMaxPages, options.PdfMaxTextChars);
    }
}

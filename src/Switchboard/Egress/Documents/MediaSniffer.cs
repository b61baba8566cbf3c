namespace Switchboard.Egress.Documents;

/// <summary>
/// A fetched body's type by its first bytes: servers label files loosely (<c>application/octet-stream</c>,
/// <c>image/jpg</c>), and a model server should only get what the block claims to be.
/// </summary>
public static class MediaSniffer
{
    /// <summary><c>image/png</c>, <c>image/jpeg</c>, <c>image/gif</c> or <c>image/webp</c>; null for anything else.</summary>
    public static string? ImageType(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (body.StartsWith("GIF87a"u8) || body.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (body.Length >= 12 && body.StartsWith("RIFF"u8) && body[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        return null;
    }

    /// <summary>A PDF starts with <c>%PDF-</c>, within its first kilobyte (some writers put bytes before it).</summary>
    public static bool IsPdf(ReadOnlySpan<byte> body) => body[..Math.Min(body.Length, 1024)].IndexOf("%PDF-"u8) >= 0;
}

namespace Switchboard.Egress.Anthropic;

/// <summary>A <c>data:</c> image URI (as OpenAI clients send inline images) split into media type and base64 data.</summary>
internal static class DataUri
{
    public static bool TryParse(string uri, out string mediaType, out string data)
    {
        mediaType = data = "";
        if (!uri.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var marker = uri.IndexOf(";base64,", StringComparison.OrdinalIgnoreCase);
        if (marker < 5)
        {
            return false;
        }

        mediaType = uri[5..marker];
        data = uri[(marker + ";base64,".Length)..];
        return mediaType.Length > 0;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>Rewrites tool-call ids into the <see cref="ToolCallIdStyle"/> a model's template accepts.</summary>
public static class ToolCallIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The id in the given style; the same id always gives the same result.</summary>
    public static string For(string id, ToolCallIdStyle style)
    {
        if (style == ToolCallIdStyle.AsSent)
        {
            return id;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        Span<char> chars = stackalloc char[9];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[hash[i] % Alphabet.Length];
        }

        return new string(chars);
    }
}

using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Pipeline;

/// <summary>
/// Signs thinking text with a keyed MAC, so Switchboard can recognise its own untouched thinking when a client
/// sends it back. Instances are per message and fed incrementally; nothing is kept of the text itself.
/// </summary>
public sealed class ThinkingSignature : IDisposable
{
    private const byte Version = 1;
    private readonly byte[] _key;

    /// <summary>Created on first use: most messages carry no thinking, and a MAC context is costly to set up.</summary>
    private IncrementalHash? _mac;

    public ThinkingSignature(ReadOnlySpan<byte> key) => _key = key.ToArray();

    public void Append(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var written = Encoding.UTF8.GetBytes(text, rented);
            Mac.AppendData(rented, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Returns the signature of everything appended since the last call, and resets.</summary>
    public string Finish()
    {
        Span<byte> buffer = stackalloc byte[33];
        buffer[0] = Version;
        Mac.GetHashAndReset(buffer[1..]);
        return Convert.ToBase64String(buffer);
    }

    public static string Sign(ReadOnlySpan<byte> key, string thinking)
    {
        using var signature = new ThinkingSignature(key);
        signature.Append(thinking);
        return signature.Finish();
    }

    /// <summary>True when <paramref name="signature"/> is Switchboard's signature of exactly this text.</summary>
    public static bool Verify(ReadOnlySpan<byte> key, string thinking, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(key, thinking));
        var actual = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    public void Dispose() => _mac?.Dispose();

    private IncrementalHash Mac => _mac ??= IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
}

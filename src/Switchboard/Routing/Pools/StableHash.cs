using System.Runtime.InteropServices;

namespace Switchboard.Routing.Pools;

/// <summary>
/// A fast, stable 64-bit hash (FNV-1a over UTF-16 code units, then the SplitMix64 finaliser so nearby inputs spread),
/// the same in every process and on every run: affinity keys and rendezvous scores must not change on restart.
/// </summary>
public static class StableHash
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Start => Offset;

    public static ulong Add(ulong hash, ReadOnlySpan<char> text)
    {
        foreach (var b in MemoryMarshal.AsBytes(text))
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }

    public static ulong Of(string text) => Mix(Add(Offset, text));

    /// <summary>SplitMix64's finaliser: every input bit affects every output bit.</summary>
    public static ulong Mix(ulong value)
    {
        value ^= value >> 30;
        value *= 0xBF58476D1CE4E5B9UL;
        value ^= value >> 27;
        value *= 0x94D049BB133111EBUL;
        value ^= value >> 31;
        return value;
    }
}

using Switchboard.Buffers;

namespace Switchboard.Ingress;

/// <summary>
/// A request body read whole and checked as text (size limit, valid UTF-8, lone surrogates replaced), not parsed:
/// for a reader that walks a large body itself instead of holding a parsed copy next to it, and the bytes
/// <see cref="RequestBody.ReadJsonAsync"/> parses. Disposing it returns the buffer and the large-body reservation.
/// </summary>
internal sealed class RequestBytes(BodyBuffer body, int start, LargeBodyMemory.Scope? large, int replacedSurrogates) : IDisposable
{
    /// <summary>The JSON text, without a leading byte order mark.</summary>
    public ReadOnlyMemory<byte> Json => body.WrittenMemory[start..];

    /// <summary>How many unpaired surrogate escapes were replaced with U+FFFD (see <see cref="RequestText"/>).</summary>
    public int ReplacedSurrogates => replacedSurrogates;

    /// <summary>Whether the body is above the pooled size (it then holds a large-body reservation).</summary>
    public bool IsLarge => body.Length > LargeBodyMemory.Threshold;

    /// <summary>Returns the buffer early (its bytes were copied out), keeping the large-body reservation until disposed.</summary>
    public void ReleaseBuffer() => body.Dispose();

    public void Dispose()
    {
        body.Dispose();
        large?.Dispose();
    }
}

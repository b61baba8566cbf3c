using Switchboard.Buffers;

namespace Switchboard.Ingress;

/// <summary>
/// A request body read whole and checked as text (size limit, valid UTF-8, lone surrogates replaced), not parsed:
/// for a reader that walks a large body itself instead of holding a parsed copy next to it. Disposing it returns the
/// buffer and the large-body reservation.
/// </summary>
internal sealed class RequestBytes(BodyBuffer body, int start, LargeBodyMemory.Scope? large) : IDisposable
{
    /// <summary>The JSON text, without a leading byte order mark.</summary>
    public ReadOnlyMemory<byte> Json => body.WrittenMemory[start..];

    public void Dispose()
    {
        body.Dispose();
        large?.Dispose();
    }
}

using System.Collections.Concurrent;

namespace Switchboard.Tenancy.Ledger;

/// <summary>
/// The request ids settled lately, so a record settled twice writes one row and charges once. Two generations of
/// ids, the older dropped every <see cref="Generation"/>: memory stays bounded by the request rate (ten seconds of
/// ids at most), and a second settlement, which follows the first within the same request, is always caught.
/// </summary>
public sealed class RecentRequestIds(TimeProvider time)
{
    public static readonly TimeSpan Generation = TimeSpan.FromSeconds(5);

    private readonly Lock _rotation = new();
    private ConcurrentDictionary<string, byte> _current = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, byte> _previous = new(StringComparer.Ordinal);
    private long _generationStarted = time.GetTimestamp();

    /// <summary>True the first time <paramref name="requestId"/> is seen, false after.</summary>
    public bool TryClaim(string requestId)
    {
        RotateWhenDue();
        var current = _current;
        return !_previous.ContainsKey(requestId) && current.TryAdd(requestId, 0);
    }

    private void RotateWhenDue()
    {
        if (time.GetElapsedTime(Interlocked.Read(ref _generationStarted)) < Generation)
        {
            return;
        }

        lock (_rotation)
        {
            if (time.GetElapsedTime(Interlocked.Read(ref _generationStarted)) < Generation)
            {
                return;
            }

            // Sized for as many ids as the last generation held, so a steady request rate never pays for growing it.
            _previous = _current;
            _current = new ConcurrentDictionary<string, byte>(Environment.ProcessorCount, Math.Max(1024, _previous.Count), StringComparer.Ordinal);
            Interlocked.Exchange(ref _generationStarted, time.GetTimestamp());
        }
    }
}

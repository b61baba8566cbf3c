namespace Switchboard.Dashboard;

/// <summary>
/// A ring of fixed-width time slots covering the last <c>slots × width</c> seconds; a slot is reused (cleared) when
/// its time comes round again. Not thread-safe: <see cref="TrafficWindow"/> guards it.
/// </summary>
public sealed class TrafficRing
{
    private readonly TrafficSlot[] _slots;

    public TrafficRing(int slots, int widthSeconds)
    {
        WidthSeconds = widthSeconds;
        _slots = new TrafficSlot[slots];
        for (var i = 0; i < slots; i++)
        {
            _slots[i] = new TrafficSlot();
        }
    }

    public int WidthSeconds { get; }

    public int Length => _slots.Length;

    public void Add(long unixSeconds, in TrafficSample sample)
    {
        var epoch = unixSeconds / WidthSeconds;
        var slot = _slots[(int)(epoch % _slots.Length)];
        if (slot.Epoch != epoch)
        {
            slot.Reset(epoch);
        }

        slot.Add(sample);
    }

    /// <summary>The slot for <paramref name="epoch"/>, or null when nothing ended in it (or it has been reused).</summary>
    public TrafficSlot? At(long epoch)
    {
        var slot = _slots[(int)(epoch % _slots.Length)];
        return slot.Epoch == epoch ? slot : null;
    }

    /// <summary>Sums the last <paramref name="count"/> slots up to and including the one holding <paramref name="unixSeconds"/>.</summary>
    public TrafficSlot Sum(long unixSeconds, int count)
    {
        var sum = new TrafficSlot();
        var last = unixSeconds / WidthSeconds;
        for (var epoch = last - Math.Min(count, _slots.Length) + 1; epoch <= last; epoch++)
        {
            if (At(epoch) is { } slot)
            {
                sum.Merge(slot);
            }
        }

        return sum;
    }
}

using System.Buffers;
using Switchboard.Buffers;

namespace Switchboard.Egress;

/// <summary>
/// The upstream form of a client's <c>tools</c> array, kept while the client keeps sending the same array: an agent
/// sends the same tool definitions (tens of kilobytes) on every turn of a session, and writing them is a large part
/// of translating its request. Keyed by the client's bytes, compared in full (a sampled hash only picks the entry).
/// One instance per written form (dialect and whatever else that form depends on); bounded in entries and bytes,
/// least recently used out first. Thread-safe.
/// </summary>
internal sealed class ToolsFormCache(int maxEntries, long maxBytes)
{
    /// <summary>Bytes of each end of the key that go into the hash; the full key is compared on every hit.</summary>
    private const int SampledBytes = 1024;

    private readonly Dictionary<int, Entry> _entries = [];
    private readonly Lock _lock = new();
    private long _bytes;
    private long _clock;

    /// <summary>Entries held now (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Forgets every entry (benchmarks measure a session's first turn with it).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _bytes = 0;
        }
    }

    /// <summary>
    /// The cached form of <paramref name="key"/>, or the one <paramref name="write"/> produces (then kept when it
    /// fits). The result must not be modified.
    /// </summary>
    public ReadOnlyMemory<byte> GetOrAdd<TState>(ReadOnlySpan<byte> key, TState state, Action<IBufferWriter<byte>, TState> write)
    {
        var hash = Hash(key);
        Entry? found;
        lock (_lock)
        {
            if (_entries.TryGetValue(hash, out found))
            {
                found.LastUse = ++_clock;
            }
        }

        if (found is not null && key.SequenceEqual(found.Key))
        {
            return found.Form;
        }

        // Written in pooled memory, kept as an array of exactly its size.
        ReadOnlyMemory<byte> form;
        using (var output = new BodyBuffer(Math.Max(256, key.Length + (key.Length / 4))))
        {
            write(output, state);
            form = output.WrittenSpan.ToArray();
        }

        var size = (long)key.Length + form.Length;
        if (size > maxBytes / 4)
        {
            return form;
        }

        var entry = new Entry(key.ToArray(), form) { LastUse = 0 };
        lock (_lock)
        {
            if (_entries.Remove(hash, out var replaced))
            {
                _bytes -= replaced.Size;
            }

            while (_entries.Count > 0 && (_entries.Count >= maxEntries || _bytes + size > maxBytes))
            {
                EvictOldest();
            }

            entry.LastUse = ++_clock;
            _entries[hash] = entry;
            _bytes += size;
        }

        return form;
    }

    private void EvictOldest()
    {
        var oldest = default(KeyValuePair<int, Entry>);
        foreach (var pair in _entries)
        {
            if (oldest.Value is null || pair.Value.LastUse < oldest.Value.LastUse)
            {
                oldest = pair;
            }
        }

        _entries.Remove(oldest.Key);
        _bytes -= oldest.Value.Size;
    }

    private static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.Add(key.Length);
        if (key.Length <= 2 * SampledBytes)
        {
            hash.AddBytes(key);
        }
        else
        {
            hash.AddBytes(key[..SampledBytes]);
            hash.AddBytes(key[(key.Length / 2)..((key.Length / 2) + 64)]);
            hash.AddBytes(key[^SampledBytes..]);
        }

        return hash.ToHashCode();
    }

    private sealed class Entry(byte[] key, ReadOnlyMemory<byte> form)
    {
        public byte[] Key { get; } = key;

        public ReadOnlyMemory<byte> Form { get; } = form;

        public long Size => (long)Key.Length + Form.Length;

        /// <summary>Written under the cache's lock.</summary>
        public long LastUse { get; set; }
    }
}

namespace Switchboard.Bench.FastUpstream;

/// <summary>
/// A model of a model server's prefix (KV) cache, for the affinity experiment (<c>--prefix-cache</c>): the request
/// body is cut into blocks of <see cref="BlockBytes"/>, each block identified by the hash of everything up to its end,
/// as vLLM identifies KV blocks by their token prefix. The longest run of leading blocks already seen is the cache hit;
/// the rest is "prefilled" at <c>--prefill-us-per-kb</c> before the answer starts, and remembered (least recently
/// used blocks are forgotten beyond <c>--cache-blocks</c>). Prefill is compute-bound: one request prefills at a
/// time, the others wait their turn, so uncached prompts also slow the requests queued behind them.
/// <c>GET /_cache_stats</c> reports the hit rate.
/// </summary>
internal sealed class PrefixCache(int capacityBlocks)
{
    private readonly SemaphoreSlim _prefill = new(1, 1);

    public const int BlockBytes = 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, LinkedListNode<ulong>> _blocks = [];
    private readonly LinkedList<ulong> _recency = new();
    private long _requests;
    private long _promptBytes;
    private long _hitBytes;

    /// <summary>Looks the body's blocks up, remembers them, and returns how many leading bytes were cached.</summary>
    public int Admit(ReadOnlySpan<byte> body)
    {
        var full = body.Length / BlockBytes;
        Span<ulong> ids = full <= 4096 ? stackalloc ulong[full] : new ulong[full];
        // FNV-1a carried across blocks: a block's id depends on every byte before it.
        var hash = 14695981039346656037UL;
        for (var i = 0; i < full; i++)
        {
            foreach (var b in body.Slice(i * BlockBytes, BlockBytes))
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            ids[i] = hash;
        }

        lock (_lock)
        {
            var hit = 0;
            while (hit < full && _blocks.ContainsKey(ids[hit]))
            {
                hit++;
            }

            foreach (var id in ids)
            {
                if (_blocks.TryGetValue(id, out var node))
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                }
                else
                {
                    _blocks[id] = _recency.AddFirst(id);
                    if (_blocks.Count > capacityBlocks)
                    {
                        _blocks.Remove(_recency.Last!.Value);
                        _recency.RemoveLast();
                    }
                }
            }

            _requests++;
            _promptBytes += body.Length;
            _hitBytes += hit * BlockBytes;
            return hit * BlockBytes;
        }
    }

    /// <summary>Takes the prefill unit for <paramref name="time"/>, after the requests ahead.</summary>
    public async Task PrefillAsync(TimeSpan time, CancellationToken cancellationToken)
    {
        await _prefill.WaitAsync(cancellationToken);
        try
        {
            await Task.Delay(time, cancellationToken);
        }
        finally
        {
            _prefill.Release();
        }
    }

    public string StatsJson()
    {
        lock (_lock)
        {
            var rate = _promptBytes == 0 ? 0 : (double)_hitBytes / _promptBytes;
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $$"""{"requests":{{_requests}},"prompt_bytes":{{_promptBytes}},"hit_bytes":{{_hitBytes}},"hit_rate":{{rate:0.0000}}}""");
        }
    }
}

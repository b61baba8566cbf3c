using System.Globalization;

namespace Switchboard.Bench.FastUpstream;

/// <summary>What the fake model answers with, from <c>--key value</c> arguments. Fixed for the process's life.</summary>
internal sealed record UpstreamSettings
{
    public int Port { get; init; } = 8000;

    /// <summary>Content tokens per answer (streamed: one chunk each).</summary>
    public int Tokens { get; init; } = 300;

    /// <summary>Streamed tokens per second; 0 writes the whole stream at once.</summary>
    public double Rate { get; init; }

    /// <summary>Milliseconds before the response headers (a prefill stand-in).</summary>
    public int DelayMs { get; init; }

    /// <summary>Reported as <c>max_model_len</c> in <c>/v1/models</c> when above 0 (as vLLM does).</summary>
    public int MaxModelLen { get; init; }

    /// <summary>
    /// Paced streams only: every token's text is <c> @&lt;monotonic ns&gt;</c>, the moment it was written, so a client
    /// on the same machine can measure how long each token took to reach it.
    /// </summary>
    public bool Stamp { get; init; }

    /// <summary>Model a prefix cache (see <see cref="PrefixCache"/>): uncached prompt bytes cost prefill time.</summary>
    public bool PrefixCache { get; init; }

    /// <summary>With <see cref="PrefixCache"/>: microseconds of prefill per uncached KiB of request body.</summary>
    public int PrefillMicrosPerKb { get; init; } = 2000;

    /// <summary>With <see cref="PrefixCache"/>: KiB blocks the cache holds before it forgets the least recently used.</summary>
    public int CacheBlocks { get; init; } = 16384;

    public static UpstreamSettings Parse(string[] args)
    {
        var settings = new UpstreamSettings();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            settings = args[i] switch
            {
                "--port" => settings with { Port = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--tokens" => settings with { Tokens = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rate" => settings with { Rate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--delay-ms" => settings with { DelayMs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--max-model-len" => settings with { MaxModelLen = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--stamp" => settings with { Stamp = true },
                "--prefix-cache" => settings with { PrefixCache = true },
                "--prefill-us-per-kb" => settings with { PrefillMicrosPerKb = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--cache-blocks" => settings with { CacheBlocks = int.Parse(Next(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown argument {args[i]}"),
            };
        }

        return settings;
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Switchboard.Bench.LoadTool;

/// <summary>
/// <c>latency --url URL --body FILE --seconds S [--warmup S] [--api-key K] [--label L]</c>: one connection, one
/// request at a time (the field's "added latency at one connection" method). A non-streamed request is timed to the
/// end of its body; a streamed one (the body asks for <c>"stream":true</c>) to its first content event — Anthropic's
/// <c>text_delta</c>, Responses' <c>output_text.delta</c>, or a Chat Completions chunk with non-empty
/// <c>content</c> — and then read to its end. Prints one <c>LATENCY</c> line with p50/p99/p99.9 in microseconds.
/// </summary>
internal static class LatencyCommand
{
    private static readonly byte[][] ContentMarkers = ["\"text_delta\""u8.ToArray(), "output_text.delta"u8.ToArray()];

    private static readonly byte[] ChatContent = "{\"content\":\""u8.ToArray();

    public static async Task<int> RunAsync(string[] args)
    {
        string? url = null, bodyFile = null, apiKey = null, label = "run";
        double seconds = 10, warmup = 2;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--url": url = Next(); break;
                case "--body": bodyFile = Next(); break;
                case "--seconds": seconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--api-key": apiKey = Next(); break;
                case "--label": label = Next(); break;
                default: throw new ArgumentException($"Unknown argument {args[i]}");
            }
        }

        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(bodyFile);
        var body = await File.ReadAllBytesAsync(bodyFile);
        var streaming = body.AsSpan().IndexOf("\"stream\":true"u8) >= 0;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        })
        { Timeout = TimeSpan.FromSeconds(30) };

        var buffer = new byte[64 * 1024];
        var errors = 0;
        await RunForAsync(TimeSpan.FromSeconds(warmup), null);
        var samples = new List<long>(16384);
        await RunForAsync(TimeSpan.FromSeconds(seconds), samples);

        samples.Sort();
        Console.WriteLine(
            $"LATENCY label={label} streaming={(streaming ? 1 : 0)} requests={samples.Count} errors={errors} " +
            $"p50_us={Percentile(samples, 0.50)} p99_us={Percentile(samples, 0.99)} p999_us={Percentile(samples, 0.999)} max_us={(samples.Count > 0 ? samples[^1] : 0)}");
        return 0;

        async Task RunForAsync(TimeSpan duration, List<long>? into)
        {
            var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < until)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
                if (apiKey is not null)
                {
                    request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
                }

                var started = Stopwatch.GetTimestamp();
                long? first = null;
                try
                {
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    await using var stream = await response.Content.ReadAsStreamAsync();
                    var filled = 0;
                    int read;
                    while ((read = await stream.ReadAsync(buffer.AsMemory(filled))) > 0)
                    {
                        if (streaming && first is null && HasContent(buffer.AsSpan(Math.Max(0, filled - 64), read + Math.Min(filled, 64))))
                        {
                            first = Stopwatch.GetTimestamp();
                        }

                        // Keep only a tail, to find a marker split over two reads.
                        filled += read;
                        if (filled > buffer.Length - 4096)
                        {
                            buffer.AsSpan(filled - 64, 64).CopyTo(buffer);
                            filled = 64;
                        }
                    }

                    if (!response.IsSuccessStatusCode || (streaming && first is null))
                    {
                        errors++;
                        continue;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    errors++;
                    continue;
                }

                into?.Add((long)Stopwatch.GetElapsedTime(started, first ?? Stopwatch.GetTimestamp()).TotalMicroseconds);
            }
        }
    }

    private static bool HasContent(ReadOnlySpan<byte> data)
    {
        foreach (var marker in ContentMarkers)
        {
            if (data.IndexOf(marker) >= 0)
            {
                return true;
            }
        }

        for (var at = data.IndexOf(ChatContent); at >= 0;)
        {
            var next = at + ChatContent.Length;
            if (next < data.Length && data[next] != (byte)'"')
            {
                return true;
            }

            var rest = data[next..].IndexOf(ChatContent);
            at = rest < 0 ? -1 : next + rest;
        }

        return false;
    }

    private static long Percentile(List<long> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

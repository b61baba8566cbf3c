using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Switchboard.Bench.FastUpstream;

/// <summary>
/// <c>POST /v1/chat/completions</c>: drains the body, finds <c>"stream": true</c> with a byte search (no JSON
/// parsing), and answers from <see cref="CannedAnswers"/>.
/// </summary>
internal sealed class ChatEndpoint(UpstreamSettings settings, CannedAnswers answers, PrefixCache? cache = null)
{
    public async Task HandleAsync(HttpContext context)
    {
        var stream = await ReadStreamFlagAsync(context.Request.BodyReader, context.RequestAborted, cache, settings.PrefillMicrosPerKb);
        if (settings.DelayMs > 0)
        {
            await Task.Delay(settings.DelayMs, context.RequestAborted);
        }

        var response = context.Response;
        if (!stream)
        {
            response.ContentType = "application/json";
            response.ContentLength = answers.Completion.Length;
            await response.BodyWriter.WriteAsync(answers.Completion, context.RequestAborted);
            return;
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        if (settings.Rate <= 0)
        {
            await response.BodyWriter.WriteAsync(answers.WholeStream, context.RequestAborted);
            return;
        }

        await WritePacedAsync(response.BodyWriter, context.RequestAborted);
    }

    private async Task WritePacedAsync(PipeWriter output, CancellationToken aborted)
    {
        await output.WriteAsync(answers.RoleChunk, aborted);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / settings.Rate));
        for (var i = 0; i < answers.TokenChunks.Length; i++)
        {
            if (!await timer.WaitForNextTickAsync(aborted))
            {
                return;
            }

            if (settings.Stamp)
            {
                var span = output.GetSpan(256);
                output.Advance(CannedAnswers.WriteStampedChunk(span, Stopwatch.GetTimestamp()));
                await output.FlushAsync(aborted);
            }
            else
            {
                await output.WriteAsync(answers.TokenChunks[i], aborted);
            }
        }

        await output.WriteAsync(answers.Ending, aborted);
    }

    /// <summary>
    /// Reads the body to its end and reports whether it has <c>"stream"</c> set to <c>true</c>. Inside a JSON
    /// string a quote is escaped, so the bytes <c>"stream"</c> only ever occur as a key.
    /// </summary>
    internal static async Task<bool> ReadStreamFlagAsync(
        PipeReader body, CancellationToken aborted, PrefixCache? prefixCache = null, double prefillMicrosPerKb = 0)
    {
        while (true)
        {
            var result = await body.ReadAsync(aborted);
            if (!result.IsCompleted)
            {
                body.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                continue;
            }

            var stream = HasStreamTrue(result.Buffer);
            var prefill = prefixCache is null ? TimeSpan.Zero : Prefill(prefixCache, result.Buffer, prefillMicrosPerKb);
            body.AdvanceTo(result.Buffer.End);
            if (prefill > TimeSpan.Zero)
            {
                await prefixCache!.PrefillAsync(prefill, aborted);
            }

            return stream;
        }
    }

    /// <summary>The prefill time of the uncached part of the body, as the prefix cache model has it.</summary>
    private static TimeSpan Prefill(PrefixCache prefixCache, ReadOnlySequence<byte> buffer, double prefillMicrosPerKb)
    {
        var bytes = buffer.IsSingleSegment ? buffer.FirstSpan.ToArray() : buffer.ToArray();
        var uncached = bytes.Length - prefixCache.Admit(bytes);
        return TimeSpan.FromMicroseconds((double)uncached / 1024 * prefillMicrosPerKb);
    }

    private static bool HasStreamTrue(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            return HasStreamTrue(buffer.FirstSpan);
        }

        var copy = ArrayPool<byte>.Shared.Rent((int)buffer.Length);
        try
        {
            buffer.CopyTo(copy);
            return HasStreamTrue(copy.AsSpan(0, (int)buffer.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static bool HasStreamTrue(ReadOnlySpan<byte> body)
    {
        var key = body.LastIndexOf("\"stream\""u8);
        if (key < 0)
        {
            return false;
        }

        var rest = body[(key + 8)..].TrimStart(" \t\r\n:"u8);
        return rest.StartsWith("true"u8);
    }
}

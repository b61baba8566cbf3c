using System.Buffers;
using System.Text.Json;
using Switchboard.Tenancy;

namespace Switchboard.Storage;

/// <summary>
/// A ledger row's upstream attempts as the <c>attempts</c> column holds them (JSON text, like every JSON column):
/// <c>[{"upstream":"r0","outcome":"overloaded","status":503,"duration_ms":12.5}, …]</c>. Written by the ledger
/// writer, off the request path. A value that does not read as that shape reads as none: the row still shows.
/// </summary>
internal static class AttemptsJson
{
    public static string? Write(IReadOnlyList<UsageAttempt>? attempts)
    {
        if (attempts is not { Count: > 0 })
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(64 * attempts.Count);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var attempt in attempts)
            {
                writer.WriteStartObject();
                writer.WriteString("upstream", attempt.Upstream);
                writer.WriteString("outcome", attempt.Outcome);
                if (attempt.Status is { } status)
                {
                    writer.WriteNumber("status", status);
                }

                writer.WriteNumber("duration_ms", Math.Round(attempt.DurationMs, 3));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<UsageAttempt>? Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var attempts = new List<UsageAttempt>(document.RootElement.GetArrayLength());
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("upstream", out var upstream) || upstream.ValueKind != JsonValueKind.String
                    || !item.TryGetProperty("outcome", out var outcome) || outcome.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                int? status = item.TryGetProperty("status", out var s) && s.TryGetInt32(out var code) ? code : null;
                var duration = item.TryGetProperty("duration_ms", out var d) && d.TryGetDouble(out var ms) ? ms : 0;
                attempts.Add(new UsageAttempt(upstream.GetString()!, outcome.GetString()!, status, duration));
            }

            return attempts;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

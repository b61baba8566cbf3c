using System.Globalization;
using System.Text.Json;
using Switchboard.Tenancy;

namespace Switchboard.Batches;

/// <summary>
/// The Message Batches API's JSON: the <c>message_batch</c> object, a page of them, the deletion answer and one result
/// line. Times are RFC 3339 in UTC with microseconds, as Anthropic writes them.
/// </summary>
public static class BatchJson
{
    public const string ResultsContentType = "application/x-jsonl";

    /// <summary>The batch object; <paramref name="resultsUrl"/> is set only once it has ended.</summary>
    public static void WriteBatch(Utf8JsonWriter writer, BatchRecord batch, string? resultsUrl)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(batch);
        var ended = batch.Status == BatchStatus.Ended;
        writer.WriteStartObject();
        writer.WriteString("id"u8, batch.Id);
        writer.WriteString("type"u8, "message_batch"u8);
        writer.WriteString("processing_status"u8, batch.Status);
        writer.WriteStartObject("request_counts"u8);

        // As Anthropic reports them: every request is processing until the whole batch has ended.
        writer.WriteNumber("processing"u8, ended ? 0 : batch.RequestCount);
        writer.WriteNumber("succeeded"u8, ended ? batch.Succeeded : 0);
        writer.WriteNumber("errored"u8, ended ? batch.Errored : 0);
        writer.WriteNumber("canceled"u8, ended ? batch.Canceled : 0);
        writer.WriteNumber("expired"u8, ended ? batch.Expired : 0);
        writer.WriteEndObject();
        writer.WriteString("created_at"u8, Time(batch.CreatedAt));
        writer.WriteString("expires_at"u8, Time(batch.EndsAt));

        // The same moment under the name older versions of the API used.
        writer.WriteString("ends_at"u8, Time(batch.EndsAt));
        WriteTime(writer, "ended_at"u8, batch.EndedAt);
        WriteTime(writer, "cancel_initiated_at"u8, batch.CancelInitiatedAt);
        writer.WriteNull("archived_at"u8);
        if (ended && resultsUrl is not null)
        {
            writer.WriteString("results_url"u8, resultsUrl);
        }
        else
        {
            writer.WriteNull("results_url"u8);
        }

        writer.WriteEndObject();
    }

    public static void WriteDeleted(Utf8JsonWriter writer, string id)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("id"u8, id);
        writer.WriteString("type"u8, "message_batch_deleted"u8);
        writer.WriteEndObject();
    }

    /// <summary>
    /// One line of the results: <c>{"custom_id","result":{"type":"succeeded","message":…}}</c>, <c>errored</c> with the
    /// error envelope, <c>canceled</c> or <c>expired</c>. The stored JSON is written as it is.
    /// </summary>
    public static void WriteResult(Utf8JsonWriter writer, BatchResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("custom_id"u8, result.CustomId);
        writer.WriteStartObject("result"u8);
        writer.WriteString("type"u8, result.State);
        if (result.Json is { } json)
        {
            writer.WritePropertyName(result.State == BatchRequestState.Succeeded ? "message"u8 : "error"u8);
            writer.WriteRawValue(json, skipInputValidation: true);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void WriteTime(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteString(name, Time(value));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}

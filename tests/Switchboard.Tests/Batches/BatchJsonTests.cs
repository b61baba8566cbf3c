using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Batches;
using Switchboard.Tenancy;

namespace Switchboard.Tests.Batches;

public sealed class BatchJsonTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void A_batch_in_progress_counts_every_request_as_processing_and_has_no_results_url()
    {
        var batch = new BatchRecord { Id = "msgbatch_1", RequestCount = 7, Succeeded = 3, CreatedAt = Created, EndsAt = Created.AddHours(24) };

        Assert.Equal(
            """{"id":"msgbatch_1","type":"message_batch","processing_status":"in_progress","request_counts":{"processing":7,"succeeded":0,"errored":0,"canceled":0,"expired":0},"created_at":"2026-03-01T12:00:00.123000Z","expires_at":"2026-03-02T12:00:00.123000Z","ends_at":"2026-03-02T12:00:00.123000Z","ended_at":null,"cancel_initiated_at":null,"archived_at":null,"results_url":null}""",
            Write(w => BatchJson.WriteBatch(w, batch, "http://ignored")));
    }

    [Fact]
    public void An_ended_batch_reports_its_counts_times_and_results_url()
    {
        var batch = new BatchRecord
        {
            Id = "msgbatch_1",
            Status = BatchStatus.Ended,
            RequestCount = 10,
            Succeeded = 4,
            Errored = 3,
            Canceled = 2,
            Expired = 1,
            CreatedAt = Created,
            EndsAt = Created.AddHours(24),
            CancelInitiatedAt = Created.AddMinutes(1),
            EndedAt = Created.AddMinutes(2),
        };

        using var json = JsonDocument.Parse(Write(w => BatchJson.WriteBatch(w, batch, "http://gw:4000/v1/messages/batches/msgbatch_1/results")));
        var root = json.RootElement;
        Assert.Equal("ended", root.GetProperty("processing_status").GetString());
        Assert.Equal("""{"processing":0,"succeeded":4,"errored":3,"canceled":2,"expired":1}""", root.GetProperty("request_counts").GetRawText());
        Assert.Equal("2026-03-01T12:01:00.123000Z", root.GetProperty("cancel_initiated_at").GetString());
        Assert.Equal("2026-03-01T12:02:00.123000Z", root.GetProperty("ended_at").GetString());
        Assert.Equal("http://gw:4000/v1/messages/batches/msgbatch_1/results", root.GetProperty("results_url").GetString());
    }

    [Fact]
    public void Result_lines_hold_the_message_the_error_envelope_or_only_the_type()
    {
        Assert.Equal(
            """{"custom_id":"a","result":{"type":"succeeded","message":{"id":"msg_1","content":[]}}}""",
            Write(w => BatchJson.WriteResult(w, new BatchResult("a", BatchRequestState.Succeeded, """{"id":"msg_1","content":[]}"""))));
        Assert.Equal(
            """{"custom_id":"b","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"x"},"request_id":"r"}}}""",
            Write(w => BatchJson.WriteResult(w, new BatchResult("b", BatchRequestState.Errored,
                """{"type":"error","error":{"type":"invalid_request_error","message":"x"},"request_id":"r"}"""))));
        Assert.Equal("""{"custom_id":"c","result":{"type":"canceled"}}""", Write(w => BatchJson.WriteResult(w, new BatchResult("c", BatchRequestState.Canceled, null))));
        Assert.Equal("""{"custom_id":"d","result":{"type":"expired"}}""", Write(w => BatchJson.WriteResult(w, new BatchResult("d", BatchRequestState.Expired, null))));
    }
}

using Switchboard.Canonical;
using Switchboard.Hosting;
using Switchboard.Pipeline;

namespace Switchboard.Tests.Hosting;

public sealed class RequestLogFieldsTests
{
    [Fact]
    public void A_request_that_learned_nothing_logs_no_empty_fields()
    {
        Assert.Equal(" total_ms=1.5", RequestLogFields.Format(new RequestRecord { DurationMs = 1.5 }));
    }

    [Fact]
    public void Every_known_field_is_logged_with_input_counting_cached_tokens()
    {
        var record = new RequestRecord
        {
            KeyId = "key_1234abcd",
            FrontDoor = "anthropic",
            Model = "claude-sonnet-4-5",
            Target = "gpu",
            TimeToFirstTokenMs = 12.25,
            DurationMs = 80,
            OverheadUs = 310,
            ErrorKind = ApiErrorKind.Overloaded,
        };
        record.Settle(new Usage(InputTokens: 32, OutputTokens: 7, CacheReadInputTokens: 10, CacheCreationInputTokens: 0));

        Assert.Equal(
            " key=key_1234abcd door=anthropic model=claude-sonnet-4-5 upstream=gpu input_tokens=42 cache_read_tokens=10 output_tokens=7 ttft_ms=12.25 total_ms=80 overhead_us=310 error=overloaded_error",
            RequestLogFields.Format(record));
    }

    [Fact]
    public void Searches_and_fetches_switchboard_ran_are_logged_and_left_out_when_none()
    {
        var record = new RequestRecord { DurationMs = 3 };
        record.Settle(new Usage(InputTokens: 5, OutputTokens: 2, CacheReadInputTokens: 0, CacheCreationInputTokens: 0) { WebSearchRequests = 2, WebFetchRequests = 1 });

        Assert.Equal(" input_tokens=5 output_tokens=2 web_searches=2 web_fetches=1 total_ms=3", RequestLogFields.Format(record));
        var properties = new List<KeyValuePair<string, object?>>();
        RequestLogFields.AddTo(properties, record);
        Assert.Contains(new KeyValuePair<string, object?>("web_searches", 2), properties);
        Assert.Contains(new KeyValuePair<string, object?>("web_fetches", 1), properties);

        record.Settle(new Usage(InputTokens: 5, OutputTokens: 2, CacheReadInputTokens: 0, CacheCreationInputTokens: 0));
        Assert.Equal(" input_tokens=5 output_tokens=2 total_ms=3", RequestLogFields.Format(record));
    }

    [Fact]
    public void The_whole_line_is_the_request_line_then_the_fields_longer_than_the_stack_buffer_too()
    {
        var record = new RequestRecord { Status = 429, FrontDoor = "anthropic", Model = new string('m', 200), DurationMs = 2.5 };

        var line = RequestLogFields.Line("req_abc", "POST", "/v1/messages", record);

        Assert.Equal($"req_abc POST /v1/messages 429 door=anthropic model={new string('m', 200)} total_ms=2.5", line);
        Assert.Equal(line, $"req_abc POST /v1/messages 429{RequestLogFields.Format(record)}");
    }

    [Fact]
    public void A_client_chosen_model_name_is_clipped_and_escaped()
    {
        var fields = RequestLogFields.Format(new RequestRecord { Model = "a\nb" + new string('x', 400) });

        Assert.DoesNotContain('\n', fields);
        Assert.StartsWith(" model=a\\nb", fields, StringComparison.Ordinal);
        Assert.True(fields.Length < 220, fields);
    }
}

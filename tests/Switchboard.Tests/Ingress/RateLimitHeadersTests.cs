using Microsoft.AspNetCore.Http;
using Switchboard.Canonical;
using Switchboard.Ingress;
using Switchboard.Ingress.Anthropic;
using Switchboard.Pipeline;

namespace Switchboard.Tests.Ingress;

/// <summary>Each door names and formats the caller's limits its own way; only the limits the key has are sent.</summary>
public sealed class RateLimitHeadersTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 17, 40, 12, 250, TimeSpan.Zero);

    private static readonly RateLimitStatus Full = new(
        AsOf,
        new RateLimitWindow(60, 58, TimeSpan.FromSeconds(2)),
        new RateLimitWindow(200_000, 187_345, TimeSpan.FromSeconds(3.9)),
        new RateLimitWindow(40_000, 39_000, TimeSpan.FromMilliseconds(1500)));

    [Fact]
    public void The_Anthropic_door_sends_each_limit_and_their_token_total_with_RFC_3339_resets()
    {
        var channel = new HeaderChannel();

        AnthropicRateLimitHeaders.Add(channel, Full);

        Assert.Equal(new Dictionary<string, string>
        {
            ["anthropic-ratelimit-requests-limit"] = "60",
            ["anthropic-ratelimit-requests-remaining"] = "58",
            ["anthropic-ratelimit-requests-reset"] = "2026-12-01T17:40:15Z", // 17:40:14.25, rounded up
            ["anthropic-ratelimit-input-tokens-limit"] = "200000",
            ["anthropic-ratelimit-input-tokens-remaining"] = "187345",
            ["anthropic-ratelimit-input-tokens-reset"] = "2026-12-01T17:40:17Z",
            ["anthropic-ratelimit-output-tokens-limit"] = "40000",
            ["anthropic-ratelimit-output-tokens-remaining"] = "39000",
            ["anthropic-ratelimit-output-tokens-reset"] = "2026-12-01T17:40:14Z",
            ["anthropic-ratelimit-tokens-limit"] = "240000",
            ["anthropic-ratelimit-tokens-remaining"] = "226345",
            ["anthropic-ratelimit-tokens-reset"] = "2026-12-01T17:40:17Z",
        }, channel.Headers);
    }

    [Fact]
    public void The_OpenAI_doors_send_requests_and_tokens_with_Go_duration_resets()
    {
        var channel = new HeaderChannel();

        OpenAIRateLimitHeaders.Add(channel, Full);

        Assert.Equal(new Dictionary<string, string>
        {
            ["x-ratelimit-limit-requests"] = "60",
            ["x-ratelimit-remaining-requests"] = "58",
            ["x-ratelimit-reset-requests"] = "2s",
            ["x-ratelimit-limit-tokens"] = "240000",
            ["x-ratelimit-remaining-tokens"] = "226345",
            ["x-ratelimit-reset-tokens"] = "3.9s",
        }, channel.Headers);
    }

    [Fact]
    public void Only_the_limits_a_key_has_are_sent()
    {
        var onlyRequests = new RateLimitStatus(AsOf, new RateLimitWindow(10, 9, TimeSpan.FromSeconds(6)), null, null);
        var onlyOutput = new RateLimitStatus(AsOf, null, null, new RateLimitWindow(1000, 0, TimeSpan.FromMinutes(1.5)));
        var anthropic = new HeaderChannel();
        var openAI = new HeaderChannel();
        var anthropicOutput = new HeaderChannel();
        var openAIOutput = new HeaderChannel();

        AnthropicRateLimitHeaders.Add(anthropic, onlyRequests);
        OpenAIRateLimitHeaders.Add(openAI, onlyRequests);
        AnthropicRateLimitHeaders.Add(anthropicOutput, onlyOutput);
        OpenAIRateLimitHeaders.Add(openAIOutput, onlyOutput);

        Assert.Equal(["anthropic-ratelimit-requests-limit", "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset"], anthropic.Headers.Keys);
        Assert.Equal(["x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests"], openAI.Headers.Keys);
        Assert.Equal("1000", anthropicOutput.Headers["anthropic-ratelimit-tokens-limit"]);
        Assert.DoesNotContain("anthropic-ratelimit-input-tokens-limit", anthropicOutput.Headers.Keys);
        Assert.Equal("1m30s", openAIOutput.Headers["x-ratelimit-reset-tokens"]);
    }

    [Fact]
    public void A_full_limit_resets_now()
    {
        var channel = new HeaderChannel();
        var full = new RateLimitStatus(new DateTimeOffset(2026, 12, 1, 17, 0, 0, TimeSpan.Zero), new RateLimitWindow(10, 10, TimeSpan.Zero), null, null);

        AnthropicRateLimitHeaders.Add(channel, full);
        var openAI = new HeaderChannel();
        OpenAIRateLimitHeaders.Add(openAI, full);

        Assert.Equal("2026-12-01T17:00:00Z", channel.Headers["anthropic-ratelimit-requests-reset"]);
        Assert.Equal("0s", openAI.Headers["x-ratelimit-reset-requests"]);
    }

    [Fact]
    public void A_reset_below_a_millisecond_is_rounded_up_to_one_so_the_header_stays_ASCII()
    {
        var channel = new HeaderChannel();

        OpenAIRateLimitHeaders.Add(channel, new RateLimitStatus(AsOf, new RateLimitWindow(10, 9, TimeSpan.FromTicks(3)), null, null));

        Assert.Equal("1ms", channel.Headers["x-ratelimit-reset-requests"]);
    }

    [Fact]
    public async Task The_OpenAI_dialect_also_sends_the_wait_in_milliseconds_and_the_Anthropic_one_does_not()
    {
        var error = new ApiError(ApiErrorKind.RateLimit, "Rate limit reached. Please try again in 2s.") { RetryAfterSeconds = 2, RetryAfterMilliseconds = 1200 };
        var openAI = new DefaultHttpContext();
        var anthropic = new DefaultHttpContext();

        await ErrorResponse.WriteAsync(openAI, OpenAIErrors.Instance, error);
        await ErrorResponse.WriteAsync(anthropic, AnthropicErrors.Dialect, error);

        Assert.Equal(("2", "1200", "true"), (openAI.Response.Headers.RetryAfter.ToString(), openAI.Response.Headers["retry-after-ms"].ToString(), openAI.Response.Headers["x-should-retry"].ToString()));
        Assert.Equal(("2", "", "true"), (anthropic.Response.Headers.RetryAfter.ToString(), anthropic.Response.Headers["retry-after-ms"].ToString(), anthropic.Response.Headers["x-should-retry"].ToString()));
        Assert.Equal(429, openAI.Response.StatusCode);
    }

    private sealed class HeaderChannel : IResponseChannel
    {
        public Dictionary<string, string> Headers { get; } = [];

        public string RequestId => "req_test";

        public CancellationToken Aborted => CancellationToken.None;

        public System.IO.Pipelines.PipeWriter Body => throw new NotSupportedException();

        public bool HasStarted => false;

        public void Begin(int status, string contentType) => throw new NotSupportedException();

        public void BeginStream(string contentType) => throw new NotSupportedException();

        public void SetHeader(string name, string value) => Headers[name] = value;
    }
}

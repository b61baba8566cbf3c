using System.Globalization;
using System.Net;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;
using Switchboard.Tenancy.Keys;

namespace Switchboard.EndToEnd.Limits;

/// <summary>
/// A stored key's limits on the Messages door, through the official Anthropic SDK: refusals as 429
/// <c>rate_limit_error</c> with <c>retry-after</c>, Anthropic's rate-limit headers on answers and refusals, the
/// concurrency cap, input settled to the real count, output charged as produced (also when the client leaves), and
/// the model permission — with counters in process and in Redis.
/// </summary>
public sealed class AnthropicLimitsTests
{
    [Theory]
    [InlineData(CounterStore.Process)]
    [InlineData(CounterStore.Redis)]
    public async Task A_key_limited_to_N_requests_a_minute_gets_N_then_a_rate_limit_error_with_retry_after(CounterStore store)
    {
        await using var limited = await LimitedHost.StartAsync(store);
        var (key, id) = await limited.CreateKeyAsync(new KeyChanges { RequestsPerMinute = 3 });
        using var client = limited.Host.CreateClient(key);
        for (var i = 0; i < 3; i++)
        {
            await client.Messages.Create(Sdk.Ask("Hi"));
        }

        var failure = await Assert.ThrowsAsync<AnthropicRateLimitException>(() => client.Messages.Create(Sdk.Ask("Hi")));
        using var raw = await PostAsync(limited.Host, key, RawRequests.SimpleBody);

        Assert.Equal("rate_limit_error", failure.Type?.Raw());
        Assert.Equal(3, limited.Host.Upstream.Requests.Count);
        Assert.Equal(HttpStatusCode.TooManyRequests, raw.StatusCode);
        var retryAfter = int.Parse(Header(raw, "retry-after"), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 15, 20); // one request every 20 s
        Assert.Equal("true", Header(raw, "x-should-retry"));
        Assert.Equal(("3", "0"), (Header(raw, "anthropic-ratelimit-requests-limit"), Header(raw, "anthropic-ratelimit-requests-remaining")));
        var error = JsonDocument.Parse(await raw.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains($"Switchboard API key {id}", message, StringComparison.Ordinal);
        Assert.Contains("3 requests per minute", message, StringComparison.Ordinal);
        Assert.EndsWith($"Please try again in {retryAfter}s.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CounterStore.Process)]
    [InlineData(CounterStore.Redis)]
    public async Task Answers_carry_the_keys_limits_in_Anthropics_headers_with_remaining_going_down(CounterStore store)
    {
        await using var limited = await LimitedHost.StartAsync(store);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { RequestsPerMinute = 10, InputTokensPerMinute = 50_000, OutputTokensPerMinute = 10_000 });
        using var client = limited.Host.CreateClient(key);

        using var first = await client.WithRawResponse.Messages.Create(Sdk.Ask("Hi"));
        using var second = await client.WithRawResponse.Messages.Create(Sdk.Ask("Hi"));

        Assert.Equal(("10", "9"), (Header(first, "anthropic-ratelimit-requests-limit"), Header(first, "anthropic-ratelimit-requests-remaining")));
        Assert.Equal("8", Header(second, "anthropic-ratelimit-requests-remaining"));
        Assert.Equal("50000", Header(second, "anthropic-ratelimit-input-tokens-limit"));
        Assert.InRange(long.Parse(Header(second, "anthropic-ratelimit-input-tokens-remaining"), CultureInfo.InvariantCulture), 49_000, 49_999);
        Assert.Equal("10000", Header(second, "anthropic-ratelimit-output-tokens-limit"));
        Assert.Equal("60000", Header(second, "anthropic-ratelimit-tokens-limit"));
        var reset = DateTimeOffset.Parse(Header(second, "anthropic-ratelimit-requests-reset"), CultureInfo.InvariantCulture);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", Header(second, "anthropic-ratelimit-requests-reset"));
        Assert.InRange(reset - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(13)); // two of ten back in 12 s
        Assert.False(first.TryGetHeaderValues("x-ratelimit-limit-requests", out _));
    }

    [Fact]
    public async Task A_key_without_limits_and_a_key_from_configuration_get_no_rate_limit_headers()
    {
        await using var limited = await LimitedHost.StartAsync(CounterStore.Process);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges());
        var (limitedKey, _) = await limited.CreateKeyAsync(new KeyChanges { RequestsPerMinute = 100 });
        using var client = limited.Host.CreateClient(key);
        using var limitedClient = limited.Host.CreateClient(limitedKey);

        using var stored = await client.WithRawResponse.Messages.Create(Sdk.Ask("Hi"));
        using var configured = await limited.Host.Client.WithRawResponse.Messages.Create(Sdk.Ask("Hi"));
        using var contrast = await limitedClient.WithRawResponse.Messages.Create(Sdk.Ask("Hi"));

        Assert.Equal("99", Header(contrast, "anthropic-ratelimit-requests-remaining"));
        Assert.DoesNotContain(stored.Headers, h => h.Key.StartsWith("anthropic-ratelimit", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(configured.Headers, h => h.Key.StartsWith("anthropic-ratelimit", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(CounterStore.Process)]
    [InlineData(CounterStore.Redis)]
    public async Task A_key_at_its_concurrency_cap_is_refused_until_a_slow_answer_finishes(CounterStore store)
    {
        await using var limited = await LimitedHost.StartAsync(store);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { Concurrency = 1 });
        limited.Host.Upstream.Enqueue(new ScriptedReply { Content = "slow", HeaderDelayMs = 1500 });
        using var client = limited.Host.CreateClient(key);

        var slow = client.Messages.Create(Sdk.Ask("Hi"));
        await WaitForUpstreamAsync(limited.Host, 1);
        var refused = await Assert.ThrowsAsync<AnthropicRateLimitException>(() => client.Messages.Create(Sdk.Ask("Hi")));
        var answer = await slow;
        var after = await client.Messages.Create(Sdk.Ask("Hi"));

        Assert.Contains("1 concurrent requests", refused.ApiMessage, StringComparison.Ordinal);
        Assert.Equal("slow", Sdk.TextOf(answer));
        Assert.Equal("Hello from the fake model server.", Sdk.TextOf(after));
        Assert.Equal(2, limited.Host.Upstream.Requests.Count);
    }

    [Theory]
    [InlineData(CounterStore.Process)]
    [InlineData(CounterStore.Redis)]
    public async Task Input_tokens_settle_to_the_upstreams_count_without_cache_reads(CounterStore store)
    {
        await using var limited = await LimitedHost.StartAsync(store);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { InputTokensPerMinute = 6_000 }); // 100 a second back
        limited.Host.Upstream.Enqueue(new ScriptedReply { Content = "ok", Usage = new ScriptedUsage { PromptTokens = 2_000, CachedTokens = 500, CompletionTokens = 1 } });
        using var client = limited.Host.CreateClient(key);

        await client.Messages.Create(Sdk.Ask("Hi"));
        using var next = await client.WithRawResponse.Messages.Create(Sdk.Ask("Hi"));

        // 1,500 uncached input tokens (the 500 read from the cache do not count) and this request's estimate of 5;
        // the first request's estimate of 5 gave way to its real count.
        var remaining = long.Parse(Header(next, "anthropic-ratelimit-input-tokens-remaining"), CultureInfo.InvariantCulture);
        Assert.InRange(remaining, 6_000 - 1_500 - 5, 6_000 - 1_500 - 5 + 500);
    }

    [Theory]
    [InlineData(CounterStore.Process)]
    [InlineData(CounterStore.Redis)]
    public async Task A_streamed_answers_output_is_charged_to_the_key(CounterStore store)
    {
        await using var limited = await LimitedHost.StartAsync(store);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { OutputTokensPerMinute = 6_000 });
        limited.Host.Upstream.Enqueue(new ScriptedReply { Content = "A streamed answer.", Usage = new ScriptedUsage { PromptTokens = 10, CompletionTokens = 1_500 } });
        using var client = limited.Host.CreateClient(key);

        var streamed = await StreamedAnswer.ReadAsync(client, Sdk.Ask("Hi"));
        using var next = await client.WithRawResponse.Messages.Create(Sdk.Ask("Hi"));

        Assert.Equal(1_500, streamed.Message.Usage.OutputTokens);
        var remaining = long.Parse(Header(next, "anthropic-ratelimit-output-tokens-remaining"), CultureInfo.InvariantCulture);
        Assert.InRange(remaining, 6_000 - 1_500, 6_000 - 1_500 + 500);
    }

    [Theory]
    [InlineData(CounterStore.Process)]
    [InlineData(CounterStore.Redis)]
    public async Task A_stream_the_client_left_is_charged_the_output_it_produced_and_frees_its_slot(CounterStore store)
    {
        await using var limited = await LimitedHost.StartAsync(store);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { OutputTokensPerMinute = 600, Concurrency = 1 }); // 10 a second back
        limited.Host.Upstream.Enqueue(new ScriptedReply { Content = new string('x', 40 * 200), ChunkSize = 40, ChunkDelayMs = 40 });
        using var http = Client(limited.Host, key);

        var response = await http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody), HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var deltas = 0;
        await foreach (var e in SseEvent.ReadAllAsync(stream))
        {
            if (e.Name == "content_block_delta" && ++deltas == 25)
            {
                break;
            }
        }

        response.Dispose();
        Assert.Equal(RequestOutcome.ClientAborted, await Assert.Single(limited.Host.Upstream.Requests).Outcome.WaitAsync(TimeSpan.FromSeconds(10)));

        // The slot comes back once the aborted request is settled; the next answer (or refusal, when the output
        // overdrew the limit) then reports the output charged.
        using var next = await RetryWhileAtConcurrencyCapAsync(() => http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody)));
        var remaining = long.Parse(Header(next, "anthropic-ratelimit-output-tokens-remaining"), CultureInfo.InvariantCulture);
        Assert.InRange(remaining, 0, 600 - 200); // at least the 25 × 10 tokens read, less what refilled meanwhile
    }

    [Fact]
    public async Task An_answer_whose_output_overdraws_the_limit_refuses_the_next_request_until_it_has_refilled()
    {
        await using var limited = await LimitedHost.StartAsync(CounterStore.Process);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { OutputTokensPerMinute = 600 });
        limited.Host.Upstream.Enqueue(new ScriptedReply { Content = "long", Usage = new ScriptedUsage { PromptTokens = 10, CompletionTokens = 900 } });
        using var http = Client(limited.Host, key);

        using var first = await http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody)); // max_tokens is not reserved
        using var second = await http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.InRange(int.Parse(Header(second, "retry-after"), CultureInfo.InvariantCulture), 28, 31); // 301 tokens at 10 a second
        Assert.Contains("600 output tokens per minute", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CounterStore.Process)]
    [InlineData(CounterStore.Redis)]
    public async Task A_model_the_key_may_not_use_is_a_permission_error_still_with_the_keys_headers(CounterStore store)
    {
        await using var limited = await LimitedHost.StartAsync(store);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { Models = new List<string> { "other-*" }, RequestsPerMinute = 5 });
        using var client = limited.Host.CreateClient(key);

        var failure = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => client.Messages.Create(Sdk.Ask("Hi")));
        using var raw = await PostAsync(limited.Host, key, RawRequests.SimpleBody);

        Assert.Equal(HttpStatusCode.Forbidden, failure.StatusCode);
        Assert.Equal("permission_error", ((AnthropicServiceException)failure).Type?.Raw());
        Assert.Contains("'fake-model'", failure.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, raw.StatusCode);
        Assert.Equal("5", Header(raw, "anthropic-ratelimit-requests-remaining")); // refusals charge nothing
        Assert.Empty(limited.Host.Upstream.Requests);
    }

    [Fact]
    public async Task The_SDK_waits_out_the_retry_after_and_then_succeeds()
    {
        await using var limited = await LimitedHost.StartAsync(CounterStore.Process);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { OutputTokensPerMinute = 600 }); // 10 a second back
        limited.Host.Upstream.Enqueue(new ScriptedReply { Content = "long", Usage = new ScriptedUsage { PromptTokens = 10, CompletionTokens = 620 } });
        using var http = Client(limited.Host, key);
        using var overdrawn = await http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody)); // 20 tokens below zero

        using var retrying = new AnthropicClient(new ClientOptions { BaseUrl = limited.Host.BaseUrl, ApiKey = key, MaxRetries = 2, Timeout = TimeSpan.FromSeconds(30) });
        var started = DateTime.UtcNow;
        var message = await retrying.Messages.Create(Sdk.Ask("Hi"));

        // Refused first (2.1 s until one token is back: retry-after 3), then admitted on the retry the SDK made
        // after that wait; its own backoff (about 0.5 s, then 1 s) would have been refused twice.
        Assert.Equal(HttpStatusCode.OK, overdrawn.StatusCode);
        Assert.Equal("Hello from the fake model server.", Sdk.TextOf(message));
        Assert.True(DateTime.UtcNow - started > TimeSpan.FromSeconds(1.8), "the SDK retried before the wait it was told");
        Assert.Equal(2, limited.Host.Upstream.Requests.Count);
    }

    [Fact]
    public async Task A_token_count_reports_the_keys_limits_and_charges_nothing()
    {
        await using var limited = await LimitedHost.StartAsync(CounterStore.Process);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { RequestsPerMinute = 4 });
        using var http = Client(limited.Host, key);

        using var message = await http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));
        using var count = await http.PostAsync("/v1/messages/count_tokens", RawRequests.Json("""{"model":"fake-model","messages":[{"role":"user","content":"Hi"}]}"""));
        using var again = await http.PostAsync("/v1/messages/count_tokens", RawRequests.Json("""{"model":"fake-model","messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, count.StatusCode);
        Assert.Equal("3", Header(count, "anthropic-ratelimit-requests-remaining"));
        Assert.Equal("3", Header(again, "anthropic-ratelimit-requests-remaining"));
    }

    [Fact]
    public async Task When_Redis_goes_away_the_process_enforces_the_limit_alone_and_says_so_once()
    {
        var logs = new CapturedLogs();
        await using var limited = await LimitedHost.StartAsync(
            CounterStore.Redis, configure: builder => builder.Services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { RequestsPerMinute = 2 });
        using var http = Client(limited.Host, key);
        using var before = await http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));

        await limited.Redis!.StopAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Single(logs.Lines, l => l.Message.Contains("rate-limit store", StringComparison.Ordinal) && l.Message.Contains("enforces per-key limits on its own", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_Redis_goes_away_and_Switchboard_fails_closed_limited_keys_are_refused_as_overloaded()
    {
        await using var limited = await LimitedHost.StartAsync(CounterStore.Redis, args: ["--Switchboard:Storage:FailClosed=true"]);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { RequestsPerMinute = 100 });
        var (unlimited, _) = await limited.CreateKeyAsync(new KeyChanges());
        using var http = Client(limited.Host, key);
        using var free = Client(limited.Host, unlimited);

        await limited.Redis!.StopAsync();
        using var refused = await http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));
        using var served = await free.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));

        Assert.Equal((HttpStatusCode)529, refused.StatusCode);
        Assert.Equal(("5", "true"), (Header(refused, "retry-after"), Header(refused, "x-should-retry")));
        Assert.Contains("rate-limit store is unavailable", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    internal static HttpClient Client(SwitchboardHost host, string key)
    {
        var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("x-api-key", key);
        http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return http;
    }

    private static async Task<HttpResponseMessage> PostAsync(SwitchboardHost host, string key, string body)
    {
        using var http = Client(host, key);
        var response = await http.PostAsync("/v1/messages", RawRequests.Json(body));
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Sends until the answer is not a refusal for concurrency (the slot of an earlier request came back).</summary>
    internal static async Task<HttpResponseMessage> RetryWhileAtConcurrencyCapAsync(Func<Task<HttpResponseMessage>> send)
    {
        var last = "";
        for (var i = 0; i < 100; i++)
        {
            var response = await send();
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.TooManyRequests || !last.Contains("concurrent requests", StringComparison.Ordinal))
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(50);
        }

        throw new InvalidOperationException("Still at the concurrency cap after 5 s: " + last);
    }

    internal static async Task WaitForUpstreamAsync(SwitchboardHost host, int count)
    {
        for (var i = 0; i < 500 && host.Upstream.Requests.Count < count; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(count, host.Upstream.Requests.Count);
    }

    internal static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content)
        : throw new Xunit.Sdk.XunitException($"No {name} header");

    private static string Header(HttpResponse response, string name) =>
        response.TryGetHeaderValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"No {name} header");
}

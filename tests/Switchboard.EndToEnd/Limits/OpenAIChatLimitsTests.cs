using System.ClientModel;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenAI.Chat;
using Switchboard.EndToEnd.OpenAIChat;
using Switchboard.FakeUpstream;
using Switchboard.Tenancy.Keys;

namespace Switchboard.EndToEnd.Limits;

/// <summary>
/// A stored key's limits on the Chat Completions door, through the official OpenAI .NET SDK: 429
/// <c>rate_limit_exceeded</c> with "Please try again in Ns.", <c>retry-after</c> and <c>retry-after-ms</c>; OpenAI's
/// <c>x-ratelimit-*</c> headers with Go-duration resets; the model permission.
/// </summary>
public sealed partial class OpenAIChatLimitsTests
{
    [Theory]
    [InlineData(CounterStore.Process)]
    [InlineData(CounterStore.Redis)]
    public async Task A_key_limited_to_N_requests_a_minute_gets_N_then_rate_limit_exceeded_with_the_wait(CounterStore store)
    {
        await using var limited = await LimitedHost.StartAsync(store);
        var (key, id) = await limited.CreateKeyAsync(new KeyChanges { RequestsPerMinute = 2 });
        var client = OpenAIChatClient.For(limited.Host, apiKey: key);

        var first = await client.CompleteChatAsync([new UserChatMessage("Hi")]);
        var second = await client.CompleteChatAsync([new UserChatMessage("Hi")]);
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(("2", "1"), (Header(first.GetRawResponse(), "x-ratelimit-limit-requests"), Header(first.GetRawResponse(), "x-ratelimit-remaining-requests")));
        Assert.Equal("0", Header(second.GetRawResponse(), "x-ratelimit-remaining-requests"));
        Assert.Matches(GoSeconds(), Header(second.GetRawResponse(), "x-ratelimit-reset-requests"));
        Assert.Equal(429, failure.Status);
        var response = failure.GetRawResponse()!;
        var retryAfter = int.Parse(Header(response, "retry-after"), CultureInfo.InvariantCulture);
        var retryAfterMs = int.Parse(Header(response, "retry-after-ms"), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 25, 30); // one request every 30 s
        Assert.InRange(retryAfterMs, (retryAfter - 1) * 1000, retryAfter * 1000);
        var error = JsonDocument.Parse(response.Content).RootElement.GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains($"Switchboard API key {id}", message, StringComparison.Ordinal);
        Assert.Contains("2 requests per minute", message, StringComparison.Ordinal);
        Assert.EndsWith($"Please try again in {retryAfter}s.", message, StringComparison.Ordinal);
        Assert.Equal("0", Header(response, "x-ratelimit-remaining-requests"));
        Assert.Equal(2, limited.Host.Upstream.Requests.Count);
    }

    [Theory]
    [InlineData(CounterStore.Process)]
    [InlineData(CounterStore.Redis)]
    public async Task Token_limits_are_reported_as_one_token_limit_and_output_streamed_is_charged(CounterStore store)
    {
        await using var limited = await LimitedHost.StartAsync(store);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { InputTokensPerMinute = 30_000, OutputTokensPerMinute = 6_000 });
        limited.Host.Upstream.Enqueue(new ScriptedReply { Content = "Streamed.", Usage = new ScriptedUsage { PromptTokens = 1_000, CompletionTokens = 2_000 } });
        var client = OpenAIChatClient.For(limited.Host, apiKey: key);

        await foreach (var _ in client.CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
        {
        }

        var next = await client.CompleteChatAsync([new UserChatMessage("Hi")]);

        var raw = next.GetRawResponse();
        Assert.Equal("36000", Header(raw, "x-ratelimit-limit-tokens"));
        Assert.False(raw.Headers.TryGetValue("x-ratelimit-limit-requests", out _)); // the key has no request limit
        var remaining = long.Parse(Header(raw, "x-ratelimit-remaining-tokens"), CultureInfo.InvariantCulture);

        // Input: 30,000 − 1,000 (settled) − this request's estimate; output: 6,000 − 2,000; plus a moment's refill.
        Assert.InRange(remaining, 36_000 - 1_000 - 2_000 - 10, 36_000 - 3_000 + 2_000);
        Assert.Matches(GoSeconds(), Header(raw, "x-ratelimit-reset-tokens"));
    }

    [Theory]
    [InlineData(CounterStore.Process)]
    [InlineData(CounterStore.Redis)]
    public async Task A_model_the_key_may_not_use_is_a_403_permission_error(CounterStore store)
    {
        await using var limited = await LimitedHost.StartAsync(store);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { Models = new List<string> { "other-*" }, RequestsPerMinute = 5 });

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => OpenAIChatClient.For(limited.Host, apiKey: key).CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(403, failure.Status);
        var error = JsonDocument.Parse(failure.GetRawResponse()!.Content).RootElement.GetProperty("error");
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
        Assert.Equal("5", Header(failure.GetRawResponse()!, "x-ratelimit-remaining-requests"));
        Assert.Empty(limited.Host.Upstream.Requests);
    }

    /// <summary>A Go duration of seconds and minutes: <c>30s</c>, <c>29.874s</c>, <c>1m0s</c>.</summary>
    [GeneratedRegex(@"^(\d+m)?\d+(\.\d{1,3})?s$|^\d+ms$")]
    private static partial Regex GoSeconds();

    private static string Header(System.ClientModel.Primitives.PipelineResponse response, string name) =>
        response.Headers.TryGetValue(name, out var value) ? value! : throw new Xunit.Sdk.XunitException($"No {name} header");
}

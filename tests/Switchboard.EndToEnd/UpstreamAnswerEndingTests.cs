using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Anthropic.Exceptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd;

/// <summary>
/// How an upstream answer ended, as the client sees it: stop sequences from servers that only say "stop", answers
/// that are garbage or stop short, and the usage split between <c>message_start</c> and <c>message_delta</c>.
/// </summary>
public sealed class UpstreamAnswerEndingTests
{
    private const string Counting = "1, 2, 3 END 4, 5";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_llama_cpp_stop_sequence_is_reported_with_its_string(bool stream)
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = "Hello", LlamaCppStops = true }); // shows how this server finishes
        host.Upstream.Enqueue(new ScriptedReply { Content = Counting, LlamaCppStops = true });
        await host.Client.Messages.Create(Sdk.Ask("Hi"));

        var parameters = Sdk.Ask("Count") with { StopSequences = ["END", "STOP"] };
        var message = stream ? (await StreamedAnswer.ReadAsync(host.Client, parameters)).Message : await host.Client.Messages.Create(parameters);

        Assert.Equal("stop_sequence", message.StopReason!.Raw());
        Assert.Equal("END", message.StopSequence);
        Assert.Equal("1, 2, 3 ", Sdk.TextOf(message));
    }

    [Theory]
    [InlineData("data: this is not json\n\n: comment\n\ndata: [DONE]\n\n", "text/event-stream")]
    [InlineData("<<<garbage>>>\n", "text/event-stream")]
    [InlineData("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n", "text/event-stream")]
    public async Task A_streamed_answer_with_nothing_in_it_is_an_error_not_an_empty_success(string body, string contentType)
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { RawBody = body, RawContentType = contentType });

        var events = await RawStreamAsync(host);

        Assert.DoesNotContain("message_stop", events.Keys);
        Assert.True(events.TryGetValue("error", out var error));
        Assert.Contains(error.GetProperty("error").GetProperty("type").GetString(), new[] { "api_error", "overloaded_error" });
    }

    [Fact]
    public async Task A_stream_that_stops_after_text_without_a_finish_is_an_error_after_the_text()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply
        {
            RawBody = "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Half an ans\"}}]}\n\n",
        });

        var events = await RawStreamAsync(host);

        Assert.True(events.ContainsKey("content_block_delta"));
        Assert.DoesNotContain("message_stop", events.Keys);
        Assert.Equal("api_error", events["error"].GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_stream_with_text_and_done_but_no_finish_reason_ends_the_turn_with_a_warning()
    {
        var logs = new CapturedLogs();
        await using var host = await SwitchboardHost.StartAsync(configure: builder => builder.Services.AddSingleton<ILoggerProvider>(logs));
        host.Upstream.Enqueue(new ScriptedReply
        {
            RawBody = "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"All here\"}}]}\n\ndata: [DONE]\n\n",
        });

        var events = await RawStreamAsync(host);

        Assert.Equal("end_turn", events["message_delta"].GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Contains(logs.Lines, line => line.Level == LogLevel.Warning && line.Message.Contains("without a finish reason", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"result\":\"ok\"}")]
    public async Task A_body_that_is_not_a_chat_completion_is_an_error(string body)
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { RawBody = body, RawContentType = "application/json" });

        var error = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => host.Client.Messages.Create(Sdk.Ask("Hi")));

        Assert.True((int)error.StatusCode >= 500, $"status {(int)error.StatusCode}");
    }

    [Fact]
    public async Task Message_start_has_the_estimate_and_message_delta_the_upstream_split_of_its_exact_total()
    {
        await using var host = await SwitchboardHost.StartAsync(new FakeServerOptions { FixedTokenCount = 1000 });
        host.Upstream.Enqueue(new ScriptedReply
        {
            Content = "ok",
            Usage = new ScriptedUsage { PromptTokens = 1000, CompletionTokens = 3, CachedTokens = 800 },
        });

        var events = await RawStreamAsync(host);

        // The start goes out before the upstream has counted anything: it carries Switchboard's estimate of "Hi".
        var start = events["message_start"].GetProperty("message").GetProperty("usage");
        var delta = events["message_delta"].GetProperty("usage");
        Assert.InRange(start.GetProperty("input_tokens").GetInt32(), 1, 50);
        Assert.Equal(0, start.GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(200, delta.GetProperty("input_tokens").GetInt32());
        Assert.Equal(800, delta.GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(1000, Total(delta));
    }

    private static int Total(JsonElement usage) =>
        usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("cache_read_input_tokens").GetInt32()
        + usage.GetProperty("cache_creation_input_tokens").GetInt32();

    /// <summary>Streams a request and returns the last event of each type, by type.</summary>
    private static async Task<Dictionary<string, JsonElement>> RawStreamAsync(SwitchboardHost host)
    {
        using var response = await host.Http.PostAsJsonAsync("/v1/messages", new
        {
            model = SwitchboardHost.Model,
            max_tokens = 64,
            stream = true,
            messages = new[] { new { role = "user", content = "Hi" } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var events = new Dictionary<string, JsonElement>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var json = JsonDocument.Parse(line["data: ".Length..]);
                events[json.RootElement.GetProperty("type").GetString()!] = json.RootElement.Clone();
            }
        }

        return events;
    }
}

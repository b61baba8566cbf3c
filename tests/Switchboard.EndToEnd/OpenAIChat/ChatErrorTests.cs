using System.ClientModel;
using System.Net;
using System.Text.Json;
using OpenAI.Chat;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.OpenAIChat;

/// <summary>Errors in OpenAI's envelope and statuses, as the official .NET SDK raises them, and a failure mid-stream.</summary>
public sealed class ChatErrorTests
{
    [Fact]
    public async Task An_unknown_model_is_a_404_with_code_model_not_found()
    {
        // Without the quickstart's catch-all alias, so a name no model answers to is unknown.
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:Models:0:Aliases:0=gpt-*"]);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => OpenAIChatClient.For(host, "no-such-model").CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(404, failure.Status);
        var error = ErrorOf(failure);
        Assert.Equal(("invalid_request_error", "model_not_found", "model"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        Assert.Contains("no-such-model", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_is_a_401_with_code_invalid_api_key()
    {
        await using var host = await SwitchboardHost.StartAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => OpenAIChatClient.For(host, apiKey: "sk-wrong").CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(401, failure.Status);
        Assert.Equal("invalid_api_key", ErrorOf(failure).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_invalid_request_error()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await OpenAIChatClient.PostAsync(host, "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = OpenAIChatClient.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task An_upstream_rate_limit_is_a_429_rate_limit_exceeded_with_retry_after()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(ScriptedReply.Fail(429, "Too many requests, slow down", retryAfter: "7"));
        host.Upstream.Enqueue(ScriptedReply.Fail(429, "Too many requests, slow down", retryAfter: "7"));

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => OpenAIChatClient.For(host).CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(429, failure.Status);
        Assert.Equal(("rate_limit_error", "rate_limit_exceeded"), (ErrorOf(failure).GetProperty("type").GetString(), ErrorOf(failure).GetProperty("code").GetString()));
        Assert.True(failure.GetRawResponse()!.Headers.TryGetValue("retry-after", out var retryAfter));
        Assert.Equal("7", retryAfter);
    }

    [Fact]
    public async Task An_upstream_that_is_loading_is_a_503_server_is_overloaded()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(ScriptedReply.Fail(503, "Loading model", ServerFlavor.LlamaCpp));
        host.Upstream.Enqueue(ScriptedReply.Fail(503, "Loading model", ServerFlavor.LlamaCpp));

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => OpenAIChatClient.For(host).CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(503, failure.Status);
        Assert.Equal(("server_error", "server_is_overloaded"), (ErrorOf(failure).GetProperty("type").GetString(), ErrorOf(failure).GetProperty("code").GetString()));
    }

    [Fact]
    public async Task An_upstream_failure_after_the_stream_began_is_a_final_error_chunk_then_done()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply
        {
            Content = "This answer will not finish",
            ChunkSize = 5,
            MidStreamFailure = new MidStreamFailure { AfterChunks = 2, Kind = MidStreamFailureKind.Abort, Message = "CUDA error" },
        });

        var data = await OpenAIChatClient.StreamDataAsync(host, """{"model":"fake-model","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal("[DONE]", data[^1]);
        var last = OpenAIChatClient.Parse(data[^2]);
        var error = last.GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.DoesNotContain("127.0.0.1", data[^2], StringComparison.Ordinal);
        var text = string.Concat(data[..^2].Select(OpenAIChatClient.Parse).SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : ""));
        Assert.Equal("This answe", text);
        Assert.DoesNotContain(data[..^1], d => d.Contains("\"finish_reason\":\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_field_the_door_refuses_is_a_400_naming_it_in_param()
    {
        await using var host = await SwitchboardHost.StartAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() =>
            OpenAIChatClient.For(host).CompleteChatAsync([new UserChatMessage("Hi")], new ChatCompletionOptions { Temperature = 7 }));

        Assert.Equal(400, failure.Status);
        Assert.Equal(("invalid_request_error", "temperature"), (ErrorOf(failure).GetProperty("type").GetString(), ErrorOf(failure).GetProperty("param").GetString()));
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_in_openais_envelope()
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:MaxRequestBodyBytes=2000"]);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() =>
            OpenAIChatClient.For(host).CompleteChatAsync([new UserChatMessage(new string('x', 5000))]));

        Assert.Equal(413, failure.Status);
        Assert.Equal("request_too_large", ErrorOf(failure).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_failure_before_any_content_is_reported_as_it_is_after_the_role_chunk()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply
        {
            Content = "Never sent",
            MidStreamFailure = new MidStreamFailure { AfterChunks = 0, Kind = MidStreamFailureKind.Abort, Message = "engine core died unexpectedly" },
        });

        var data = await OpenAIChatClient.StreamDataAsync(host, """{"model":"fake-model","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(3, data.Count);
        Assert.Equal("assistant", OpenAIChatClient.Parse(data[0]).GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("server_error", OpenAIChatClient.Parse(data[1]).GetProperty("error").GetProperty("type").GetString());
        Assert.DoesNotContain("engine core", data[1], StringComparison.Ordinal);
        Assert.Equal("[DONE]", data[2]);
    }

    /// <summary>
    /// The .NET SDK (2.15) does not raise an in-stream <c>error</c> object (the npm SDK and the AI SDK do): its user
    /// sees the text so far and no finish reason, which is how a cut-off answer is told from a complete one.
    /// </summary>
    [Fact]
    public async Task The_dotnet_sdk_sees_a_failed_stream_end_without_a_finish_reason()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply
        {
            Content = "This answer will not finish",
            ChunkSize = 5,
            MidStreamFailure = new MidStreamFailure { AfterChunks = 2, Kind = MidStreamFailureKind.ErrorEvent, Message = "CUDA error" },
        });

        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        var failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in OpenAIChatClient.For(host).CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
            {
                finish ??= update.FinishReason;
                text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            }
        });

        Assert.Equal("This answe", text.ToString());
        Assert.Null(finish);
        Assert.Null(failure);
    }

    private static JsonElement ErrorOf(ClientResultException failure) =>
        JsonDocument.Parse(failure.GetRawResponse()!.Content).RootElement.GetProperty("error").Clone();
}

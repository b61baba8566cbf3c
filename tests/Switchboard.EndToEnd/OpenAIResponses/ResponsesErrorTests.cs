using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenAI.Responses;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.EndToEnd.Limits;
using Switchboard.FakeUpstream;
using Switchboard.Tenancy.Keys;

#pragma warning disable OPENAI001

namespace Switchboard.EndToEnd.OpenAIResponses;

/// <summary>
/// Errors on the Responses door in OpenAI's envelope: a 400 naming the field, 401, 429 with <c>retry-after</c>
/// (Codex retries a 429 only with it), a failure after the stream started as an <c>error</c> event and
/// <c>response.failed</c>, a budget hit as <c>response.incomplete</c>.
/// </summary>
public sealed class ResponsesErrorTests
{
    [Theory]
    [InlineData("""{"model":"fake-model","input":42}""", "input", "invalid_type")]
    [InlineData("""{"model":"fake-model","input":"Hi","max_output_tokens":8}""", "max_output_tokens", "integer_below_min_value")]
    [InlineData("""{"model":"fake-model","input":"Hi","background":true}""", "background", "unsupported_value")]
    [InlineData("""{"model":"fake-model","input":[{"role":"user","content":[{"type":"input_file","file_id":"file-1"}]}]}""", "input[0].content[0]", "unsupported_value")]
    [InlineData("""{"model":"fake-model","input":"Hi","tool_choice":{"type":"web_search_preview"}}""", "tool_choice.type", "unsupported_value")]
    public async Task A_bad_request_is_a_400_naming_the_field(string body, string param, string code)
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await ResponsesSdk.PostAsync(host, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = ResponsesSdk.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error");
        Assert.Equal(("invalid_request_error", param, code), (error.GetProperty("type").GetString(), error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task The_sdk_sees_a_400_and_a_401_with_openai_codes()
    {
        await using var host = await SwitchboardHost.StartAsync();

        var bad = await Assert.ThrowsAsync<ClientResultException>(() => ResponsesSdk.For(host).CreateResponseAsync(
            new CreateResponseOptions(SwitchboardHost.Model, [ResponseItem.CreateUserMessageItem("Hi")]) { MaxOutputTokenCount = 1 }));
        var unauthorized = await Assert.ThrowsAsync<ClientResultException>(() => ResponsesSdk.For(host, apiKey: "sk-wrong").CreateResponseAsync(SwitchboardHost.Model, "Hi"));

        Assert.Equal(400, bad.Status);
        Assert.Contains("max_output_tokens", bad.Message, StringComparison.Ordinal);
        Assert.Equal(401, unauthorized.Status);
        Assert.Equal("invalid_api_key", ErrorOf(unauthorized).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_stored_key_over_its_request_limit_gets_429_with_retry_after()
    {
        await using var limited = await LimitedHost.StartAsync(CounterStore.Process);
        var (key, _) = await limited.CreateKeyAsync(new KeyChanges { RequestsPerMinute = 1 });
        var client = ResponsesSdk.For(limited.Host, apiKey: key);

        var first = await client.CreateResponseAsync(SwitchboardHost.Model, "Hi");
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(SwitchboardHost.Model, "Hi"));

        Assert.Equal("0", Header(first.GetRawResponse(), "x-ratelimit-remaining-requests"));
        Assert.Equal(429, failure.Status);
        var retryAfter = int.Parse(Header(failure.GetRawResponse()!, "retry-after"), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 50, 60);
        Assert.Equal("rate_limit_exceeded", ErrorOf(failure).GetProperty("code").GetString());
        Assert.EndsWith($"Please try again in {retryAfter}s.", ErrorOf(failure).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_after_the_stream_started_is_an_error_event_then_response_failed()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply
        {
            Content = "This answer will not finish",
            ChunkSize = 5,
            MidStreamFailure = new MidStreamFailure { AfterChunks = 2, Kind = MidStreamFailureKind.ErrorEvent, Message = "CUDA error" },
        });

        var events = await ResponsesSdk.StreamAsync(host, """{"model":"fake-model","input":"Hi","stream":true}""");

        Assert.Equal(["error", "response.failed"], events[^2..].Select(e => e.Name));
        var error = events[^2].Data;
        Assert.Equal("server_error", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("error").GetProperty("code").GetString());
        var failed = events[^1].Data.GetProperty("response");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("server_error", failed.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(failed.GetProperty("output").EnumerateArray());
        Assert.DoesNotContain(events, e => e.Name == "response.output_item.done");
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_budget_hit_is_an_incomplete_response_with_the_reason(bool stream)
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(new ScriptedReply { Content = "A long", FinishReason = "length" });
        var body = $$"""{"model":"fake-model","input":"Write an essay","max_output_tokens":16,"stream":{{(stream ? "true" : "false")}}}""";

        JsonElement response;
        if (stream)
        {
            var events = await ResponsesSdk.StreamAsync(host, body);
            Assert.Equal("response.incomplete", events[^1].Name);
            response = events[^1].Data.GetProperty("response");
        }
        else
        {
            using var answer = await ResponsesSdk.PostAsync(host, body);
            response = ResponsesSdk.Parse(await answer.Content.ReadAsStringAsync());
        }

        Assert.Equal("incomplete", response.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", response.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal(16, response.GetProperty("max_output_tokens").GetInt32());
        Assert.Equal(16, host.Upstream.Requests[0].Body.GetProperty("max_tokens").GetInt32());
    }

    private static string Header(System.ClientModel.Primitives.PipelineResponse response, string name) =>
        response.Headers.TryGetValue(name, out var value) ? value! : throw new Xunit.Sdk.XunitException($"no {name} header");

    private static JsonElement ErrorOf(ClientResultException failure) =>
        JsonDocument.Parse(failure.GetRawResponse()!.Content).RootElement.GetProperty("error").Clone();
}

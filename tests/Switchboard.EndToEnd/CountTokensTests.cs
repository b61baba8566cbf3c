using Anthropic.Models.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd;

/// <summary><c>POST /v1/messages/count_tokens</c>: the model server's own count when it can tokenize; streams do without it.</summary>
public sealed class CountTokensTests
{
    private static MessageCountTokensParams Question(string text) => new()
    {
        Model = SwitchboardHost.Model,
        Messages = [new UserMessageParam(text)],
    };

    [Theory]
    [InlineData(TokenizerStyle.Vllm)]
    [InlineData(TokenizerStyle.LlamaCpp)]
    public async Task Count_tokens_is_the_upstream_tokenizer_count(TokenizerStyle style)
    {
        await using var host = await SwitchboardHost.StartAsync(new FakeServerOptions { Tokenizer = style, FixedTokenCount = 4242 });

        var count = await host.Client.Messages.CountTokens(Question("How many tokens is this?"));

        Assert.Equal(4242, count.InputTokens);
        var tokenize = host.Upstream.AllRequests.Last(r => r.Path == "/tokenize");
        Assert.Contains("How many tokens is this?", tokenize.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task Count_tokens_counts_the_messages_and_tools_it_sends_to_the_tokenizer()
    {
        await using var host = await SwitchboardHost.StartAsync();

        var count = await host.Client.Messages.CountTokens(Question("Weather in Paris?") with { Tools = [Sdk.WeatherTool()] });

        var tokenize = host.Upstream.AllRequests.Last(r => r.Path == "/tokenize");
        Assert.Equal(FakeTokenizer.CountRequest(tokenize.Body), count.InputTokens);
        Assert.Equal("get_weather", tokenize.Body.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Count_tokens_falls_back_to_an_estimate_when_the_server_cannot_tokenize()
    {
        await using var host = await SwitchboardHost.StartAsync(new FakeServerOptions { Tokenizer = TokenizerStyle.None });
        string text = string.Concat(Enumerable.Repeat("A sentence of about ten tokens, repeated many times. ", 40));

        var count = await host.Client.Messages.CountTokens(Question(text));

        // 40 × 53 characters ≈ 530 tokens at four characters a token; any sane estimate lands well inside this band.
        Assert.InRange(count.InputTokens, 265, 1060);
    }

    /// <summary>
    /// A streamed request does not ask the model server to render and tokenize its prompt a second time: the message
    /// start carries the estimate, and the exact count comes from the upstream's own usage, in <c>message_delta</c>
    /// (which clients read as the final figure) and in the request's record (log line and ledger).
    /// </summary>
    [Theory]
    [InlineData(TokenizerStyle.Vllm)]
    [InlineData(TokenizerStyle.LlamaCpp)]
    public async Task A_streamed_request_makes_no_tokenizer_call_and_reports_the_upstream_count_at_the_end(TokenizerStyle style)
    {
        var logs = new CapturedLogs();
        await using var host = await SwitchboardHost.StartAsync(
            new FakeServerOptions { Tokenizer = style, FixedTokenCount = 777 },
            args: ["--Logging:LogLevel:Switchboard=Information"],
            configure: builder => builder.Services.AddSingleton<ILoggerProvider>(logs));
        host.Upstream.Enqueue(new ScriptedReply { Content = "ok", Usage = new ScriptedUsage { PromptTokens = 777, CompletionTokens = 1 } });

        var answer = await StreamedAnswer.ReadAsync(host.Client, Sdk.Ask("Count me"));

        Assert.True(answer.Events[0].TryPickStart(out var start));
        Assert.InRange(start.Message.Usage.InputTokens, 1, 100);
        Assert.Equal(777, answer.Message.Usage.InputTokens);
        Assert.DoesNotContain(host.Upstream.AllRequests, r => r.Path is "/tokenize" or "/apply-template");
        Assert.Contains(logs.Lines, line => line.Message.Contains(" POST /v1/messages 200", StringComparison.Ordinal)
            && line.Message.Contains(" input_tokens=777 ", StringComparison.Ordinal));
    }
}

using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Ingress.Anthropic;
using Switchboard.Ingress.OpenAIChat;
using Switchboard.Pipeline;
using Switchboard.Routing;

namespace Switchboard.Tests.Pipeline;

/// <summary>
/// The pipeline run the way a batch runner would run it: no HTTP anywhere, the answer written to memory. The
/// Anthropic door supplies the dialect.
/// </summary>
public sealed class MessagePipelineTests : IDisposable
{
    private const string Body = """{"model":"m","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}""";
    private const string StreamBody = """{"model":"m","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""";

    private readonly ScriptedUpstream _upstream = new();
    private readonly DrainSignal _drain = new();
    private readonly MemoryChannel _channel = new();
    private readonly RequestRecord _record = new();
    private readonly SwitchboardOptions _options = new()
    {
        Upstreams = { ["gpu"] = new UpstreamOptions { BaseUrl = "http://127.0.0.1:9/v1", Api = "scripted" } },
        Models = { new ModelOptions { Name = "m" } },
        Streaming = { PingIntervalSeconds = 30 },
        ThinkingSignatureKey = "pipeline-test",
    };

    private IAdmissionPolicy _admission = new AdmitAll();

    public void Dispose() => _drain.Dispose();

    [Fact]
    public async Task A_whole_message_is_written_in_the_doors_dialect_and_its_usage_settled()
    {
        _upstream.Reply = async (target, _) =>
        {
            target.AppendThinking("Plan.");
            target.AppendText("Hello.");
            target.SetUsage(new Usage(20, 3, 5, 0));
            await Task.Yield();
        };

        await RunAsync(Body);

        Assert.Equal(200, _channel.Status);
        using var json = JsonDocument.Parse(_channel.Text);
        var content = json.RootElement.GetProperty("content");
        Assert.Equal("thinking", content[0].GetProperty("type").GetString());
        Assert.True(ThinkingSignature.Verify(new ThinkingKey(_options).Value, "Plan.", content[0].GetProperty("signature").GetString()));
        Assert.Equal("Hello.", content[1].GetProperty("text").GetString());
        Assert.Equal(("anthropic", "m", "gpu"), (_record.FrontDoor, _record.Model, _record.Target));
        Assert.Equal((20, 5, 0, 3), (_record.InputTokens, _record.CacheReadTokens, _record.CacheWriteTokens, _record.OutputTokens));
        Assert.Null(_record.ErrorKind);
    }

    [Fact]
    public async Task A_refusal_by_the_admission_policy_is_answered_by_the_door_and_nothing_is_sent()
    {
        _admission = new Refuse(new ApiError(ApiErrorKind.RateLimit, "Key over its limit"));

        await RunAsync(Body);

        Assert.Equal(429, _channel.Status);
        Assert.Contains("\"rate_limit_error\"", _channel.Text, StringComparison.Ordinal);
        Assert.Equal(0, _upstream.Sent);
        Assert.Equal(ApiErrorKind.RateLimit, _record.ErrorKind);
    }

    [Fact]
    public async Task The_callers_rate_limits_go_out_in_the_doors_headers_on_a_refusal_too()
    {
        var status = new RateLimitStatus(DateTimeOffset.UnixEpoch, new RateLimitWindow(10, 0, TimeSpan.FromSeconds(6)), null, null);
        _admission = new Refuse(new ApiError(ApiErrorKind.RateLimit, "Key over its limit"), status);

        await RunAsync(Body);

        Assert.Equal(429, _channel.Status);
        Assert.Equal("0", _channel.Headers["anthropic-ratelimit-requests-remaining"]);
        Assert.Equal("1970-01-01T00:00:06Z", _channel.Headers["anthropic-ratelimit-requests-reset"]);
    }

    [Fact]
    public async Task A_stream_charges_its_output_to_the_lease_as_it_is_produced_and_settles_it_before_the_end_goes_out()
    {
        var lease = new RecordingLease(_channel);
        _admission = new Lend(lease, new RateLimitStatus(DateTimeOffset.UnixEpoch, new RateLimitWindow(10, 9, TimeSpan.FromSeconds(6)), null, null));
        _upstream.PacedReply = async (target, pacing, token) =>
        {
            target.AppendText(new string('a', 40));
            await pacing!.FlushAsync(token);
            target.AppendText(new string('b', 80));
            await pacing.FlushAsync(token);
            target.SetUsage(new Usage(7, 31, 0, 0));
        };

        await RunAsync(StreamBody);

        // Running totals as the stream is flushed (four characters a token until the upstream reports its count);
        // completed with the final count before the client was sent the end, so its next request finds it settled.
        Assert.Equal([10, 30], lease.OutputTotals.Take(2));
        Assert.Equal(31, lease.CompletedOutput);
        Assert.DoesNotContain("message_stop", lease.AtCompletion.Sent, StringComparison.Ordinal);
        Assert.Contains("message_stop", _channel.Text, StringComparison.Ordinal);
        Assert.Equal("9", _channel.Headers["anthropic-ratelimit-requests-remaining"]);
    }

    [Fact]
    public async Task An_answer_that_fails_midway_still_completes_the_lease_with_the_output_sent()
    {
        var lease = new RecordingLease(_channel);
        _admission = new Lend(lease, null);
        _upstream.PacedReply = async (target, pacing, token) =>
        {
            target.AppendText(new string('a', 40));
            await pacing!.FlushAsync(token);
            throw new ApiException(ApiErrorKind.Api, "upstream broke");
        };

        await RunAsync(StreamBody);

        Assert.True(lease.Completions >= 1);
        Assert.Equal(10, lease.CompletedOutput);
    }

    [Fact]
    public async Task A_whole_answer_settles_its_lease_before_it_is_written()
    {
        var lease = new RecordingLease(_channel);
        _admission = new Lend(lease, null);
        _upstream.Reply = (target, _) =>
        {
            target.AppendText("Done.");
            target.SetUsage(new Usage(9, 2, 0, 0));
            return Task.CompletedTask;
        };

        await RunAsync(Body);

        Assert.Equal(2, lease.CompletedOutput);
        Assert.Equal((0, ""), lease.AtCompletion);
        Assert.Equal(200, _channel.Status);
    }

    [Fact]
    public async Task A_stream_failing_before_any_content_ends_with_the_doors_retryable_error()
    {
        _upstream.Reply = async (_, token) =>
        {
            await Task.Delay(700, token);
            throw new ApiException(ApiErrorKind.Api, "upstream broke");
        };

        await RunAsync(StreamBody);

        Assert.Equal(200, _channel.Status);
        Assert.StartsWith("event: message_start", _channel.Text, StringComparison.Ordinal);
        Assert.Contains("\"input_tokens\":" + TokenEstimator.Estimate(Request()), _channel.Text, StringComparison.Ordinal);
        Assert.EndsWith("event: error\ndata: " + ErrorJson("overloaded_error", "upstream broke") + "\n\n", _channel.Text, StringComparison.Ordinal);
        Assert.Equal(ApiErrorKind.Overloaded, _record.ErrorKind);
    }

    [Fact]
    public async Task A_drain_ends_a_running_stream_with_a_retryable_error_and_settles_what_was_sent()
    {
        var streaming = new TaskCompletionSource();
        _upstream.Reply = async (target, token) =>
        {
            target.AppendText("Partial answer");
            streaming.SetResult();
            await Task.Delay(Timeout.Infinite, token);
        };

        var run = RunAsync(StreamBody);
        await streaming.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _drain.Drain();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("\"text\":\"Partial answer\"", _channel.Text, StringComparison.Ordinal);
        Assert.EndsWith("event: error\ndata: " + ErrorJson("overloaded_error", "Switchboard is restarting; retry the request") + "\n\n",
            _channel.Text, StringComparison.Ordinal);
        Assert.Equal(ApiErrorKind.Overloaded, _record.ErrorKind);
        Assert.Equal(4, _record.OutputTokens);
    }

    [Fact]
    public async Task After_the_stop_signal_a_new_request_is_refused_with_a_retryable_error_and_nothing_is_sent()
    {
        _drain.BeginShutdown(TimeSpan.FromHours(1), TimeProvider.System);

        await RunAsync(StreamBody);

        Assert.Equal(529, _channel.Status);
        Assert.Contains("\"overloaded_error\"", _channel.Text, StringComparison.Ordinal);
        Assert.Equal(0, _upstream.Sent);
        Assert.False(_drain.IsDraining);
    }

    [Fact]
    public async Task Reasoning_a_chat_client_sends_back_reaches_the_model_while_unsigned_thinking_from_a_messages_client_does_not()
    {
        const string ChatHistory = """
            {"model":"m","messages":[{"role":"user","content":"2+2?"},
             {"role":"assistant","content":"4","reasoning_content":"Add them."},{"role":"user","content":"and 3+3?"}]}
            """;
        const string MessagesHistory = """
            {"model":"m","max_tokens":100,"messages":[{"role":"user","content":"2+2?"},
             {"role":"assistant","content":[{"type":"thinking","thinking":"Add them.","signature":""},{"type":"text","text":"4"}]},
             {"role":"user","content":"and 3+3?"}]}
            """;

        await RunAsync(ChatHistory, new ChatReaderDoor(new AnthropicDoor(new ThinkingKey(_options))));
        var chatSent = _upstream.LastRequest!.Messages[1].Content;
        await RunAsync(MessagesHistory);
        var messagesSent = _upstream.LastRequest!.Messages[1].Content;

        Assert.Equal("Add them.", Assert.IsType<ThinkingBlock>(chatSent[0]).Thinking);
        Assert.Equal(new TextBlock("4"), chatSent[1]);
        Assert.Equal(new TextBlock("4"), Assert.Single(messagesSent));
    }

    private static MessageRequest Request() => new() { Model = "m", MaxTokens = 100, Messages = [new Message(Role.User, [new TextBlock("Hi")])] };

    private string ErrorJson(string type, string message) =>
        $$"""{"type":"error","error":{"type":"{{type}}","message":"{{message}}"},"request_id":"{{_channel.RequestId}}"}""";

    private async Task RunAsync(string body, IFrontDoor? door = null)
    {
        var registry = new UpstreamRegistry(_options);
        var apis = new UpstreamApis([_upstream], registry);
        var counter = new TokenCounter(apis);
        var forwarder = new UpstreamForwarder(apis, counter, NullLogger<UpstreamForwarder>.Instance);
        var stage = new StreamStage(forwarder, apis, _drain, _options, TimeProvider.System, NullLogger<StreamStage>.Instance);
        var key = new ThinkingKey(_options);
        var pipeline = new MessagePipeline(
            new ModelCatalog(_options, registry), apis, key, _admission, forwarder, stage, counter, _options, TimeProvider.System, _drain,
            NullLogger<MessagePipeline>.Instance);
        await pipeline.RunAsync(door ?? new AnthropicDoor(key), () => Task.FromResult<IRequestJson>(new ParsedJson(JsonDocument.Parse(body))), _channel, _record);
    }

    /// <summary>The Chat Completions reader in front of another door's writers: what the pipeline does with what it reads.</summary>
    private sealed class ChatReaderDoor(IFrontDoor writers) : IFrontDoor
    {
        public string Name => "chat-reader";

        public string MessageContentType => writers.MessageContentType;

        public string StreamContentType => writers.StreamContentType;

        public MessageRequest ReadRequest(JsonElement body, bool countOnly, ICollection<string> notes) =>
            ChatCompletionsRequestReader.Read(body, notes, countOnly);

        public void WriteMessage(System.Buffers.IBufferWriter<byte> output, MessageResponse message, MessageRequest request) => writers.WriteMessage(output, message, request);

        public void WriteTokenCount(System.Buffers.IBufferWriter<byte> output, int inputTokens) => writers.WriteTokenCount(output, inputTokens);

        public IMessageStreamSink CreateStreamWriter(System.Buffers.IBufferWriter<byte> output, string requestId, MessageRequest request) =>
            writers.CreateStreamWriter(output, requestId, request);

        public void AddRateLimitHeaders(IResponseChannel channel, RateLimitStatus status) => writers.AddRateLimitHeaders(channel, status);

        public Task WriteErrorAsync(IResponseChannel channel, ApiError error) => writers.WriteErrorAsync(channel, error);

        public ApiError InStreamError(ApiError failure, bool contentSent) => writers.InStreamError(failure, contentSent);
    }

    private sealed class ParsedJson(JsonDocument document) : IRequestJson
    {
        public JsonElement RootElement => document.RootElement;

        public void Dispose() => document.Dispose();
    }

    private sealed class Refuse(ApiError error, RateLimitStatus? status = null) : IAdmissionPolicy
    {
        public ValueTask<IAdmissionLease> AdmitAsync(MessageRequest request, ModelRoute route, RequestRecord record, CancellationToken cancellationToken)
        {
            record.RateLimits = status;
            throw new ApiException(error);
        }
    }

    private sealed class Lend(IAdmissionLease lease, RateLimitStatus? status) : IAdmissionPolicy
    {
        public ValueTask<IAdmissionLease> AdmitAsync(MessageRequest request, ModelRoute route, RequestRecord record, CancellationToken cancellationToken)
        {
            record.RateLimits = status;
            return ValueTask.FromResult(lease);
        }
    }

    /// <summary>A lease that notes what it was told, and what the client had been sent when it was first completed.</summary>
    private sealed class RecordingLease(MemoryChannel channel) : IAdmissionLease
    {
        public List<int> OutputTotals { get; } = [];

        public int Completions { get; private set; }

        public int? CompletedOutput { get; private set; }

        /// <summary>The status and body the client had when the lease was first completed.</summary>
        public (int Status, string Sent) AtCompletion { get; private set; }

        public void OnOutputTokens(int total)
        {
            if (Completions == 0)
            {
                OutputTotals.Add(total);
            }
        }

        public void Complete(RequestRecord record)
        {
            if (Completions++ == 0)
            {
                CompletedOutput = record.OutputTokens;
                AtCompletion = (channel.Status, channel.Text);
            }
        }
    }

    private sealed class MemoryChannel : IResponseChannel
    {
        private readonly MemoryStream _memory = new();

        public MemoryChannel() => Body = PipeWriter.Create(_memory, new StreamPipeWriterOptions(leaveOpen: true));

        public string RequestId => "req_test";

        public CancellationToken Aborted => CancellationToken.None;

        public PipeWriter Body { get; }

        public bool HasStarted => Status != 0;

        public int Status { get; private set; }

        public string Text => Encoding.UTF8.GetString(_memory.ToArray());

        public void Begin(int status, string contentType) => Status = status;

        public void BeginStream(string contentType) => Status = 200;

        public Dictionary<string, string> Headers { get; } = [];

        public void SetHeader(string name, string value) => Headers[name] = value;
    }

    private sealed class ScriptedUpstream : IModelUpstream
    {
        public Func<StreamAssembler, CancellationToken, Task> Reply { get; set; } = (_, _) => Task.CompletedTask;

        /// <summary>A reply that also gets the stream's pacing (to flush between parts); wins over <see cref="Reply"/>.</summary>
        public Func<StreamAssembler, StreamPacing?, CancellationToken, Task>? PacedReply { get; set; }

        public int Sent { get; private set; }

        public MessageRequest? LastRequest { get; private set; }

        public string Api => "scripted";

        public Task<int?> CountTokensAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken) => Task.FromResult<int?>(null);

        public Task<int?> GetContextLengthAsync(ModelRoute route, CancellationToken cancellationToken) => Task.FromResult<int?>(null);

        public Task<IUpstreamResponse> SendAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
        {
            Sent++;

            // Texts read from the client's body are decoded on first use, from the body, which lives as long as
            // the request: decoded here so a test can look at them after the request has ended.
            foreach (var message in request.Messages)
            {
                foreach (var block in message.Content)
                {
                    _ = (block as TextBlock)?.Text;
                }
            }

            LastRequest = request;
            var reply = Reply;
            var paced = PacedReply ?? ((target, _, token) => reply(target, token));
            return Task.FromResult<IUpstreamResponse>(new Response(paced));
        }

        private sealed class Response(Func<StreamAssembler, StreamPacing?, CancellationToken, Task> reply) : IUpstreamResponse
        {
            public Task ReadAsync(StreamAssembler target, StreamPacing? pacing, CancellationToken cancellationToken) => reply(target, pacing, cancellationToken);

            public void Dispose()
            {
            }
        }
    }
}

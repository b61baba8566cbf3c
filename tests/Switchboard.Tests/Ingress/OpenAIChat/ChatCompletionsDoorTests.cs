using System.IO.Pipelines;
using System.Text;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Ingress;
using Switchboard.Ingress.OpenAIChat;
using Switchboard.Pipeline;

namespace Switchboard.Tests.Ingress.OpenAIChat;

public sealed class ChatCompletionsDoorTests
{
    [Fact]
    public void An_unknown_model_is_model_not_found_on_model()
    {
        var error = ChatCompletionsDoor.Worded(new ApiError(ApiErrorKind.NotFound, "model: nope"));
        Assert.Equal(("model_not_found", "model", 404), (error.Code, error.Param, error.HttpStatus));
    }

    [Fact]
    public void Other_errors_keep_their_code()
    {
        var error = new ApiError(ApiErrorKind.InvalidRequest, "bad") { Param = "messages", Code = "x" };
        Assert.Same(error, ChatCompletionsDoor.Worded(error));
    }

    [Fact]
    public void Overload_is_503_to_openai_clients()
    {
        Assert.Equal(503, OpenAIErrors.Instance.StatusCode(ApiErrorKind.Overloaded));
        Assert.Equal(429, OpenAIErrors.Instance.StatusCode(ApiErrorKind.RateLimit));
    }

    [Fact]
    public async Task Another_transport_gets_the_same_status_and_body()
    {
        var door = new ChatCompletionsDoor(new SwitchboardOptions(), TimeProvider.System);
        var channel = new MemoryChannel();

        await door.WriteErrorAsync(channel, new ApiError(ApiErrorKind.Overloaded, "Busy"));

        Assert.Equal(503, channel.Status);
        Assert.Equal("""{"error":{"message":"Busy","type":"server_error","param":null,"code":"server_is_overloaded"}}""", channel.Text);
    }

    [Theory]
    [InlineData("call_abc", "call_abc")]
    [InlineData("chatcmpl-tool-1", "call_chatcmpl-tool-1")]
    [InlineData("functions.f:0", "call_functions_f_0")]
    public void Upstream_call_ids_map_to_call_ids_deterministically(string upstream, string expected) =>
        Assert.Equal(expected, ChatCompletionIds.Call(upstream));

    [Fact]
    public void The_completion_id_reuses_the_message_ids_random_part() =>
        Assert.Equal("chatcmpl-XYZ", ChatCompletionIds.Completion("msg_XYZ"));

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
}

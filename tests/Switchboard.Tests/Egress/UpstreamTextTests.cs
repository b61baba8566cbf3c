using System.Text;
using Switchboard.Egress;

namespace Switchboard.Tests.Egress;

public sealed class UpstreamTextTests
{
    [Theory]
    [InlineData("Invalid token: Bearer sk-live-abcdef1234567890", "sk-live-abcdef1234567890")]
    [InlineData("Incorrect API key provided: sk-proj-AbCdEf0123456789xyz", "sk-proj-AbCdEf0123456789xyz")]
    [InlineData("auth failed for api_key=hunter2hunter2", "hunter2hunter2")]
    [InlineData("bad \"token\": \"s3cr3t-value\"", "s3cr3t-value")]
    [InlineData("session 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822c", "9f86d081884c7d659a2feaa0c55ad015")]
    [InlineData("key QWxhZGRpbjpvcGVuIHNlc2FtZQ0KQWxhZGRpbjpvcGVuIHNlc2FtZQ== rejected", "QWxhZGRpbjpvcGVuIHNlc2FtZQ0K")]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig rejected", "eyJhbGciOiJIUzI1NiJ9")]
    [InlineData("could not reach http://10.0.3.7:8000/v1/chat/completions", "10.0.3.7")]
    [InlineData("connect to 192.168.1.20:8080 failed", "192.168.1.20")]
    [InlineData("no such file /home/ops/models/qwen/config.json", "/home/ops")]
    public void Credentials_addresses_and_paths_never_reach_a_client(string message, string secret)
    {
        var shown = UpstreamText.ForClient(message);

        Assert.NotNull(shown);
        Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("image input is not supported - hint: if this is unexpected, you may need to provide the mmproj")]
    [InlineData("This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (3000 in the messages, 2000 in the completion).")]
    [InlineData("'max_tokens' or 'max_completion_tokens' is too large: 32000.")]
    [InlineData("The model `qwen3-32b` does not exist.")]
    public void An_ordinary_reason_is_kept_as_is(string message)
    {
        Assert.Equal(message, UpstreamText.ForClient(message));
    }

    [Fact]
    public void Only_the_first_line_is_kept_and_a_stack_trace_is_dropped()
    {
        Assert.Equal("bad input", UpstreamText.ForClient("bad input\nsecond line with details"));
        Assert.Null(UpstreamText.ForClient("Traceback (most recent call last):\n  File \"/app/server.py\", line 3, in <module>"));
        Assert.Null(UpstreamText.ForClient("   "));
    }

    [Fact]
    public void The_log_gets_a_bounded_escaped_body_without_credentials()
    {
        var body = "line1\nAuthorization: Bearer sk-abc123def456ghi789 \u001b[31m " + new string('x', 10_000);

        var logged = UpstreamText.ForLog(Encoding.UTF8.GetBytes(body));

        Assert.StartsWith("line1\\nAuthorization: [redacted] [redacted] \\u001b[31m ", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-abc123", logged, StringComparison.Ordinal);
        Assert.True(logged.Length <= UpstreamText.MaxLogLength + 64, $"{logged.Length} characters");
        Assert.EndsWith("…", logged, StringComparison.Ordinal);
    }
}

using System.Text;
using System.Text.Json;
using Switchboard.Buffers;
using Switchboard.Egress.Anthropic;

namespace Switchboard.Tests.Egress.Anthropic;

public sealed class RawRequestWriterTests
{
    private static string Write(string body, string model, int? maxTokens)
    {
        using var document = JsonDocument.Parse(body);
        using var output = new BodyBuffer();
        RawRequestWriter.Write(output, document.RootElement, model, maxTokens);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Only_the_top_level_model_changes_and_every_other_byte_stays()
    {
        const string body = """{ "messages" : [{"role":"user","content":"model: \"x\"","model":"inner"}],"model"  :  "claude-x" ,"x":"\u00e9"}""";

        Assert.Equal(body.Replace("\"claude-x\"", "\"up/model\\u002B\"", StringComparison.Ordinal).Replace("\\u002B", "+", StringComparison.Ordinal),
            Write(body, "up/model+", null));
    }

    [Fact]
    public void A_fitted_budget_replaces_max_tokens_and_an_escaped_name_is_found()
    {
        Assert.Equal("""{"mod\u0065l":"m2","max_tokens":100,"messages":[]}""",
            Write("""{"mod\u0065l":"m1","max_tokens":64000,"messages":[]}""", "m2", 100));
    }
}

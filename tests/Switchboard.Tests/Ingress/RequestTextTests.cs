using System.Text;
using System.Text.Json;
using Switchboard.Ingress;

namespace Switchboard.Tests.Ingress;

public sealed class RequestTextTests
{
    [Theory]
    [InlineData("""{"t":"a\ud800b"}""", """{"t":"a\ufffdb"}""", 1)]
    [InlineData("""{"t":"\udc00"}""", """{"t":"\ufffd"}""", 1)]
    [InlineData("""{"t":"\uDBFF\uDBFF\uDC00"}""", """{"t":"\ufffd\uDBFF\uDC00"}""", 1)]
    [InlineData("""{"t":"\ud83d\ude00"}""", """{"t":"\ud83d\ude00"}""", 0)]
    [InlineData("""{"t":"\\ud800"}""", """{"t":"\\ud800"}""", 0)]
    [InlineData("""{"t":"\\\ud800"}""", """{"t":"\\\ufffd"}""", 1)]
    [InlineData("""{"t\ud800":"\n\"\u0041"}""", """{"t\ufffd":"\n\"\u0041"}""", 1)]
    [InlineData("""{"t":"\ud800""", """{"t":"\ufffd""", 1)]
    [InlineData("""{"t":"\ud8""", """{"t":"\ud8""", 0)]
    public void Unpaired_surrogate_escapes_become_the_replacement_character_in_place(string json, string expected, int count)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        var replaced = RequestText.ReplaceLoneSurrogates(bytes);

        Assert.Equal(expected, Encoding.UTF8.GetString(bytes));
        Assert.Equal(count, replaced);
    }

    [Fact]
    public void Repaired_text_decodes()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"t":"cut emoji \ud83d"}""");
        Assert.Throws<InvalidOperationException>(() => JsonDocument.Parse(bytes).RootElement.GetProperty("t").GetString());

        RequestText.ReplaceLoneSurrogates(bytes);

        Assert.Equal("cut emoji \uFFFD", JsonDocument.Parse(bytes).RootElement.GetProperty("t").GetString());
    }

    [Fact]
    public void First_byte_that_is_not_utf8_is_found()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('é', 5000) + "ab").Concat(new byte[] { 0xC3, 0x28 }).ToArray();

        Assert.Equal(10002, RequestText.FindInvalidUtf8(bytes));
        Assert.Null(RequestText.FindInvalidUtf8(Encoding.UTF8.GetBytes("ok é 😀")));
        Assert.Equal(0, RequestText.FindInvalidUtf8([0xED, 0xA0, 0x80])); // an encoded surrogate is not UTF-8
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"text","text":"ok"},{"type":"text","text":"bad#"}]}]}""", "messages.0.content.1.text")]
    [InlineData("""{"model":"m#"}""", "model")]
    [InlineData("""{"tools":[{"input_schema":{"properties":{"q":{"description":"#"}}}}]}""", "tools.0.input_schema.properties.q.description")]
    [InlineData("""{"k#":1}""", "k\uFFFD")]
    [InlineData("""["#"]""", "0")]
    [InlineData("\"#\"", "")]
    public void Path_of_the_bad_byte_names_the_field(string template, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(template).Select(b => b == (byte)'#' ? (byte)0xFF : b).ToArray();
        var offset = RequestText.FindInvalidUtf8(bytes)!.Value;
        using var document = JsonDocument.Parse(bytes.AsMemory());

        Assert.Equal(expected, RequestText.PathAt(document.RootElement, bytes, offset));
    }
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Ingress.Anthropic;
using static Switchboard.Tests.Egress.OpenAIChat.TestRoutes;

namespace Switchboard.Tests.Egress.OpenAIChat;

/// <summary>
/// Texts read from a Messages body stay the client's UTF-8 and are copied into the Chat Completions body: the bytes
/// must be exactly those written from the same texts as .NET strings, however the client escaped them.
/// </summary>
public sealed class ClientUtf8WritingTests
{
    /// <summary>Characters the writer escapes in different ways (short escapes, \u escapes, surrogate pairs) and some it leaves.</summary>
    private const string Tricky = "line\nq\"b\\s\t\r\b\f\u001b\u007f\u0085/ <>&' é\u2028\u00ad😀\ufffd\ufeff\u0378\ue000 end";

    public static TheoryData<string> Spellings() => new()
    {
        "as-written",
        "ascii",
        "escaped-slash",
        "lower-hex",
        "upper-hex",
        "all-escaped",
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void The_upstream_body_is_byte_for_byte_the_one_written_from_decoded_strings(string spelling)
    {
        var body = Respell(Body(Tricky), spelling);
        using var document = JsonDocument.Parse(body);
        var request = MessagesRequestReader.Read(document.RootElement, new RequestReadNotes());
        Assert.NotNull(request.SystemBlocks);
        Assert.Equal(JsonValueKind.String, request.Tools[0].DescriptionJson.ValueKind);

        var fromUtf8 = Write(request);
        var fromStrings = Write(Decoded(request));

        Assert.Equal(Encoding.UTF8.GetString(fromStrings), Encoding.UTF8.GetString(fromUtf8));
        Assert.Equal(fromStrings, fromUtf8);
    }

    [Fact]
    public void The_cached_tools_form_is_used_only_while_the_request_keeps_the_tools_it_was_read_with()
    {
        using var document = JsonDocument.Parse(Body("a tool"));
        var request = MessagesRequestReader.Read(document.RootElement, new RequestReadNotes());
        var full = Tools(Write(request));
        var again = Tools(Write(request));

        // A stage that narrows the tools makes a new list: the cached form of the client's array must not be sent.
        var narrowed = Tools(Write(request with { Tools = [request.Tools[1]] }));

        Assert.Equal(["t", "u"], full);
        Assert.Equal(full, again);
        Assert.Equal(["u"], narrowed);
    }

    [Fact]
    public void A_second_request_with_the_same_tools_bytes_reuses_the_written_form()
    {
        // Unique bytes, so entries other tests add do not matter.
        var marker = Guid.NewGuid().ToString("N");
        using var first = JsonDocument.Parse(Body(marker));
        using var second = JsonDocument.Parse(Body(marker));
        var before = ChatToolsWriter.Cache.Count;
        var one = Write(MessagesRequestReader.Read(first.RootElement, new RequestReadNotes()));
        var afterFirst = ChatToolsWriter.Cache.Count;
        var two = Write(MessagesRequestReader.Read(second.RootElement, new RequestReadNotes()));

        Assert.Equal(Math.Min(before + 1, 64), afterFirst);
        Assert.Equal(afterFirst, ChatToolsWriter.Cache.Count);
        Assert.Equal(one, two);
    }

    [Theory]
    [InlineData("\"plain\"", 5)]
    [InlineData("\"a\\nb\\\"c\"", 5)]
    [InlineData("\"\\u00e9t\\u00E9\"", 3)]
    [InlineData("\"é😀\"", 3)]
    [InlineData("\"\\ud83d\\ude00x\"", 3)]
    [InlineData("\"\"", 0)]
    public void A_text_kept_as_json_knows_its_length_and_equals_the_same_text_as_a_string(string json, int length)
    {
        using var document = JsonDocument.Parse(json);
        var block = new TextBlock(document.RootElement);

        Assert.Equal(length, block.Length);
        Assert.Equal(new TextBlock(document.RootElement.GetString()!), block);
        Assert.Equal(length, block.Text.Length);
        Assert.Equal(JsonValueKind.Undefined, (block with { Text = "other" }).Json.ValueKind);
        Assert.Equal("other", (block with { Text = "other" }).Text);
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public void The_token_estimate_is_the_same_as_for_decoded_strings(string spelling)
    {
        using var document = JsonDocument.Parse(Respell(Body(Tricky), spelling));
        var request = MessagesRequestReader.Read(document.RootElement, new RequestReadNotes());

        Assert.Equal(TokenEstimator.Estimate(Decoded(request)), TokenEstimator.Estimate(request));
    }

    /// <summary>A Messages body using <paramref name="text"/> wherever a text goes: system blocks, a tool's description, turns, results.</summary>
    private static byte[] Body(string text)
    {
        var body = new Dictionary<string, object?>
        {
            ["model"] = "m",
            ["max_tokens"] = 10,
            ["system"] = new object[] { new { type = "text", text }, new { type = "text", text = "second" } },
            ["tools"] = new object[]
            {
                new { name = "t", description = text, input_schema = new { type = "object", properties = new { a = new { type = "string", description = text } } } },
                new { name = "u", input_schema = new { properties = new { } } },
            },
            ["messages"] = new object[]
            {
                new { role = "user", content = text },
                new { role = "system", content = text },
                new { role = "assistant", content = new object[] { new { type = "text", text = "a" }, new { type = "tool_use", id = "x1", name = "t", input = new { a = text } } } },
                new
                {
                    role = "user",
                    content = new object[]
                    {
                        new { type = "tool_result", tool_use_id = "x1", content = text, is_error = true },
                        new { type = "text", text = "b" },
                        new { type = "image", source = new { type = "url", url = "https://example.com/a.png" } },
                        new { type = "text", text },
                    },
                },
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(body, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>The same JSON text with its strings escaped another way, as other clients write them.</summary>
    private static byte[] Respell(byte[] body, string spelling)
    {
        var json = Encoding.UTF8.GetString(body);
        return Encoding.UTF8.GetBytes(spelling switch
        {
            "as-written" => json,
            "ascii" => JsonSerializer.Serialize(JsonDocument.Parse(body).RootElement, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default }),
            "escaped-slash" => json.Replace("/", "\\/", StringComparison.Ordinal),
            "lower-hex" => json.Replace("\\u001B", "\\u001b", StringComparison.Ordinal).Replace("\\uD83D\\uDE00", "\\ud83d\\ude00", StringComparison.Ordinal),
            "upper-hex" => json.Replace("é", "\\u00E9", StringComparison.Ordinal),
            "all-escaped" => AllEscaped(body),
            _ => throw new ArgumentOutOfRangeException(nameof(spelling)),
        });
    }

    /// <summary>Every character of every string value as a lower-case <c>\uxxxx</c> escape.</summary>
    private static string AllEscaped(byte[] body)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            Copy(JsonDocument.Parse(body).RootElement, writer);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);

        static void Copy(JsonElement element, Utf8JsonWriter writer)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var property in element.EnumerateObject())
                    {
                        writer.WritePropertyName(property.Name);
                        Copy(property.Value, writer);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in element.EnumerateArray())
                    {
                        Copy(item, writer);
                    }

                    writer.WriteEndArray();
                    break;
                case JsonValueKind.String:
                    var escaped = new StringBuilder("\"");
                    foreach (var unit in element.GetString()!)
                    {
                        escaped.Append("\\u").Append(((int)unit).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }

                    writer.WriteRawValue(escaped.Append('"').ToString());
                    break;
                default:
                    element.WriteTo(writer);
                    break;
            }
        }
    }

    /// <summary>The request with every text as a .NET string: what the writer was given before texts stayed UTF-8.</summary>
    private static MessageRequest Decoded(MessageRequest request) => request with
    {
        System = request.System,
        Tools = [.. request.Tools.Select(tool => new ToolDefinition(tool.Name, tool.Description, tool.InputSchema) { DeferLoading = tool.DeferLoading })],
        ToolsSource = null,
        Messages = [.. request.Messages.Select(message => new Message(message.Role, [.. message.Content.Select(Decode)]))],
    };

    private static ContentBlock Decode(ContentBlock block) => block switch
    {
        TextBlock text => new TextBlock(text.Text),
        ToolResultBlock result => result with { Content = [.. result.Content.Select(Decode)] },
        _ => block,
    };

    private static byte[] Write(MessageRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ChatRequestWriter.Write(buffer, request, Route(), stream: false);
        return buffer.WrittenSpan.ToArray();
    }

    private static List<string?> Tools(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("tools").EnumerateArray().Select(tool => tool.GetProperty("function").GetProperty("name").GetString())];
    }
}

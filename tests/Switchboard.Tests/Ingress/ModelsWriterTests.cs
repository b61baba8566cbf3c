using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Ingress;
using Switchboard.Routing;

namespace Switchboard.Tests.Ingress;

public sealed class ModelsWriterTests
{
    private static readonly ModelDescription Qwen = new("qwen3-coder", "Qwen3 Coder", new DateTimeOffset(2026, 7, 24, 2, 0, 0, TimeSpan.FromHours(2)), MaxInputTokens: 262144, MaxOutputTokens: 65536);
    private static readonly ModelDescription Llama = new("llama-4", "Llama 4", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public void Model_carries_openai_and_anthropic_keys_for_the_same_instant_and_its_limits()
    {
        Assert.Equal(
            """{"id":"qwen3-coder","object":"model","created":1784851200,"owned_by":"switchboard","type":"model","display_name":"Qwen3 Coder","created_at":"2026-07-24T00:00:00Z","max_input_tokens":262144,"max_tokens":65536}""",
            Write(w => ModelsWriter.WriteModel(w, Qwen)));
        Assert.Equal(new DateTimeOffset(2026, 7, 24, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.FromUnixTimeSeconds(1784851200));
    }

    [Fact]
    public void Unknown_limits_are_left_out_not_null()
    {
        var json = Write(w => ModelsWriter.WriteModel(w, Llama with { MaxOutputTokens = 4096 }));

        Assert.Equal(
            """{"id":"llama-4","object":"model","created":1767323045,"owned_by":"switchboard","type":"model","display_name":"Llama 4","created_at":"2026-01-02T03:04:05Z","max_tokens":4096}""",
            json);
    }

    [Fact]
    public void Created_at_is_the_created_second_even_for_a_time_with_fractions()
    {
        var fractional = Llama with { CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddMilliseconds(987) };

        using var document = JsonDocument.Parse(Write(w => ModelsWriter.WriteModel(w, fractional)));

        Assert.Equal(1767323045, document.RootElement.GetProperty("created").GetInt64());
        Assert.Equal("2026-01-02T03:04:05Z", document.RootElement.GetProperty("created_at").GetString());
    }

    [Fact]
    public void List_is_an_openai_list_and_names_its_first_and_last_ids_as_cursors()
    {
        Assert.Equal(
            """{"object":"list","data":[""" +
            """{"id":"qwen3-coder","object":"model","created":1784851200,"owned_by":"switchboard","type":"model","display_name":"Qwen3 Coder","created_at":"2026-07-24T00:00:00Z","max_input_tokens":262144,"max_tokens":65536},""" +
            """{"id":"llama-4","object":"model","created":1767323045,"owned_by":"switchboard","type":"model","display_name":"Llama 4","created_at":"2026-01-02T03:04:05Z"}""" +
            """],"has_more":true,"first_id":"qwen3-coder","last_id":"llama-4"}""",
            Write(w => ModelsWriter.WriteList(w, [Qwen, Llama], hasMore: true)));
    }

    [Fact]
    public void Model_names_its_profile_and_what_thinking_really_does()
    {
        var gptOss = new ModelDescription("gpt-oss", "gpt-oss", DateTimeOffset.UnixEpoch, ProfileSummary.From(Switchboard.Egress.OpenAIChat.Profiles.ProfileCatalog.Find("gpt-oss")!));

        Assert.Equal(
            """
            {"id":"gpt-oss","object":"model","created":0,"owned_by":"switchboard","type":"model","display_name":"gpt-oss","created_at":"1970-01-01T00:00:00Z","switchboard":{"profile":"gpt-oss","family":"OpenAI gpt-oss (Harmony)","thinking":"always","thinking_note":"Thinking cannot be turned off; thinking disabled is sent as reasoning_effort low."}}
            """,
            Write(w => ModelsWriter.WriteModel(w, gptOss)));
    }

    [Fact]
    public void Empty_list_has_null_cursors()
    {
        Assert.Equal(
            """{"object":"list","data":[],"has_more":false,"first_id":null,"last_id":null}""",
            Write(w => ModelsWriter.WriteList(w, [], hasMore: false)));
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Ingress.Anthropic;
using Switchboard.Routing;

namespace Switchboard.Tests.Ingress.Anthropic;

public sealed class AnthropicModelsWriterTests
{
    private static readonly ModelDescription Qwen = new("qwen3-coder", "Qwen3 Coder", new DateTimeOffset(2026, 7, 24, 2, 0, 0, TimeSpan.FromHours(2)));
    private static readonly ModelDescription Llama = new("llama-4", "Llama 4", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public void Model_has_the_model_info_shape_with_an_rfc3339_utc_time()
    {
        Assert.Equal(
            """{"type":"model","id":"qwen3-coder","display_name":"Qwen3 Coder","created_at":"2026-07-24T00:00:00Z"}""",
            Write(w => AnthropicModelsWriter.WriteModel(w, Qwen)));
    }

    [Fact]
    public void List_names_its_first_and_last_ids_as_cursors()
    {
        Assert.Equal(
            """{"data":[""" +
            """{"type":"model","id":"qwen3-coder","display_name":"Qwen3 Coder","created_at":"2026-07-24T00:00:00Z"},""" +
            """{"type":"model","id":"llama-4","display_name":"Llama 4","created_at":"2026-01-02T03:04:05Z"}""" +
            """],"has_more":true,"first_id":"qwen3-coder","last_id":"llama-4"}""",
            Write(w => AnthropicModelsWriter.WriteList(w, [Qwen, Llama], hasMore: true)));
    }

    [Fact]
    public void Model_names_its_profile_and_what_thinking_really_does()
    {
        var gptOss = new ModelDescription("gpt-oss", "gpt-oss", DateTimeOffset.UnixEpoch, ProfileSummary.From(Switchboard.Egress.OpenAIChat.Profiles.ProfileCatalog.Find("gpt-oss")!));

        Assert.Equal(
            """
            {"type":"model","id":"gpt-oss","display_name":"gpt-oss","created_at":"1970-01-01T00:00:00Z","switchboard":{"profile":"gpt-oss","family":"OpenAI gpt-oss (Harmony)","thinking":"always","thinking_note":"Thinking cannot be turned off; thinking disabled is sent as reasoning_effort low."}}
            """,
            Write(w => AnthropicModelsWriter.WriteModel(w, gptOss)));
    }

    [Fact]
    public void Empty_list_has_null_cursors()
    {
        Assert.Equal(
            """{"data":[],"has_more":false,"first_id":null,"last_id":null}""",
            Write(w => AnthropicModelsWriter.WriteList(w, [], hasMore: false)));
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, AnthropicJson.Writer))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

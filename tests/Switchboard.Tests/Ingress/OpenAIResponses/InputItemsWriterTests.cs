using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Ingress.OpenAIResponses;
using static Switchboard.Tests.Ingress.OpenAIResponses.ResponsesBodies;

namespace Switchboard.Tests.Ingress.OpenAIResponses;

public sealed class InputItemsWriterTests
{
    [Fact]
    public void Carried_over_items_come_first_a_string_input_becomes_a_user_message_and_every_item_gets_an_id()
    {
        var previous = Parse("[{'type':'message','id':'msg_old','role':'user','content':'Hi'}]").EnumerateArray().ToList();

        using var items = JsonDocument.Parse(InputItemsWriter.Write(previous, Parse(With("'Next'"))));

        var all = items.RootElement.EnumerateArray().ToList();
        Assert.Equal("msg_old", all[0].GetProperty("id").GetString());
        Assert.Equal(("message", "user", "Next"), (all[1].GetProperty("type").GetString(), all[1].GetProperty("role").GetString(),
            all[1].GetProperty("content")[0].GetProperty("text").GetString()));
        Assert.StartsWith("msg_", all[1].GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Stored_items_read_back_as_the_same_conversation()
    {
        var body = Parse(With("""
            [{'role':'user','content':'Go'},
             {'type':'function_call','call_id':'call_a','name':'close_agent','namespace':'agents','arguments':'{}'},
             {'type':'function_call_output','call_id':'call_a','output':'done'},
             {'type':'reasoning','summary':[{'type':'summary_text','text':'Next step.'}],'encrypted_content':null}]
            """));

        using var items = JsonDocument.Parse(InputItemsWriter.Write([], body));
        var stored = items.RootElement.EnumerateArray().ToList();
        var original = Request(With("""
            [{'role':'user','content':'Go'},
             {'type':'function_call','call_id':'call_a','name':'close_agent','namespace':'agents','arguments':'{}'},
             {'type':'function_call_output','call_id':'call_a','output':'done'},
             {'type':'reasoning','summary':[{'type':'summary_text','text':'Next step.'}],'encrypted_content':null}]
            """));
        var replayed = Read("{'model':'m','input':[]}", previous: stored).Request;

        Assert.Equal(["msg_", "fc_", "fco_", "rs_"], stored.Select(i => i.GetProperty("id").GetString()![..(i.GetProperty("id").GetString()!.IndexOf('_') + 1)]));
        Assert.Equal(Describe(original.Messages), Describe(replayed.Messages));
    }

    private static List<string> Describe(IReadOnlyList<Message> messages) =>
        [.. messages.SelectMany(m => m.Content.Select(b => $"{m.Role}: {b}"))];
}

using System.Text.Json;
using Switchboard.Ingress.OpenAIResponses;

namespace Switchboard.Tests.Ingress.OpenAIResponses;

public sealed class StoredItemIdsTests
{
    [Fact]
    public void Items_without_an_id_get_a_stable_one_by_type_and_position_and_client_ids_are_kept()
    {
        var items = JsonDocument.Parse("""
            [{"role":"user","content":"hi"},{"type":"function_call_output","call_id":"call_1","output":"22C"},{"type":"message","id":"msg_client","role":"user","content":"x"}]
            """).RootElement;

        var first = StoredItemIds.Assign(items, "resp_1");
        var again = StoredItemIds.Assign(items, "resp_1");
        var other = StoredItemIds.Assign(items, "resp_2");

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        var assigned = JsonDocument.Parse(first).RootElement.EnumerateArray().ToList();
        Assert.Matches("^msg_[0-9a-f]{24}$", assigned[0].GetProperty("id").GetString());
        Assert.Equal("id", assigned[0].EnumerateObject().First().Name);
        Assert.Equal("hi", assigned[0].GetProperty("content").GetString());
        Assert.Matches("^fco_[0-9a-f]{24}$", assigned[1].GetProperty("id").GetString());
        Assert.Equal("22C", assigned[1].GetProperty("output").GetString());
        Assert.Equal("msg_client", assigned[2].GetProperty("id").GetString());
    }
}

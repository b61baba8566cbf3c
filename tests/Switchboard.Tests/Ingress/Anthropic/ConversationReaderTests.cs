using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;
using static Switchboard.Tests.Ingress.Anthropic.RequestBodies;

namespace Switchboard.Tests.Ingress.Anthropic;

public sealed class ConversationReaderTests
{
    [Fact]
    public void Roles_map_to_canonical_roles_and_string_content_to_one_text_block()
    {
        var messages = Read(With(
            "[{'role':'user','content':'q'},{'role':'system','content':'env'},{'role':'assistant','content':'a'}]")).Messages;

        Assert.Equal(
            [
                new Message(Role.User, [new TextBlock("q")]),
                new Message(Role.System, [new TextBlock("env")]),
                new Message(Role.Assistant, [new TextBlock("a")]),
            ],
            messages,
            MessageComparer.Instance);
    }

    [Fact]
    public void Consecutive_same_role_turns_merge_with_content_in_order()
    {
        var messages = Read(With(
            "[{'role':'user','content':'u1'},{'role':'user','content':[{'type':'text','text':'u2'},{'type':'text','text':'u3'}]},"
            + "{'role':'assistant','content':'a1'},{'role':'assistant','content':'a2'},{'role':'user','content':'u4'}]")).Messages;

        Assert.Equal(
            [
                new Message(Role.User, [new TextBlock("u1"), new TextBlock("u2"), new TextBlock("u3")]),
                new Message(Role.Assistant, [new TextBlock("a1"), new TextBlock("a2")]),
                new Message(Role.User, [new TextBlock("u4")]),
            ],
            messages,
            MessageComparer.Instance);
    }

    [Fact]
    public void An_empty_final_assistant_turn_is_left_out()
    {
        var messages = Read(With("[{'role':'user','content':'q'},{'role':'assistant','content':[]}]")).Messages;

        Assert.Equal(Role.User, Assert.Single(messages).Role);
    }

    [Fact]
    public void A_turn_left_empty_by_dropped_blocks_does_not_split_its_neighbours()
    {
        var notes = new RequestReadNotes();

        var messages = Read(
            With("[{'role':'user','content':'a'},{'role':'assistant','content':[{'type':'mystery'}]},{'role':'user','content':'b'}]"),
            notes).Messages;

        var message = Assert.Single(messages);
        Assert.Equal(Role.User, message.Role);
        Assert.Equal([new TextBlock("a"), new TextBlock("b")], message.Content);
        Assert.Equal(["messages.1.content.0: content block type 'mystery' is not translated and has no text; left out"], notes.Items);
    }

    [Fact]
    public void A_tool_loop_reads_into_tool_use_and_tool_result_blocks()
    {
        var messages = Read(With(
            "[{'role':'user','content':'run it'},"
            + "{'role':'assistant','content':[{'type':'tool_use','id':'toolu_1','name':'Bash','input':{'command':'ls'}}]},"
            + "{'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_1','content':'done','is_error':true}]}]")).Messages;

        Assert.Equal(new ToolUseBlock("toolu_1", "Bash", "{\"command\":\"ls\"}"), Assert.Single(messages[1].Content));
        var result = Assert.IsType<ToolResultBlock>(Assert.Single(messages[2].Content));
        Assert.Equal("toolu_1", result.ToolUseId);
        Assert.True(result.IsError);
        Assert.Equal([new TextBlock("done")], result.Content);
    }

    [Fact]
    public void A_tool_result_may_answer_a_tool_use_from_an_earlier_turn()
    {
        var messages = Read(With(
            "[{'role':'user','content':'go'},"
            + "{'role':'assistant','content':[{'type':'tool_use','id':'toolu_1','name':'A','input':{}}]},"
            + "{'role':'user','content':'wait'},{'role':'assistant','content':'ok'},"
            + "{'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_1'}]}]")).Messages;

        var result = Assert.IsType<ToolResultBlock>(Assert.Single(messages[4].Content));
        Assert.Equal("toolu_1", result.ToolUseId);
        Assert.Empty(result.Content);
        Assert.False(result.IsError);
    }

    [Theory]
    [InlineData(
        "[{'role':'user','content':'go'},{'role':'assistant','content':[{'type':'tool_use','id':'toolu_1','name':'A','input':{}}]},"
        + "{'role':'user','content':[{'type':'text','text':'x'},{'type':'tool_result','tool_use_id':'toolu_2','content':'r'}]}]",
        "messages.2.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_2. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.")]
    [InlineData(
        "[{'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_9','content':'r'}]}]",
        "messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_9. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.")]
    [InlineData("[{'role':'tool','content':'x'}]", "messages.0.role: Input should be 'user', 'assistant' or 'system'")]
    [InlineData("[{'role':'user','content':'q'},{'role':'developer','content':'x'}]", "messages.1.role: Input should be 'user', 'assistant' or 'system'")]
    [InlineData("[{'role':3,'content':'x'}]", "messages.0.role: Input should be 'user', 'assistant' or 'system'")]
    [InlineData("[{'content':'x'}]", "messages.0.role: Field required")]
    [InlineData("[{'role':'user'}]", "messages.0.content: Field required")]
    [InlineData("[{'role':'user','content':{'type':'text'}}]", "messages.0.content: Input should be a valid string or a list of content blocks")]
    [InlineData("['hello']", "messages.0: Input should be an object")]
    [InlineData("[{'role':'user','content':[]},{'role':'assistant','content':'a'}]", "messages.0: all messages must have non-empty content except for the optional final assistant message")]
    [InlineData("[{'role':'assistant','content':[]}]", "messages: at least one message must have content that can be passed to the model")]
    public void Invalid_conversations_are_rejected_with_the_path(string messages, string expected) =>
        Assert.Equal(expected, Rejection(With(messages)));

    /// <summary>Records compare their lists by reference; these compare content by value.</summary>
    private sealed class MessageComparer : IEqualityComparer<Message>
    {
        public static readonly MessageComparer Instance = new();

        public bool Equals(Message? x, Message? y) => x!.Role == y!.Role && x.Content.SequenceEqual(y.Content);

        public int GetHashCode(Message obj) => obj.Role.GetHashCode();
    }
}

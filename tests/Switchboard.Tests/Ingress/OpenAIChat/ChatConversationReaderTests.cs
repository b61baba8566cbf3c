using Switchboard.Canonical;
using static Switchboard.Tests.Ingress.OpenAIChat.ChatBodies;

namespace Switchboard.Tests.Ingress.OpenAIChat;

public sealed class ChatConversationReaderTests
{
    [Fact]
    public void Leading_system_and_developer_messages_form_the_system_prompt()
    {
        var request = Read(With(
            "[{'role':'system','content':'You are terse.'},{'role':'developer','content':[{'type':'text','text':'Use tools.'},{'type':'text','text':'Answer in English.'}]},"
            + "{'role':'user','content':'hi'}]"));

        Assert.Equal("You are terse.\n\nUse tools.\nAnswer in English.", request.System);
        Assert.Equal(Role.User, Assert.Single(request.Messages).Role);
    }

    [Fact]
    public void A_later_system_or_developer_message_is_an_inline_system_turn_in_place()
    {
        var request = Read(With(
            "[{'role':'user','content':'hi'},{'role':'assistant','content':'hello'},{'role':'developer','content':'Be formal now.'},{'role':'user','content':'next'}]"));

        Assert.Null(request.System);
        Assert.Equal(
            [(Role.User, "hi"), (Role.Assistant, "hello"), (Role.System, "Be formal now."), (Role.User, "next")],
            request.Messages.Select(m => (m.Role, ((TextBlock)Assert.Single(m.Content)).Text)));
    }

    [Fact]
    public void User_parts_become_text_and_image_blocks_and_detail_is_ignored()
    {
        var content = Assert.Single(Read(With(
            "[{'role':'user','content':[{'type':'text','text':'What is in these?'},"
            + "{'type':'image_url','image_url':{'url':'data:image/png;base64,iVBORw0KGgo=','detail':'high'}},"
            + "{'type':'image_url','image_url':{'url':'https://example.com/cat.jpg','detail':'low'}}]}]")).Messages).Content;

        Assert.Equal(
            [
                new TextBlock("What is in these?"),
                new ImageBlock("image/png", "iVBORw0KGgo=", null),
                new ImageBlock(null, null, "https://example.com/cat.jpg"),
            ],
            content);
    }

    [Fact]
    public void A_tool_loop_reads_into_tool_use_and_merged_tool_results()
    {
        // The OpenAI SDKs' shape for a tool loop with two parallel calls.
        var request = Read(With(
            "[{'role':'user','content':'Weather in Paris and Rome?'},"
            + "{'role':'assistant','content':null,'tool_calls':["
            + "{'id':'call_a','type':'function','function':{'name':'get_weather','arguments':'{\\'city\\':\\'Paris\\'}'}},"
            + "{'id':'call_b','type':'function','function':{'name':'get_weather','arguments':''}}]},"
            + "{'role':'tool','tool_call_id':'call_a','content':'18C'},"
            + "{'role':'tool','tool_call_id':'call_b','content':[{'type':'text','text':'21C'},{'type':'text','text':'sunny'}]},"
            + "{'role':'user','content':'Thanks'}]"));

        Assert.Equal([Role.User, Role.Assistant, Role.User], request.Messages.Select(m => m.Role));
        Assert.Equal(
            [new ToolUseBlock("call_a", "get_weather", """{"city":"Paris"}"""), new ToolUseBlock("call_b", "get_weather", "{}")],
            request.Messages[1].Content);
        var results = request.Messages[2].Content;
        Assert.Equal(3, results.Count);
        Assert.Equal("call_a", Assert.IsType<ToolResultBlock>(results[0]).ToolUseId);
        Assert.Equal([new TextBlock("18C")], ((ToolResultBlock)results[0]).Content);
        Assert.Equal([new TextBlock("21C"), new TextBlock("sunny")], Assert.IsType<ToolResultBlock>(results[1]).Content);
        Assert.False(((ToolResultBlock)results[1]).IsError);
        Assert.Equal(new TextBlock("Thanks"), results[2]);
    }

    [Theory]
    [InlineData("reasoning_content")]
    [InlineData("reasoning")]
    public void Assistant_reasoning_in_history_is_unsigned_thinking_before_the_answer(string field)
    {
        var content = Read(With(
            "[{'role':'user','content':'2+2?'},{'role':'assistant','content':'4','" + field + "':'Add them.'},{'role':'user','content':'and 3+3?'}]"))
            .Messages[1].Content;

        var thinking = Assert.IsType<ThinkingBlock>(content[0]);
        Assert.Equal("Add them.", thinking.Thinking);
        Assert.True(thinking.Unsigned);
        Assert.Equal(new TextBlock("4"), content[1]);
    }

    [Fact]
    public void Reasoning_content_wins_over_reasoning_when_both_are_sent()
    {
        var content = Read(With(
            "[{'role':'user','content':'q'},{'role':'assistant','content':'a','reasoning_content':'first','reasoning':'second'}]")).Messages[1].Content;

        Assert.Equal("first", Assert.IsType<ThinkingBlock>(content[0]).Thinking);
        Assert.Equal(2, content.Count);
    }

    [Fact]
    public void An_assistant_refusal_is_what_the_model_said()
    {
        var messages = Read(With(
            "[{'role':'user','content':'q'},{'role':'assistant','content':null,'refusal':'I cannot help.'},"
            + "{'role':'user','content':'r'},{'role':'assistant','content':[{'type':'refusal','refusal':'No.'}]}]")).Messages;

        Assert.Equal(new TextBlock("I cannot help."), Assert.Single(messages[1].Content));
        Assert.Equal(new TextBlock("No."), Assert.Single(messages[3].Content));
    }

    [Fact]
    public void An_empty_assistant_message_is_left_out_and_its_neighbours_merge()
    {
        var messages = Read(With("[{'role':'user','content':'a'},{'role':'assistant','content':''},{'role':'user','content':'b'}]")).Messages;

        Assert.Equal([new TextBlock("a"), new TextBlock("b")], Assert.Single(messages).Content);
    }

    [Fact]
    public void Legacy_function_calls_and_function_messages_become_a_tool_call_and_its_result()
    {
        var messages = Read(With(
            "[{'role':'user','content':'Weather?'},"
            + "{'role':'assistant','content':null,'function_call':{'name':'get_weather','arguments':'{\\'city\\':\\'Oslo\\'}'}},"
            + "{'role':'function','name':'get_weather','content':'-3C'}]")).Messages;

        var call = Assert.IsType<ToolUseBlock>(Assert.Single(messages[1].Content));
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("""{"city":"Oslo"}""", call.InputJson);
        var result = Assert.IsType<ToolResultBlock>(Assert.Single(messages[2].Content));
        Assert.Equal(call.Id, result.ToolUseId);
        Assert.Equal([new TextBlock("-3C")], result.Content);
    }

    [Fact]
    public void Message_names_are_accepted()
    {
        var message = Assert.Single(Read(With("[{'role':'user','name':'alice','content':'hi'}]")).Messages);

        Assert.Equal(new TextBlock("hi"), Assert.Single(message.Content));
    }

    [Fact]
    public void A_conversation_of_only_system_messages_has_a_system_prompt_and_no_turns()
    {
        var request = Read(With("[{'role':'system','content':'Say hello.'}]"));

        Assert.Equal("Say hello.", request.System);
        Assert.Empty(request.Messages);
    }
}

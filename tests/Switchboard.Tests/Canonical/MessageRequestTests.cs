using Switchboard.Canonical;

namespace Switchboard.Tests.Canonical;

public sealed class MessageRequestTests
{
    private static readonly MessageRequest Request = new()
    {
        Model = "m",
        MaxTokens = 100,
        System = "secret system words",
        Messages = [new Message(Role.User, [new TextBlock("secret prompt words")])],
    };

    [Fact]
    public void A_copy_with_another_budget_leaves_the_original_as_it_was()
    {
        var attempt = Request with { MaxTokens = 10 };

        Assert.Equal(100, Request.MaxTokens);
        Assert.Equal(10, attempt.MaxTokens);
        Assert.Same(Request.Messages, attempt.Messages);
    }

    [Fact]
    public void Printing_a_request_shows_no_prompt_text()
    {
        var text = Request.ToString();

        Assert.Equal("MessageRequest { Model = m, MaxTokens = 100, Messages = 1, Stream = False }", text);
    }
}

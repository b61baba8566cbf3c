using Microsoft.Playwright;
using Switchboard.FakeUpstream;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Browser;

[Collection(BrowserCollection.Name)]
public sealed class PlaygroundTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("messages", "content_block_delta")]
    [InlineData("chat", "chat.completion.chunk")]
    [InlineData("responses", "response.function_call_arguments.delta")]
    public async Task A_tool_using_answer_streams_as_thinking_text_and_tool_use_blocks_beside_the_raw_events(string door, string rawEvent)
    {
        await using var host = await DashboardHost.StartAsync();

        // A stored key exists, so keys are required, and the playground creates a short-lived one of its own.
        await host.CreateKeyAsync("someone");
        host.Upstream.Enqueue(new ScriptedReply
        {
            Reasoning = "The user wants the weather; I should call the tool.",
            Content = "Let me look that up.",
            ToolCalls = [new ScriptedToolCall { Name = "get_weather", Arguments = """{"city":"Paris"}""" }],
            ChunkSize = 6,
            ChunkDelayMs = 15,
        });

        var page = await browser.NewPageAsync();
        await host.SignInAsync(page);
        await page.GotoAsync(host.BaseUrl + "/ui/playground");
        await page.ClickAsync("#pg-mint");
        await Expect(page.Locator("#pg-note")).ToContainTextAsync("valid until");
        Assert.StartsWith("sk-sb-", await page.InputValueAsync("#pg-key"), StringComparison.Ordinal);

        await page.SelectOptionAsync("#pg-door", door);
        await Expect(page.Locator("#pg-model option")).ToHaveCountAsync(1);
        await page.CheckAsync("#pg-tools");
        await page.CheckAsync("#pg-thinking");
        await page.ClickAsync("#pg-send");

        var tool = page.Locator("#pg-blocks .block[data-type=tool_use][data-state=done]");
        await Expect(tool).ToHaveCountAsync(1);
        await Expect(tool.Locator(".block-head")).ToContainTextAsync("get_weather");
        Assert.Equal("Paris", System.Text.Json.JsonDocument.Parse(await tool.Locator(".block-body").InnerTextAsync()).RootElement.GetProperty("city").GetString());
        await Expect(page.Locator("#pg-blocks .block[data-type=thinking] .block-body")).ToHaveTextAsync("The user wants the weather; I should call the tool.");
        await Expect(page.Locator("#pg-blocks .block[data-type=text] .block-body")).ToHaveTextAsync("Let me look that up.");
        var order = await page.Locator("#pg-blocks .block").EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.dataset.type)");
        Assert.Equal(["thinking", "text", "tool_use"], order);
        await Expect(page.Locator("#pg-raw")).ToContainTextAsync(rawEvent);
        await Expect(page.Locator("#pg-error")).ToBeHiddenAsync();
        if (door == "messages")
        {
            await Screenshots.TakeAsync(page, "playground");
        }

        // The created key is an ordinary stored key that expires in an hour.
        var keys = System.Text.Json.JsonDocument.Parse(await host.Admin.GetStringAsync("/admin/v1/keys")).RootElement.GetProperty("data");
        var minted = Assert.Single(keys.EnumerateArray(), k => k.GetProperty("name").GetString() == "playground (dashboard)");
        Assert.InRange(minted.GetProperty("expires_at").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(58), TimeSpan.FromMinutes(61));
        Assert.Equal("dashboard", minted.GetProperty("labels").GetProperty("created_by").GetString());

        // One request reached the model server, with the tool offered.
        var sent = Assert.Single(host.Upstream.Requests);
        Assert.Contains("get_weather", sent.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_any_key_the_playground_needs_none_and_minting_one_is_refused()
    {
        await using var host = await DashboardHost.StartAsync();
        var page = await browser.NewPageAsync();
        await host.SignInAsync(page);
        await page.GotoAsync(host.BaseUrl + "/ui/playground");

        await page.ClickAsync("#pg-mint");
        await Expect(page.Locator("#pg-error")).ToContainTextAsync("No key is required right now");
        await page.ClickAsync("#pg-send");
        await Expect(page.Locator("#pg-blocks .block[data-type=text][data-state=done]")).ToHaveCountAsync(1);
        var keys = await host.Admin.GetStringAsync("/admin/v1/keys");
        Assert.Equal("""{"data":[]}""", keys);
    }
}

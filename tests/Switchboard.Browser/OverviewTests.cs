using static Microsoft.Playwright.Assertions;

namespace Switchboard.Browser;

[Collection(BrowserCollection.Name)]
public sealed class OverviewTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_overview_numbers_move_after_requests()
    {
        await using var host = await DashboardHost.StartAsync();
        var page = await browser.NewPageAsync();
        await host.SignInAsync(page);
        await Expect(page.Locator("#m-requests")).ToHaveTextAsync("0");

        using var client = host.Client("any-key-open-mode");
        for (var i = 0; i < 3; i++)
        {
            await foreach (var _ in client.Messages.CreateStreaming(Ask.Hello()))
            {
            }
        }

        // The page refreshes itself every two seconds.
        await Expect(page.Locator("#m-requests")).ToHaveTextAsync("3");
        await Expect(page.Locator("#m-errors")).ToHaveTextAsync("0.0%");
        Assert.NotEqual("– · –", await page.Locator("#m-ttft").InnerTextAsync());
        Assert.NotEqual("0 · 0 · 0", await page.Locator("#m-tps").InnerTextAsync());
        Assert.True(await page.Locator("#c-rps polyline").CountAsync() > 0);
        await Screenshots.TakeAsync(page, "overview");

        await page.ClickAsync("input[value=day]");
        await Expect(page.Locator("#c-rps polyline")).Not.ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_upstreams_page_shows_each_target_with_its_health_and_recent_traffic()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.Client("any-key-open-mode");
        await client.Messages.Create(Ask.Hello());
        host.Upstream.Enqueue(FakeUpstream.ScriptedReply.Fail(503, "busy"));
        await Assert.ThrowsAnyAsync<Exception>(() => client.Messages.Create(Ask.Hello()));

        var page = await browser.NewPageAsync();
        await host.SignInAsync(page);
        await page.GotoAsync(host.BaseUrl + "/ui/upstreams");

        var row = page.Locator("#up-table tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator(".state")).ToHaveTextAsync("unknown");
        await Expect(row.Locator("td.requests")).ToHaveTextAsync("2");
        await Expect(row.Locator("td.failures")).ToHaveTextAsync("1");
        await Expect(row).ToContainTextAsync("127.0.0.1");
        await Screenshots.TakeAsync(page, "upstreams");
    }
}

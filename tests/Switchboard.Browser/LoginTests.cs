using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Browser;

[Collection(BrowserCollection.Name)]
public sealed class LoginTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_wrong_token_is_refused_with_a_clear_message_and_the_right_one_opens_the_dashboard()
    {
        await using var host = await DashboardHost.StartAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync(host.BaseUrl + "/ui/overview");
        await Expect(page).ToHaveURLAsync(host.BaseUrl + "/ui/login");
        await page.FillAsync("#token", DashboardHost.AdminToken + "-wrong");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("p.error")).ToContainTextAsync("That is not the admin token");
        Assert.Empty(await page.Context.CookiesAsync());
        await Screenshots.TakeAsync(page, "login");

        await page.FillAsync("#token", DashboardHost.AdminToken);
        await page.ClickAsync("button[type=submit]");
        await Expect(page).ToHaveURLAsync(host.BaseUrl + "/ui/overview");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Overview");

        var cookie = Assert.Single(await page.Context.CookiesAsync());
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(DashboardHost.AdminToken, cookie.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(DashboardHost.AdminToken, await page.ContentAsync(), StringComparison.Ordinal);

        await page.ClickAsync("#logout button");
        await Expect(page).ToHaveURLAsync(host.BaseUrl + "/ui/login");
        await page.GotoAsync(host.BaseUrl + "/ui/keys");
        await Expect(page).ToHaveURLAsync(host.BaseUrl + "/ui/login");
    }
}

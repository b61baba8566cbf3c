using Anthropic.Exceptions;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Browser;

[Collection(BrowserCollection.Name)]
public sealed class KeyLifecycleTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_key_created_on_the_dashboard_works_with_the_SDK_its_usage_and_requests_appear_and_once_revoked_it_is_refused()
    {
        await using var host = await DashboardHost.StartAsync();
        var page = await browser.NewPageAsync();
        await host.SignInAsync(page);

        // Create: the key is shown once.
        await page.GotoAsync(host.BaseUrl + "/ui/keys");
        await page.FillAsync("#key-form input[name=name]", "alice");
        await page.FillAsync("#key-form input[name=rpm]", "60");
        await page.FillAsync("#key-form input[name=budget_usd]", "25");
        await page.ClickAsync("#key-submit");
        await Expect(page.Locator("#new-key")).ToBeVisibleAsync();
        var key = await page.Locator("#new-key-value").InnerTextAsync();
        Assert.Matches("^sk-sb-[0-9A-Za-z]{12}-[0-9A-Za-z]{40}$", key);
        var id = key[6..18];
        var row = page.Locator($"#keys-table tr[data-key='{id}']");
        await Expect(row).ToContainTextAsync("alice");
        await Expect(row.Locator(".state")).ToHaveTextAsync("active");
        await Expect(row).ToContainTextAsync("$25.00 monthly");
        await Screenshots.TakeAsync(page, "keys");

        // Edit its limits through the form.
        await row.Locator("button", new() { HasText = "Edit" }).ClickAsync();
        await page.FillAsync("#key-form input[name=rpm]", "120");
        await page.ClickAsync("#key-submit");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("120");

        // Use it with the Anthropic SDK.
        using var client = host.Client(key);
        var answer = await client.Messages.Create(Ask.Hello("How are you?"));
        Assert.NotEmpty(answer.Content);

        // Its usage appears (the ledger is written within about a quarter of a second).
        await page.GotoAsync(host.BaseUrl + "/ui/usage");
        await page.SelectOptionAsync("#u-group", "key");
        var usage = page.Locator($"#u-table tbody tr[data-group='{id}']");
        await Expect(usage).ToContainTextAsync("alice");
        await Expect(usage.Locator("td").Nth(1)).ToHaveTextAsync("1");
        Assert.NotEqual("0", await usage.Locator("td").Nth(5).InnerTextAsync());
        await Expect(usage.Locator("td").Nth(7)).ToHaveTextAsync("$0.000099"); // 8 input tokens at $3/M, 5 output at $15/M
        await Expect(page.Locator("#u-chart rect.bar")).ToHaveCountAsync(1);
        await Screenshots.TakeAsync(page, "usage");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#u-csv"));
        using (var reader = new StreamReader(await download.CreateReadStreamAsync()))
        {
            var csv = await reader.ReadToEndAsync();
            Assert.StartsWith("key_id,name,requests,input_tokens", csv, StringComparison.Ordinal);
            Assert.Contains($"{id},alice,1,", csv, StringComparison.Ordinal);
        }

        // Its request is in the ledger's recent rows, filtered by key; the detail shows timings, tokens and target.
        await page.GotoAsync(host.BaseUrl + "/ui/requests");
        await page.FillAsync("#r-key", id);
        await page.ClickAsync("#req-form button");
        var requests = page.Locator("#req-table tbody tr");
        await Expect(requests).ToHaveCountAsync(1);
        await requests.First.ClickAsync();
        await Expect(page.Locator("#d-fields dd[data-field=key_id]")).ToHaveTextAsync(id);
        await Expect(page.Locator("#d-fields dd[data-field=status]")).ToHaveTextAsync("200");
        await Expect(page.Locator("#d-fields dd[data-field=upstream]")).Not.ToHaveTextAsync("–");
        await Expect(page.Locator("#d-fields dd[data-field=duration_ms]")).Not.ToHaveTextAsync("–");
        Assert.DoesNotContain("How are you", await page.ContentAsync(), StringComparison.Ordinal);
        await Screenshots.TakeAsync(page, "requests-by-key");

        // Revoke: refused from then on.
        await page.GotoAsync(host.BaseUrl + "/ui/keys");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.Locator("button", new() { HasText = "Revoke" }).ClickAsync();
        await Expect(row.Locator(".state")).ToHaveTextAsync("revoked");
        var refused = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => client.Messages.Create(Ask.Hello()));
        Assert.Contains("revoked", refused.Message, StringComparison.Ordinal);
    }
}

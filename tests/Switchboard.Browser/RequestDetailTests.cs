using System.Text.RegularExpressions;
using Switchboard.FakeUpstream;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Browser;

[Collection(BrowserCollection.Name)]
public sealed class RequestDetailTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_request_that_failed_over_shows_each_upstream_attempt_in_its_detail()
    {
        await using var host = await DashboardHost.StartPoolAsync();
        host.Upstream.Enqueue(new ScriptedReply { Error = new ScriptedError { Status = 503, Body = """{"error":{"message":"Service Unavailable","type":"server_error"}}""" } });
        using (var client = host.Client("unused-in-open-mode"))
        {
            var answer = await client.Messages.Create(Ask.Hello("Which upstream answers?"));
            Assert.NotEmpty(answer.Content);
        }

        var page = await browser.NewPageAsync();
        await host.SignInAsync(page);
        await page.GotoAsync(host.BaseUrl + "/ui/requests");
        var requests = page.Locator("#req-table tbody tr");
        await Expect(requests).ToHaveCountAsync(1);
        await requests.First.ClickAsync();
        await Expect(page.Locator("#d-fields dd[data-field=upstream]")).ToHaveTextAsync("backup");

        var attempts = page.Locator("#d-attempts tbody tr");
        await Expect(attempts).ToHaveCountAsync(2);
        await Expect(attempts.Nth(0).Locator("td")).ToHaveTextAsync(Cells("1", "primary", "overloaded", "503"));
        await Expect(attempts.Nth(1).Locator("td")).ToHaveTextAsync(Cells("2", "backup", "ok", "200"));
        await Expect(page.Locator("#d-attempts-none")).ToBeHiddenAsync();
        Assert.DoesNotContain(new Uri(host.Upstream.BaseUrl).Authority, await page.ContentAsync(), StringComparison.Ordinal);
        await Screenshots.TakeAsync(page, "requests");
    }

    /// <summary>An attempt row: the given cells exactly, then a time (<c>12 ms</c>, <c>1.20 s</c>).</summary>
    private static Regex[] Cells(params string[] cells) => [.. cells.Select(c => new Regex("^" + Regex.Escape(c) + "$")), new Regex(@"^[0-9.]+ m?s$")];
}

using Microsoft.Playwright;

namespace Switchboard.Browser;

/// <summary>Writes a page's screenshot to the test output folder (docs/images/dashboard holds copies of these).</summary>
internal static class Screenshots
{
    public static async Task TakeAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, name + ".png"), FullPage = false });
}

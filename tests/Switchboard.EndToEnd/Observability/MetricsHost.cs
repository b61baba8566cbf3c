using System.Net.Http.Headers;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Observability;

/// <summary>A Switchboard with an admin token and the fake model answering to <c>claude-*</c> (not to every name), and a scrape of its <c>/metrics</c>.</summary>
internal static class MetricsHost
{
    public const string AdminToken = "metrics-admin-token-0123456789";

    public static Task<SwitchboardHost> StartAsync(params string[] args) => SwitchboardHost.StartAsync(
        new FakeServerOptions(),
        args: ["--admin-token", AdminToken, "--Switchboard:Models:0:Name=fake-model", "--Switchboard:Models:0:Aliases:0=claude-*", .. args]);

    public static async Task<PrometheusText> ScrapeAsync(SwitchboardHost host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}: {text}");
        return PrometheusText.Parse(text);
    }

    /// <summary>Scrapes until <paramref name="ready"/> holds (settlement runs as the request ends, just after the client has its answer).</summary>
    public static async Task<PrometheusText> ScrapeUntilAsync(SwitchboardHost host, Func<PrometheusText, bool> ready)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var scrape = await ScrapeAsync(host);
            if (ready(scrape) || DateTime.UtcNow > until)
            {
                return scrape;
            }

            await Task.Delay(50);
        }
    }
}

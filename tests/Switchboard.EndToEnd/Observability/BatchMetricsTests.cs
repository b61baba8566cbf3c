using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Switchboard.EndToEnd.Batches;
using Switchboard.EndToEnd.Tenancy;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Observability;

/// <summary>
/// Batch progress in <c>/metrics</c>: each batch request run to an outcome is counted once by result, and the
/// requests running now are reported (none once the batch has ended).
/// </summary>
public sealed class BatchMetricsTests
{
    private const string Requests = "switchboard_batch_requests_total";
    private const string Result = "switchboard_batch_result";

    [Fact]
    public async Task Batch_requests_are_counted_by_result_once_they_end()
    {
        await using var storage = await KeyStorage.CreateAsync(StoreKind.Sqlite);
        await using var upstream = await FakeModelServer.StartAsync(new FakeServerOptions());
        await using var host = await BatchHost.StartAsync(storage, upstream);
        using var client = host.Http(null);

        // Four requests; the upstream rejects one of them (a 400: an error result, not retried) and answers the others.
        upstream.Enqueue(new ScriptedReply { Error = new ScriptedError { Status = 400, Body = """{"error":{"message":"bad request","type":"BadRequestError"}}""" } });
        var body = "{\"requests\":[" + string.Join(",", Enumerable.Range(0, 4).Select(i =>
            $$$"""{"custom_id":"q-{{{i}}}","params":{"model":"{{{BatchHost.Model}}}","max_tokens":16,"messages":[{"role":"user","content":"question {{{i}}}"}]}}""")) + "]}";
        using var created = await client.PostAsync("/v1/messages/batches", new StringContent(body, Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (JsonDocument.Parse(await client.GetStringAsync($"/v1/messages/batches/{id}")).RootElement.GetProperty("processing_status").GetString() != "ended")
        {
            Assert.True(DateTime.UtcNow < until, "the batch did not end in time");
            await Task.Delay(100);
        }

        var scrape = await ScrapeAsync(host);
        Assert.Equal(3, scrape.Sum(Requests, (Result, "succeeded")));
        Assert.Equal(1, scrape.Sum(Requests, (Result, "errored")));
        Assert.Equal(0, scrape.Sum(Requests, (Result, "retried")));
        Assert.Equal(0, Assert.Single(scrape.Matching("switchboard_batch_running")).Value);
    }

    private static async Task<PrometheusText> ScrapeAsync(BatchHost host)
    {
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BatchHost.AdminToken);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}: {text}");
        return PrometheusText.Parse(text);
    }
}

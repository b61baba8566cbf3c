using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.EndToEnd.Pools;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Observability;

/// <summary>
/// A request that failed over: its ledger row, read through the admin API's request list (the dashboard's request
/// detail), lists each upstream attempt in order, by the upstream's configured name, with its outcome, status and
/// time, and never an upstream's address.
/// </summary>
public sealed class RequestAttemptsTests
{
    [Fact]
    public async Task A_request_whose_first_target_fails_shows_both_attempts_in_its_detail()
    {
        await using var host = await PoolHost.StartAsync(2, priorities: [0, 1], args: ["--Switchboard:Upstreams:r0:CooldownSeconds=60"]);
        host.Replicas[0].Enqueue(new ScriptedReply { Error = new ScriptedError { Status = 503, Body = """{"error":{"message":"Service Unavailable","type":"server_error"}}""" } });

        var failedOver = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PoolHost.Body("first")));
        var direct = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PoolHost.Body("second")));
        Assert.Equal(HttpStatusCode.OK, failedOver.StatusCode);
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        var firstId = failedOver.Headers.GetValues("request-id").Single();
        var secondId = direct.Headers.GetValues("request-id").Single();

        var (rows, raw) = await RequestsAsync(host, 2);
        var first = rows[firstId];
        Assert.Equal("r1", first.GetProperty("upstream").GetString());
        var attempts = first.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(("r0", "overloaded", 503), Describe(attempts[0]));
        Assert.Equal(("r1", "ok", 200), Describe(attempts[1]));
        Assert.All(attempts, a => Assert.True(a.GetProperty("duration_ms").GetDouble() > 0));

        // r0 is cooling down: the next request goes to r1 at once, one attempt.
        var second = Assert.Single(rows[secondId].GetProperty("attempts").EnumerateArray().ToList());
        Assert.Equal(("r1", "ok", 200), Describe(second));

        foreach (var replica in host.Replicas)
        {
            Assert.DoesNotContain(new Uri(replica.BaseUrl).Authority, raw, StringComparison.Ordinal);
        }
    }

    private static (string, string, int) Describe(JsonElement attempt) =>
        (attempt.GetProperty("upstream").GetString()!, attempt.GetProperty("outcome").GetString()!, attempt.GetProperty("status").GetInt32());

    /// <summary>The admin API's recent rows by request id, once <paramref name="count"/> are written (the ledger writes within about a quarter second).</summary>
    private static async Task<(Dictionary<string, JsonElement> Rows, string Raw)> RequestsAsync(PoolHost host, int count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/requests");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PoolHost.AdminToken);
            using var response = await host.Http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var raw = await response.Content.ReadAsStringAsync();
            var rows = JsonDocument.Parse(raw).RootElement.GetProperty("data").EnumerateArray()
                .ToDictionary(r => r.GetProperty("request_id").GetString()!, r => r.Clone());
            if (rows.Count >= count)
            {
                return (rows, raw);
            }

            Assert.True(DateTime.UtcNow < until, "the ledger rows were not written in time");
            await Task.Delay(50);
        }
    }
}

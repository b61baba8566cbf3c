using System.Net;
using Switchboard.EndToEnd.Fixtures;

namespace Switchboard.EndToEnd.Pools;

/// <summary>
/// One conversation stays on one replica (the one holding its prompt in cache) while that replica is healthy,
/// whether the client names its session or not; when the replica dies, its conversations move and stay on their new
/// replica, and the others do not move at all.
/// </summary>
public sealed class PoolAffinityTests
{
    private const int Sessions = 12;

    [Fact]
    public async Task A_session_keeps_its_replica_while_healthy_and_moves_once_when_it_dies()
    {
        await using var host = await PoolHost.StartAsync(4);
        for (var turn = 0; turn < 3; turn++)
        {
            for (var s = 0; s < Sessions; s++)
            {
                await SendAsync(host, s, turn);
            }
        }

        var placed = Enumerable.Range(0, Sessions).Select(s => Assert.Single(host.ReplicasThatSaw($"session-{s} "))).ToList();
        Assert.True(placed.Distinct().Count() >= 3, $"sessions spread over the replicas: {string.Join(",", placed)}");

        var dead = placed[0];
        await host.Replicas[dead].KillAsync();
        foreach (var replica in host.Replicas)
        {
            replica.Reset();
        }

        for (var turn = 3; turn < 5; turn++)
        {
            for (var s = 0; s < Sessions; s++)
            {
                await SendAsync(host, s, turn);
            }
        }

        for (var s = 0; s < Sessions; s++)
        {
            var now = Assert.Single(host.ReplicasThatSaw($"session-{s} "));
            if (placed[s] == dead)
            {
                Assert.NotEqual(dead, now);
            }
            else
            {
                Assert.Equal(placed[s], now);
            }
        }
    }

    [Fact]
    public async Task Without_a_session_name_a_conversation_is_kept_together_by_the_start_of_its_prompt()
    {
        await using var host = await PoolHost.StartAsync(4);
        for (var c = 0; c < Sessions; c++)
        {
            var history = $"conversation-{c} opening request: please look at the repository";
            for (var turn = 0; turn < 3; turn++)
            {
                var body = $$"""
                    {"model":"fake-model","max_tokens":16,"system":"You are a coding agent.","messages":[
                      {"role":"user","content":"{{history}}"},
                      {"role":"assistant","content":"Looking (turn {{turn}})."},
                      {"role":"user","content":"continue turn {{turn}} of conversation-{{c}}."}]}
                    """;
                using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(body));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        var placed = Enumerable.Range(0, Sessions).Select(c => Assert.Single(host.ReplicasThatSaw($"conversation-{c} opening"))).ToList();
        Assert.True(placed.Distinct().Count() >= 2, $"conversations spread over the replicas: {string.Join(",", placed)}");
    }

    private static async Task SendAsync(PoolHost host, int session, int turn)
    {
        using var request = RawRequests.Post("/v1/messages", PoolHost.Body($"session-{session} turn-{turn}"));
        request.Headers.Add("x-claude-code-session-id", $"7f1c6a52-0000-4000-8000-{session:D12}");
        using var response = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

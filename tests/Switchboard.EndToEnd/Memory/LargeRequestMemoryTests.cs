using System.Net;
using System.Text;

namespace Switchboard.EndToEnd.Memory;

/// <summary>
/// Large request bodies under a container's memory: with the GC heap limited to 512 MiB, a run of 20 MB requests
/// (several at once) is all answered, and the process gives the memory back once they stop.
/// </summary>
[Collection(MemorySensitive.Name)]
public sealed class LargeRequestMemoryTests
{
    private const int Requests = 30;
    private const int Concurrency = 3;
    private const int BodyMegabytes = 20;
    private const long IdleResidentBoundMiB = 320;

    [Fact]
    public async Task Twenty_megabyte_requests_are_all_answered_under_a_512_MiB_heap_and_memory_is_given_back()
    {
        await using var upstream = await DrainingUpstream.StartAsync();
        await using var switchboard = await SwitchboardProcess.StartAsync(
            upstream.BaseUrl,
            new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x20000000" });
        using var http = new HttpClient { BaseAddress = new Uri(switchboard.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        var body = LargeBody(BodyMegabytes * 1024 * 1024);

        var statuses = new List<HttpStatusCode>();
        long peak = 0;
        await Parallel.ForAsync(0, Requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, cancellationToken) =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await http.PostAsync("/v1/messages", content, cancellationToken);
            lock (statuses)
            {
                statuses.Add(response.StatusCode);
                peak = Math.Max(peak, switchboard.ResidentMiB());
            }
        });

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, Requests), statuses);

        // Memory is given back a couple of seconds after the last large request.
        var idle = long.MaxValue;
        for (var wait = 0; wait < 20 && idle > IdleResidentBoundMiB; wait++)
        {
            await Task.Delay(500);
            idle = switchboard.ResidentMiB();
        }

        Assert.True(idle <= IdleResidentBoundMiB, $"resident {idle} MiB after idling (peak {peak} MiB), bound {IdleResidentBoundMiB} MiB");
    }

    private static byte[] LargeBody(int textBytes)
    {
        var text = new string('x', textBytes);
        return Encoding.UTF8.GetBytes(
            $$"""{"model":"memory-model","max_tokens":16,"messages":[{"role":"user","content":[{"type":"text","text":"{{text}}"}]}]}""");
    }
}

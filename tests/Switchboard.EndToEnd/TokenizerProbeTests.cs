using System.Net;
using System.Net.Http.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd;

/// <summary>Finding out how an upstream counts tokens is one probe per upstream, however many first requests arrive at once.</summary>
public sealed class TokenizerProbeTests
{
    private const int Concurrent = 100;

    [Fact]
    public async Task Concurrent_first_counts_send_one_tokenizer_probe_to_a_llama_cpp_server()
    {
        await using var host = await SwitchboardHost.StartAsync(new FakeServerOptions { Tokenizer = TokenizerStyle.LlamaCpp });

        var statuses = await SendConcurrentlyAsync(host);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));

        // The probe is the one /tokenize that carries chat messages (llama.cpp answers it with an empty list);
        // every count after it renders its prompt with /apply-template and tokenizes the text.
        var probes = host.Upstream.AllRequests.Count(r => r.Path == "/tokenize" && r.Body.TryGetProperty("messages", out _));
        Assert.Equal(1, probes);
    }

    private static async Task<HttpStatusCode[]> SendConcurrentlyAsync(SwitchboardHost host)
    {
        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, Concurrent).Select(async i =>
        {
            await start.WaitAsync();
            // Token counts are what call the tokenizer (a streamed request's message start goes out with an estimate).
            using var response = await host.Http.PostAsJsonAsync("/v1/messages/count_tokens", new
            {
                model = SwitchboardHost.Model,
                messages = new[] { new { role = "user", content = $"Question number {i}" } },
            });
            await response.Content.ReadAsStringAsync();
            return response.StatusCode;
        }).ToArray();
        start.Release(Concurrent);
        return await Task.WhenAll(requests);
    }
}

using System.Net;
using Switchboard.Configuration;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.EndToEnd.Hostile;
using Switchboard.FakeUpstream;
using Switchboard.Storage;

namespace Switchboard.EndToEnd.Tenancy;

/// <summary>
/// On SIGTERM the usage ledger is written out before the process exits: rows of requests answered just before the
/// signal, and the row of a stream that finishes during the drain, are all in the store afterwards.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class LedgerShutdownTests
{
    private const string Key = "sk-switchboard-ledger-shutdown";

    [Fact]
    public async Task SIGTERM_writes_every_queued_row_and_the_row_of_a_stream_finished_during_the_drain()
    {
        var directory = Path.Combine(Path.GetTempPath(), "switchboard-ledger-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await using var upstream = await FakeModelServer.StartAsync();
            await using var switchboard = await SwitchboardProcess.StartAsync(
                ["--upstream", upstream.BaseUrl, "--model", "fake-model", "--api-key", Key, "--data-dir", directory, "--Switchboard:Shutdown:DrainSeconds=20"]);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 128 })
            {
                BaseAddress = new Uri(switchboard.BaseUrl), Timeout = TimeSpan.FromSeconds(60),
            };
            http.DefaultRequestHeaders.Add("x-api-key", Key);

            // Streams of about two seconds, still running when the signal comes, all ending within moments of each
            // other during the drain, right before the server stops: their rows are queued when the writer is stopped.
            const int streams = 40;
            upstream.Enqueue(Enumerable.Range(0, streams).Select(_ => new ScriptedReply { Content = new string('s', 80), ChunkSize = 4, ChunkDelayMs = 100 }));
            var started = await Task.WhenAll(Enumerable.Range(0, streams).Select(_ =>
                http.SendAsync(RawRequests.Post("/v1/messages", RawRequests.StreamingBody), HttpCompletionOption.ResponseHeadersRead)));
            var streamIds = started.Select(r => r.Headers.GetValues("request-id").Single()).ToList();
            var reading = Task.WhenAll(started.Select(r => r.Content.ReadAsStringAsync()));

            // A burst still arriving when the signal comes: requests taken before it are answered during the drain,
            // later ones are refused (and recorded) or find the listener closed (and are not).
            var ids = new System.Collections.Concurrent.ConcurrentBag<string>(streamIds);
            var answered = 0;
            var burst = Task.WhenAll(Enumerable.Range(0, 600).Select(async _ =>
            {
                try
                {
                    using var response = await http.PostAsync("/v1/messages", RawRequests.Json(RawRequests.SimpleBody));
                    if (response.Headers.TryGetValues("request-id", out var id))
                    {
                        ids.Add(id.Single());
                    }

                    Interlocked.Increment(ref answered);
                }
                catch (HttpRequestException)
                {
                }
            }));
            while (Volatile.Read(ref answered) < 200)
            {
                await Task.Delay(5);
            }

            switchboard.Terminate();
            await burst;
            Assert.All(await reading, body => Assert.Contains("message_stop", body));
            Assert.True(await switchboard.WaitForExitAsync(TimeSpan.FromSeconds(40)), switchboard.Output);
            Assert.Equal(0, switchboard.ExitCode);
            started.ToList().ForEach(r => r.Dispose());

            await using var store = await SwitchboardStore.OpenAsync(new StorageOptions { DataDirectory = directory }, TimeProvider.System, CancellationToken.None);
            var rows = await store.Ledger.RecentAsync(null, 10_000, CancellationToken.None);
            Assert.Equal(ids.Order(StringComparer.Ordinal), rows.Select(r => r.RequestId).Order(StringComparer.Ordinal));
            Assert.All(rows.Where(r => streamIds.Contains(r.RequestId)), r => Assert.Equal((200, (string?)null, 20L), (r.Status, r.ErrorKind, r.OutputTokens)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>
/// Seeded mutations of a real Claude Code request, sent to <c>/v1/messages</c> and <c>count_tokens</c>: whatever the
/// mutation, the answer is a success or a 4xx in the Anthropic envelope with a request id, never a 5xx or a reset.
/// </summary>
public sealed class MutatedRequestTests(DefaultHostileHost host) : IClassFixture<DefaultHostileHost>
{
    private const int Seed = 20261201;
    private const int Cases = 240;

    private static readonly string?[] OddContentTypes =
        ["text/plain", "application/x-www-form-urlencoded", null, "application/json; charset=latin1", "multipart/form-data; boundary=x", "application/xml"];

    [Fact]
    public async Task Mutated_Claude_Code_requests_never_get_a_5xx_and_every_error_is_enveloped()
    {
        var mutator = new Mutator(Seed);
        var random = new Random(Seed);
        var cases = new List<(string Path, byte[] Body, string? ContentType, string What)>();
        for (int i = 0; i < Cases; i++)
        {
            var (body, what) = mutator.Next();
            string path = random.Next(5) == 0 ? "/v1/messages/count_tokens" : "/v1/messages";
            string? type = random.Next(10) == 0 ? OddContentTypes[random.Next(OddContentTypes.Length)] : "application/json";
            cases.Add((path, body, type, $"#{i} {path} [{type}] {what}"));
        }

        var report = new FailureReport();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, ct) =>
        {
            var exchange = await Exchange.PostAsync(host.Http, c.Path, c.Body, c.ContentType, c.What, ct);
            report.Add(exchange, exchange.ClientMistakeProblems());
        });

        report.AssertClean();
    }

    [Fact]
    public async Task Invalid_UTF8_and_lone_surrogates_in_every_string_position_are_a_4xx_or_accepted_never_a_5xx()
    {
        var template = ClaudeCodeRequest.Parse();
        template["stream"] = false;
        var positions = new Dictionary<string, string>();
        foreach (var (_, _, node, path) in Mutator.Nodes(template))
        {
            if (node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
            {
                positions.TryAdd(System.Text.RegularExpressions.Regex.Replace(path, @"\[\d+\]", "[]"), path);
            }
        }

        Assert.True(positions.Count > 20, $"only {positions.Count} string positions found");
        var cases = new List<(byte[] Body, string What)>();
        foreach (var (shape, path) in positions)
        {
            foreach (var marker in new[] { Mutator.BadUtf8Marker, Mutator.SurrogateMarker })
            {
                var root = ClaudeCodeRequest.Parse();
                root["stream"] = false;
                var (parent, key, _, _) = Mutator.Nodes(root).Single(n => n.Path == path);
                Mutator.Set(parent, key, marker);
                cases.Add((Mutator.Render(root.ToJsonString()), $"{shape} = {marker}"));
            }
        }

        // Object keys too: a property name with invalid bytes.
        byte[] head = Encoding.UTF8.GetBytes("{\"model\":\"fake-model\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"");
        cases.Add(([.. head, 0xff, 0xfe, .. "\":1}"u8.ToArray()], "property name = invalid UTF-8"));
        cases.Add((Encoding.ASCII.GetBytes("{\"model\":\"fake-model\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"\\ud800\":1}"),
            "property name = lone surrogate"));

        var report = new FailureReport();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, ct) =>
        {
            var exchange = await Exchange.PostAsync(host.Http, "/v1/messages", c.Body, "application/json", c.What, ct);
            report.Add(exchange, exchange.ClientMistakeProblems());
        });

        report.AssertClean();
    }

    [Fact]
    public async Task The_unmutated_request_succeeds_so_the_fuzzer_starts_from_a_valid_request()
    {
        var root = ClaudeCodeRequest.Parse();
        root["stream"] = false;
        var exchange = await Exchange.PostAsync(host.Http, "/v1/messages", root.ToJsonString(), "unmutated");
        Assert.Equal(200, exchange.Status);
    }
}

using System.Text;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>
/// Hand-made hostile bodies on every door's paths: empty, garbage, wrong content types, wrong types, huge and deep.
/// A client's mistake is a 4xx in the path's dialect with a request id, never a 5xx.
/// </summary>
public sealed class HostileRequestTests(DefaultHostileHost host) : IClassFixture<DefaultHostileHost>
{
    private static readonly string[] Paths =
        ["/v1/messages", "/v1/messages/count_tokens", "/v1/chat/completions", "/v1/responses", "/v1/completions", "/v1/embeddings"];

    public static IEnumerable<(string What, byte[] Body, string? ContentType)> Bodies()
    {
        static byte[] U(string s) => Encoding.UTF8.GetBytes(s);
        yield return ("empty body", [], "application/json");
        yield return ("empty body, no content type", [], null);
        yield return ("garbage", [0x00, 0xff, 0x13, 0x37, 0x7b, 0x22], "application/json");
        yield return ("not JSON", U("hello world"), "application/json");
        yield return ("JSON null", U("null"), "application/json");
        yield return ("JSON array", U("[1,2,3]"), "application/json");
        yield return ("JSON string", U("\"model\""), "application/json");
        yield return ("truncated object", U("{\"model\":\"fake-model\",\"max_tokens\":"), "application/json");
        yield return ("trailing garbage", U(RawBody + "}}}]]"), "application/json");
        yield return ("two documents", U(RawBody + RawBody), "application/json");
        yield return ("text/plain", U(RawBody), "text/plain");
        yield return ("form content type", U(RawBody), "application/x-www-form-urlencoded");
        yield return ("latin1 charset", U(RawBody), "application/json; charset=iso-8859-1");
        yield return ("model is a number", U("{\"model\":42,\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "application/json");
        yield return ("messages is an object", U("{\"model\":\"m\",\"max_tokens\":8,\"messages\":{\"role\":\"user\"}}"), "application/json");
        yield return ("max_tokens is a string", U("{\"model\":\"m\",\"max_tokens\":\"8\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "application/json");
        yield return ("max_tokens overflows", U("{\"model\":\"m\",\"max_tokens\":1e400,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "application/json");
        yield return ("max_tokens negative", U("{\"model\":\"m\",\"max_tokens\":-5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "application/json");
        yield return ("missing messages", U("{\"model\":\"m\",\"max_tokens\":8}"), "application/json");
        yield return ("content block without type", U("{\"model\":\"m\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}"), "application/json");
        yield return ("unknown role", U("{\"model\":\"m\",\"max_tokens\":8,\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}"), "application/json");
        yield return ("tool_use with string input", U("{\"model\":\"m\",\"max_tokens\":8,\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"x\",\"name\":\"n\",\"input\":\"{\"}]},{\"role\":\"user\",\"content\":\"hi\"}]}"), "application/json");
        yield return ("tools is a string", U("{\"model\":\"m\",\"max_tokens\":8,\"tools\":\"all\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "application/json");
        yield return ("deep nesting 10k", U("{\"model\":\"m\",\"max_tokens\":8,\"metadata\":" + new string('[', 10_000) + new string(']', 10_000) + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "application/json");
        yield return ("deep nesting in content", U("{\"model\":\"m\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":" + string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3000) + "}]}"), "application/json");
        yield return ("huge string model", U("{\"model\":\"" + new string('m', 2_000_000) + "\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "application/json");
        yield return ("huge messages array", U("{\"model\":\"m\",\"max_tokens\":8,\"messages\":[" + string.Join(',', Enumerable.Repeat("{\"role\":\"user\",\"content\":\"hi\"}", 200_000)) + "]}"), "application/json");
        yield return ("huge number", U("{\"model\":\"m\",\"max_tokens\":" + new string('9', 100_000) + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "application/json");
        yield return ("invalid UTF-8 in model", [.. U("{\"model\":\"a"), 0xff, 0xc3, 0x28, .. U("\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")], "application/json");
        yield return ("lone surrogate in content", U("{\"model\":\"m\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"a\\ud800b\"}]}"), "application/json");
        yield return ("lone low surrogate in system", U("{\"model\":\"m\",\"max_tokens\":8,\"system\":\"\\udc00\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "application/json");
        yield return ("UTF-16 body", Encoding.Unicode.GetBytes(RawBody), "application/json; charset=utf-16");
        yield return ("BOM then JSON", [0xef, 0xbb, 0xbf, .. U(RawBody)], "application/json");
    }

    private const string RawBody = "{\"model\":\"fake-model\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    [Fact]
    public async Task Hostile_bodies_on_every_path_get_a_4xx_in_the_paths_dialect_never_a_5xx()
    {
        var cases = (from body in Bodies() from path in Paths select (path, body.Body, body.ContentType, $"POST {path} {body.What}")).ToList();
        var report = new FailureReport();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, ct) =>
        {
            var exchange = await Exchange.PostAsync(host.Http, c.path, c.Body, c.ContentType, c.Item4, ct);
            report.Add(exchange, exchange.ClientMistakeProblems());
        });

        report.AssertClean();
    }

    [Fact]
    public async Task After_the_hostile_run_a_plain_request_still_succeeds()
    {
        var exchange = await Exchange.PostAsync(host.Http, "/v1/messages", RawBody, "plain");
        Assert.Equal(200, exchange.Status);
    }
}

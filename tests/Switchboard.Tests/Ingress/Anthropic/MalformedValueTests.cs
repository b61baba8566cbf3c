using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;

namespace Switchboard.Tests.Ingress.Anthropic;

/// <summary>
/// Every value in a realistic request, replaced by every JSON kind: the reader accepts the result or refuses it with a
/// 400 that names a path, never crashes with any other exception.
/// </summary>
public sealed class MalformedValueTests
{
    private static readonly string[] Replacements = ["null", "7", "-1.5", "\"s\"", "true", "[]", "{}", "[{}]", "{\"type\":\"x\"}"];

    /// <summary>Every block kind and parameter the Claude Code request does not use.</summary>
    private const string EveryFeature = """
        {
          "model": "m", "max_tokens": 100, "temperature": 0.5, "top_p": 0.9, "top_k": 5, "stop_sequences": ["x"],
          "metadata": {"user_id": "u"}, "tool_choice": {"type": "tool", "name": "A", "disable_parallel_tool_use": true},
          "thinking": {"type": "enabled", "budget_tokens": 1024}, "output_config": {"effort": "low", "format": {"type": "json_schema", "schema": {"type": "object"}}},
          "system": "s",
          "tools": [{"type": "custom", "name": "A", "input_schema": {"type": "object"}}, {"type": "mcp_toolset", "mcp_server_name": "x"}],
          "messages": [
            {"role": "user", "content": [
              {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AA"}},
              {"type": "image", "source": {"type": "url", "url": "https://x/i.png"}},
              {"type": "document", "title": "t", "context": "c", "source": {"type": "text", "data": "d"}},
              {"type": "document", "source": {"type": "content", "content": [{"type": "text", "text": "p"}, {"type": "image", "source": {"type": "url", "url": "u"}}]}},
              {"type": "search_result", "title": "t", "source": "s", "content": [{"type": "text", "text": "r"}]},
              {"type": "future_block", "text": "f"}]},
            {"role": "assistant", "content": [
              {"type": "redacted_thinking", "data": "r"},
              {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {}},
              {"type": "tool_use", "id": "toolu_1", "name": "A", "input": {"a": 1}}]},
            {"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "toolu_1", "is_error": true, "content": [
                {"type": "text", "text": "o"}, {"type": "image", "source": {"type": "url", "url": "u"}},
                {"type": "search_result", "title": "t", "source": "s", "content": [{"type": "text", "text": "r"}]},
                {"type": "document", "source": {"type": "text", "data": "d"}}, {"type": "tool_reference", "tool_name": "A"}]}]}
          ]
        }
        """;

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var replacement in Replacements)
        {
            cases.Add(nameof(ClaudeCodeRequestTests), replacement);
            cases.Add(nameof(EveryFeature), replacement);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Any_value_replaced_by_any_kind_is_accepted_or_refused_cleanly(string body, string replacement)
    {
        var original = JsonNode.Parse(body == nameof(EveryFeature) ? EveryFeature : ClaudeCodeRequestTests.Body)!;
        using (var intact = JsonDocument.Parse(original.ToJsonString()))
        {
            // The unmutated body must read cleanly, or the mutations would only ever reach its first error.
            Assert.NotEmpty(MessagesRequestReader.Read(intact.RootElement, new RequestReadNotes()).Messages);
        }

        var positions = 0;
        foreach (var path in Paths(original, []))
        {
            var mutated = original.DeepClone();
            Replace(mutated, path, JsonNode.Parse(replacement));
            using var document = JsonDocument.Parse(mutated.ToJsonString());
            try
            {
                MessagesRequestReader.Read(document.RootElement, new RequestReadNotes());
            }
            catch (ApiException exception)
            {
                Assert.Equal(ApiErrorKind.InvalidRequest, exception.Error.Kind);
                Assert.Contains(": ", exception.Error.Message, StringComparison.Ordinal);
            }

            positions++;
        }

        Assert.True(positions > 90, $"only {positions} positions were tried");
    }

    private static IEnumerable<object[]> Paths(JsonNode node, object[] prefix)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    object[] path = [.. prefix, key];
                    yield return path;
                    if (child is not null)
                    {
                        foreach (var inner in Paths(child, path))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    object[] path = [.. prefix, i];
                    yield return path;
                    foreach (var inner in Paths(array[i]!, path))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    private static void Replace(JsonNode root, object[] path, JsonNode? value)
    {
        var parent = root;
        foreach (var step in path[..^1])
        {
            parent = step is string key ? parent[key]! : parent[(int)step]!;
        }

        if (path[^1] is string last)
        {
            parent[last] = value;
        }
        else
        {
            parent[(int)path[^1]] = value;
        }
    }
}

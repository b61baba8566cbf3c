using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Canonical;
using Switchboard.Ingress.OpenAIChat;

namespace Switchboard.Tests.Ingress.OpenAIChat;

/// <summary>
/// Any value of any type in any place of a request gives a canonical request or a 400 that names a param, never
/// another exception (which would be a 500).
/// </summary>
public sealed class ChatRequestRobustnessTests
{
    /// <summary>A body with every kind of field the reader walks, in the OpenAI SDKs' shapes.</summary>
    private const string Full = """
        {
          "model": "qwen3-coder",
          "messages": [
            {"role": "developer", "content": [{"type": "text", "text": "Be terse."}]},
            {"role": "user", "name": "ann", "content": [{"type": "text", "text": "Weather?"}, {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA", "detail": "auto"}}]},
            {"role": "assistant", "content": null, "reasoning_content": "Use the tool.", "refusal": null,
             "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": [{"type": "text", "text": "18C"}]},
            {"role": "assistant", "content": [{"type": "text", "text": "Checking."}], "function_call": {"name": "now", "arguments": "{}"}},
            {"role": "function", "name": "now", "content": "noon"},
            {"role": "system", "content": "Late rule."},
            {"role": "user", "content": "Thanks"}
          ],
          "tools": [{"type": "function", "function": {"name": "get_weather", "description": "d", "strict": true, "parameters": {"type": "object"}}},
                    {"type": "function", "function": {"name": "now"}}],
          "functions": [{"name": "legacy", "parameters": {"type": "object"}}],
          "tool_choice": {"type": "allowed_tools", "allowed_tools": {"mode": "auto", "tools": [{"type": "function", "function": {"name": "now"}}]}},
          "function_call": {"name": "now"},
          "parallel_tool_calls": false,
          "response_format": {"type": "json_schema", "json_schema": {"name": "a", "description": "d", "strict": true, "schema": {"type": "object"}}},
          "max_tokens": 100, "max_completion_tokens": 200, "temperature": 0.5, "top_p": 0.9, "top_k": 20, "n": 1,
          "stop": ["a", "b"], "seed": 1, "frequency_penalty": 0.1, "presence_penalty": 0.1, "logit_bias": {"1": 1},
          "logprobs": true, "top_logprobs": 2, "reasoning_effort": "low", "stream": true, "stream_options": {"include_usage": true},
          "user": "u", "safety_identifier": "s", "metadata": {"k": "v"}, "store": false, "service_tier": "auto",
          "prediction": {"type": "content", "content": "x"}, "modalities": ["text"], "min_p": 0.1, "chat_template_kwargs": {"x": 1}
        }
        """;

    private static readonly JsonNode?[] Replacements = [null, 1, -1, 2.5, "x", "", true, new JsonArray(), new JsonObject(), new JsonArray(1, "a")];

    [Fact]
    public void The_full_body_reads()
    {
        var request = ChatCompletionsRequestReader.Read(JsonDocument.Parse(Full).RootElement, []);

        Assert.Equal(
            [Role.User, Role.Assistant, Role.User, Role.Assistant, Role.User, Role.System, Role.User],
            request.Messages.Select(m => m.Role));
        Assert.Equal(["now"], request.Tools.Select(t => t.Name));
        Assert.Equal(["min_p", "chat_template_kwargs"], request.PassThrough.Select(f => f.Name));
    }

    [Fact]
    public void Every_value_replaced_by_every_type_reads_or_is_refused_with_a_param()
    {
        var root = JsonNode.Parse(Full)!;
        var paths = new List<string>();
        Collect(root, "", paths);
        var cases = 0;
        foreach (var path in paths)
        {
            foreach (var replacement in Replacements)
            {
                var body = JsonNode.Parse(Full)!;
                Replace(body, path, replacement?.DeepClone());
                using var document = JsonDocument.Parse(body.ToJsonString());
                try
                {
                    ChatCompletionsRequestReader.Read(document.RootElement, []);
                }
                catch (ApiException refused)
                {
                    Assert.Equal(ApiErrorKind.InvalidRequest, refused.Error.Kind);
                    Assert.False(string.IsNullOrEmpty(refused.Error.Param), $"{path} = {replacement?.ToJsonString() ?? "null"}: {refused.Message}");
                }

                cases++;
            }
        }

        Assert.True(cases > 1000, $"only {cases} cases");
    }

    private static void Collect(JsonNode? node, string path, List<string> paths)
    {
        if (path.Length > 0)
        {
            paths.Add(path);
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    Collect(child, path + "/" + name, paths);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Collect(array[i], path + "/" + i, paths);
                }

                break;
        }
    }

    private static void Replace(JsonNode root, string path, JsonNode? value)
    {
        var steps = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = root;
        foreach (var step in steps[..^1])
        {
            parent = parent is JsonArray array ? array[int.Parse(step, System.Globalization.CultureInfo.InvariantCulture)]! : parent[step]!;
        }

        var last = steps[^1];
        if (parent is JsonArray list)
        {
            list[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            parent[last] = value;
        }
    }
}

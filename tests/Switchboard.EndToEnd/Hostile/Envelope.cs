using System.Text.Json;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>Checks that an error response is enveloped in its path's dialect and carries a request id.</summary>
internal static class Envelope
{
    /// <summary>Which dialect a path's errors are written in (the contract).</summary>
    public static Dialect For(string path)
    {
        string p = path.Split('?')[0];
        return p.StartsWith("/v1/chat/completions", StringComparison.Ordinal) || p.StartsWith("/v1/responses", StringComparison.Ordinal)
            || p.StartsWith("/v1/completions", StringComparison.Ordinal) || p.StartsWith("/v1/embeddings", StringComparison.Ordinal)
            ? Dialect.OpenAI
            : p.StartsWith("/v1/messages", StringComparison.Ordinal) ? Dialect.Anthropic : Dialect.Either;
    }

    /// <summary>Problems with the response as an error of <paramref name="dialect"/>; empty when it is a proper one.</summary>
    public static List<string> Problems(int status, IReadOnlyDictionary<string, string> headers, string body, Dialect dialect)
    {
        var problems = new List<string>();
        headers.TryGetValue("request-id", out var requestId);
        if (string.IsNullOrWhiteSpace(requestId))
        {
            problems.Add("no request-id header");
        }

        if (!headers.TryGetValue("content-type", out var type) || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"content-type '{type}' is not application/json");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            problems.Add($"body is not JSON: {Short(body)}");
            return problems;
        }

        var anthropic = AnthropicProblems(root, requestId);
        var openAi = OpenAIProblems(root);
        var chosen = dialect switch
        {
            Dialect.Anthropic => anthropic,
            Dialect.OpenAI => openAi,
            _ => anthropic.Count == 0 || openAi.Count == 0 ? [] : anthropic,
        };
        problems.AddRange(chosen.Select(p => $"{p} in {Short(body)}"));
        if (status is >= 400 and < 500 && headers.TryGetValue("x-should-retry", out var retry) && retry == "true" && status is not (408 or 409 or 429))
        {
            problems.Add($"x-should-retry: true on a {status} that can never succeed");
        }

        return problems;
    }

    public static async Task<List<string>> ProblemsAsync(HttpResponseMessage response, string path)
    {
        string body = await response.Content.ReadAsStringAsync();
        return Problems((int)response.StatusCode, HeadersOf(response), body, For(path));
    }

    public static Dictionary<string, string> HeadersOf(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name.ToLowerInvariant()] = string.Join(",", values);
        }

        return headers;
    }

    public static string Short(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static List<string> AnthropicProblems(JsonElement root, string? requestId)
    {
        var problems = new List<string>();
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String || t.GetString() != "error")
        {
            problems.Add("Anthropic envelope: type is not \"error\"");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object
            || !IsNonEmptyString(error, "type") || !IsNonEmptyString(error, "message"))
        {
            problems.Add("Anthropic envelope: error.type/error.message missing");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("request_id", out var id) || id.ValueKind != JsonValueKind.String
            || (requestId is not null && id.GetString() != requestId))
        {
            problems.Add("Anthropic envelope: request_id missing or not the request-id header");
        }

        return problems;
    }

    private static List<string> OpenAIProblems(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object
            || !IsNonEmptyString(error, "message") || !IsNonEmptyString(error, "type") || !error.TryGetProperty("param", out _)
            || !error.TryGetProperty("code", out _))
        {
            return ["OpenAI envelope: error.{message,type,param,code} missing"];
        }

        return [];
    }

    private static bool IsNonEmptyString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0;
}

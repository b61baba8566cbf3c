using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// What a model server said in an error body, whatever its shape: OpenAI and vLLM <c>{"error":{…}}</c>, vLLM's older
/// <c>{"object":"error",…}</c>, llama.cpp's error with context numbers, Ollama's <c>{"error":"…"}</c>, FastAPI's
/// <c>{"detail":…}</c>, or plain text and HTML from a proxy in between.
/// </summary>
internal sealed partial record ChatErrorBody(string Message, string? Type, string? Code, int? NumericCode, int? PromptTokens, int? ContextLength)
{
    /// <summary>
    /// True when the message came from a known error shape (OpenAI/vLLM/llama.cpp error JSON, Ollama's or TGI's
    /// <c>{"error":"…"}</c>, FastAPI's <c>detail</c>), so it is the server's own short reason; false for text, HTML and
    /// unknown JSON, which a client never sees.
    /// </summary>
    public bool Known { get; init; }

    private const int MaxTextLength = 300;
    private const int MaxMessageLength = 1000;

    /// <summary>The HTTP status the error names itself (vLLM puts one in <c>code</c>), when it is an error status.</summary>
    public int? Status => NumericCode is >= 400 and <= 599 ? NumericCode : null;

    public static ChatErrorBody Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (FromJson(document.RootElement) is { } parsed)
            {
                return parsed;
            }
        }
        catch (JsonException)
        {
        }

        return new ChatErrorBody(FromText(Encoding.UTF8.GetString(body)), null, null, null, null, null);
    }

    private static ChatErrorBody? FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (root.TryGetProperty("error", out var error))
        {
            return error.ValueKind switch
            {
                JsonValueKind.Object => FromErrorObject(error),
                JsonValueKind.String => new ChatErrorBody(Shorten(error.GetString()!, MaxMessageLength), null, null, null, null, null) { Known = true },
                _ => null,
            };
        }

        if (root.TryGetProperty("detail", out var detail))
        {
            return new ChatErrorBody(Shorten(FromDetail(detail), MaxMessageLength), null, null, null, null, null) { Known = true };
        }

        // vLLM's older shape says what it is; a bare "message" from some proxy does not.
        return root.TryGetProperty("message", out _) ? FromErrorObject(root) with { Known = StringOf(root, "object") == "error" } : null;
    }

    private static ChatErrorBody FromErrorObject(JsonElement error)
    {
        var known = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String;
        var message = known ? m.GetString()! : error.GetRawText();
        var code = error.TryGetProperty("code", out var c) ? c : default;
        return new ChatErrorBody(
            Shorten(message, MaxMessageLength),
            StringOf(error, "type"),
            code.ValueKind switch
            {
                JsonValueKind.String => code.GetString(),
                JsonValueKind.Number => code.GetRawText(),
                _ => null,
            },
            code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var number) ? number : null,
            IntOf(error, "n_prompt_tokens"),
            IntOf(error, "n_ctx"))
        {
            Known = known,
        };
    }

    /// <summary>FastAPI: a string, or validation errors as <c>[{"loc":[…],"msg":…}]</c>.</summary>
    private static string FromDetail(JsonElement detail)
    {
        if (detail.ValueKind == JsonValueKind.String)
        {
            return detail.GetString()!;
        }

        if (detail.ValueKind != JsonValueKind.Array)
        {
            return detail.GetRawText();
        }

        var text = new StringBuilder();
        foreach (var item in detail.EnumerateArray())
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }

            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array)
            {
                text.AppendJoin('.', loc.EnumerateArray().Select(part => part.ToString())).Append(": ");
            }

            text.Append(StringOf(item, "msg") ?? item.GetRawText());
        }

        return text.ToString();
    }

    private static string FromText(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('<'))
        {
            trimmed = HtmlTag().Replace(trimmed, " ");
        }

        trimmed = Whitespace().Replace(trimmed, " ").Trim();
        return trimmed.Length == 0 ? "no details given" : Shorten(trimmed, MaxTextLength);
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static int? IntOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

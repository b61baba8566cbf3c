using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.Anthropic.RequestFields;

namespace Switchboard.Ingress.Anthropic;

/// <summary>Reads the reasoning and output controls: <c>thinking</c> and <c>output_config</c> (effort and format).</summary>
internal static class ThinkingReader
{
    private static readonly string[] Efforts = ["low", "medium", "high", "xhigh", "max"];

    /// <summary><c>display</c> (summarized or omitted thinking) has no upstream meaning and is ignored.</summary>
    public static ThinkingConfig? ReadThinking(JsonElement root)
    {
        if (!TryGetObject(root, "thinking", FieldPath.Body, out var thinking))
        {
            return null;
        }

        var at = FieldPath.Root("thinking");
        var type = RequiredType(thinking, at);
        if (type.ValueEquals("enabled"u8))
        {
            return new ThinkingConfig(ThinkingMode.Enabled, RequiredInteger(thinking, "budget_tokens", at, min: 1));
        }

        if (type.ValueEquals("disabled"u8))
        {
            return new ThinkingConfig(ThinkingMode.Disabled, null);
        }

        if (type.ValueEquals("adaptive"u8))
        {
            return new ThinkingConfig(ThinkingMode.Adaptive, null);
        }

        throw Invalid(at.Name("type"), "Input should be 'enabled', 'disabled' or 'adaptive'");
    }

    /// <summary><c>output_config.effort</c>.</summary>
    public static string? ReadEffort(JsonElement root)
    {
        if (!TryGetObject(root, "output_config", FieldPath.Body, out var config))
        {
            return null;
        }

        var at = FieldPath.Root("output_config");
        if (!TryGet(config, "effort", out var effort))
        {
            return null;
        }

        if (effort.ValueKind == JsonValueKind.String)
        {
            foreach (var known in Efforts)
            {
                if (effort.ValueEquals(known))
                {
                    return known;
                }
            }
        }

        throw Invalid(at.Name("effort"), "Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
    }

    /// <summary>
    /// <c>output_config.format</c> (structured outputs): <c>{"type":"json_schema","schema":{…}}</c>, which model
    /// servers enforce as a JSON-schema <c>response_format</c>. Anthropic's structured outputs always follow the
    /// schema, so it is strict.
    /// </summary>
    public static ResponseFormat? ReadFormat(JsonElement root)
    {
        if (!TryGetObject(root, "output_config", FieldPath.Body, out var config)
            || !TryGetObject(config, "format", FieldPath.Root("output_config"), out var format))
        {
            return null;
        }

        var at = FieldPath.Root("output_config").Child("format");
        if (!RequiredType(format, at).ValueEquals("json_schema"u8))
        {
            throw Invalid(at.Name("type"), "Input should be 'json_schema'");
        }

        return new ResponseFormat(ResponseFormatKind.JsonSchema) { Schema = RequiredObject(format, "schema", at), Strict = true };
    }
}

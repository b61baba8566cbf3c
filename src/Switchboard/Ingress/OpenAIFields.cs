using System.Globalization;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress;

/// <summary>
/// Typed reads of request fields on the OpenAI doors (Chat Completions, Responses). A JSON <c>null</c> counts as absent (OpenAI's fields are
/// nullable). A wrong type or value is a 400 <c>invalid_request_error</c> in OpenAI's wording, with <c>param</c>
/// naming the field and OpenAI's <c>code</c> (<c>missing_required_parameter</c>, <c>invalid_type</c>,
/// <c>invalid_value</c>, <c>decimal_above_max_value</c> …), which the SDKs expose on their exceptions.
/// </summary>
internal static class OpenAIFields
{
    public static ApiException Invalid(string? param, string message, string? code = null) =>
        new(new ApiError(ApiErrorKind.InvalidRequest, message) { Param = param, Code = code });

    public static ApiException Missing(string param) =>
        Invalid(param, $"Missing required parameter: '{param}'.", "missing_required_parameter");

    public static ApiException WrongType(string param, string expected, JsonElement actual) =>
        Invalid(param, $"Invalid type for '{param}': expected {expected}, but got {Describe(actual)} instead.", "invalid_type");

    /// <summary>A value outside a closed set; <paramref name="supported"/> lists them, quoted, as OpenAI does.</summary>
    public static ApiException BadValue(string param, JsonElement actual, string supported) =>
        Invalid(param, $"Invalid value: {Shown(actual)}. Supported values are: {supported}.", "invalid_value");

    /// <summary>A field or value OpenAI defines that Switchboard cannot honour; the message says what to do instead.</summary>
    public static ApiException Unsupported(string param, string message) => Invalid(param, message, "unsupported_value");

    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static JsonElement Required(JsonElement obj, string name, in OpenAIPath at) =>
        TryGet(obj, name, out var value) ? value : throw Missing(at.Name(name));

    public static string RequiredString(JsonElement obj, string name, in OpenAIPath at) => AsString(Required(obj, name, at), name, at);

    public static string? OptionalString(JsonElement obj, string name, in OpenAIPath at) =>
        TryGet(obj, name, out var value) ? AsString(value, name, at) : null;

    public static bool TryGetObject(JsonElement obj, string name, in OpenAIPath at, out JsonElement value)
    {
        if (!TryGet(obj, name, out value))
        {
            return false;
        }

        return value.ValueKind == JsonValueKind.Object ? true : throw WrongType(at.Name(name), "an object", value);
    }

    public static bool TryGetArray(JsonElement obj, string name, in OpenAIPath at, out JsonElement value)
    {
        if (!TryGet(obj, name, out value))
        {
            return false;
        }

        return value.ValueKind == JsonValueKind.Array ? true : throw WrongType(at.Name(name), "an array", value);
    }

    /// <summary>An array element that must be an object; <paramref name="at"/> is the element's own path.</summary>
    public static void ExpectObject(JsonElement value, in OpenAIPath at)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(at.ToString(), "an object", value);
        }
    }

    public static bool? OptionalBool(JsonElement obj, string name, in OpenAIPath at)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(at.Name(name), "a boolean", value),
        };
    }

    public static double? OptionalNumber(JsonElement obj, string name, in OpenAIPath at, double min, double max)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            throw WrongType(at.Name(name), "a decimal", value);
        }

        if (number < min)
        {
            throw Invalid(at.Name(name),
                $"Invalid '{at.Name(name)}': decimal below minimum value. Expected a value >= {Format(min)}, but got {value.GetRawText()} instead.",
                "decimal_below_min_value");
        }

        if (number > max)
        {
            throw Invalid(at.Name(name),
                $"Invalid '{at.Name(name)}': decimal above maximum value. Expected a value <= {Format(max)}, but got {value.GetRawText()} instead.",
                "decimal_above_max_value");
        }

        return number;
    }

    /// <summary>Whole numbers written as <c>64.0</c> count as integers, as OpenAI's validation takes them.</summary>
    public static long? OptionalInteger(JsonElement obj, string name, in OpenAIPath at, long min, long max)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        long number;
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw WrongType(at.Name(name), "an integer", value);
        }

        if (!value.TryGetInt64(out number))
        {
            if (!value.TryGetDouble(out var real) || Math.Floor(real) != real)
            {
                throw WrongType(at.Name(name), "an integer", value);
            }

            number = real >= long.MaxValue ? long.MaxValue : real <= long.MinValue ? long.MinValue : (long)real;
        }

        if (number < min)
        {
            throw Invalid(at.Name(name),
                $"Invalid '{at.Name(name)}': integer below minimum value. Expected a value >= {min}, but got {value.GetRawText()} instead.",
                "integer_below_min_value");
        }

        if (number > max)
        {
            throw Invalid(at.Name(name),
                $"Invalid '{at.Name(name)}': integer above maximum value. Expected a value <= {max}, but got {value.GetRawText()} instead.",
                "integer_above_max_value");
        }

        return number;
    }

    private static string AsString(JsonElement value, string name, in OpenAIPath at) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(at.Name(name), "a string", value);

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "an integer" : "a decimal",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    /// <summary>A rejected value as an error shows it: strings quoted and cut short, anything else by its type.</summary>
    private static string Shown(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return Describe(value);
        }

        var text = value.GetString()!;
        return text.Length <= 64 ? $"'{text}'" : $"'{text[..64]}…'";
    }

    private static string Format(double number) => number.ToString(CultureInfo.InvariantCulture);

    public static JsonElement RequiredType(JsonElement obj, in OpenAIPath at)
    {
        var type = Required(obj, "type", at);
        return type.ValueKind == JsonValueKind.String ? type : throw WrongType(at.Name("type"), "a string", type);
    }

    /// <summary>A client-chosen name cut short for an error message or a log line.</summary>
    public static string Clip(string name) => name.Length <= 64 ? name : string.Concat(name.AsSpan(0, 64), "…");
}

using System.Globalization;
using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Typed reads of request fields straight off the parsed body. A JSON <c>null</c> counts as absent; a wrong type or
/// range is a 400 whose message names the field's path and uses the Messages API's (pydantic) wording.
/// </summary>
internal static class RequestFields
{
    public static ApiException Invalid(string path, string reason) =>
        new(ApiErrorKind.InvalidRequest, $"{path}: {reason}");

    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static JsonElement Required(JsonElement obj, string name, in FieldPath at) =>
        TryGet(obj, name, out var value) ? value : throw Invalid(at.Name(name), "Field required");

    public static string RequiredString(JsonElement obj, string name, in FieldPath at) =>
        AsString(Required(obj, name, at), name, at);

    /// <summary>A required string left as JSON: the client's UTF-8, decoded only where a string is needed.</summary>
    public static JsonElement RequiredStringElement(JsonElement obj, string name, in FieldPath at)
    {
        var value = Required(obj, name, at);
        return value.ValueKind == JsonValueKind.String ? value : throw Invalid(at.Name(name), "Input should be a valid string");
    }

    public static string? OptionalString(JsonElement obj, string name, in FieldPath at) =>
        TryGet(obj, name, out var value) ? AsString(value, name, at) : null;

    /// <summary>A <c>type</c> discriminator, left as JSON so callers compare it as UTF-8 without allocating.</summary>
    public static JsonElement RequiredType(JsonElement obj, in FieldPath at)
    {
        var type = Required(obj, "type", at);
        return type.ValueKind == JsonValueKind.String ? type : throw Invalid(at.Name("type"), "Input should be a valid string");
    }

    public static JsonElement RequiredObject(JsonElement obj, string name, in FieldPath at)
    {
        var value = Required(obj, name, at);
        return value.ValueKind == JsonValueKind.Object ? value : throw Invalid(at.Name(name), "Input should be an object");
    }

    public static bool TryGetObject(JsonElement obj, string name, in FieldPath at, out JsonElement value)
    {
        if (!TryGet(obj, name, out value))
        {
            return false;
        }

        return value.ValueKind == JsonValueKind.Object ? true : throw Invalid(at.Name(name), "Input should be an object");
    }

    public static bool TryGetArray(JsonElement obj, string name, in FieldPath at, out JsonElement value)
    {
        if (!TryGet(obj, name, out value))
        {
            return false;
        }

        return value.ValueKind == JsonValueKind.Array ? true : throw Invalid(at.Name(name), "Input should be a valid list");
    }

    /// <summary>An array element that must be an object; <paramref name="at"/> is the element's own path.</summary>
    public static void ExpectObject(JsonElement value, in FieldPath at)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(at.ToString(), "Input should be an object");
        }
    }

    public static bool? OptionalBool(JsonElement obj, string name, in FieldPath at)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(at.Name(name), "Input should be a valid boolean"),
        };
    }

    public static double? OptionalNumber(JsonElement obj, string name, in FieldPath at, double min, double max)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            throw Invalid(at.Name(name), "Input should be a valid number");
        }

        return CheckRange(number, name, at, min, max);
    }

    public static int? OptionalInteger(JsonElement obj, string name, in FieldPath at, int min) =>
        TryGet(obj, name, out var value) ? AsInteger(value, name, at, min) : null;

    public static int RequiredInteger(JsonElement obj, string name, in FieldPath at, int min) =>
        AsInteger(Required(obj, name, at), name, at, min);

    private static string AsString(JsonElement value, string name, in FieldPath at) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(at.Name(name), "Input should be a valid string");

    /// <summary>
    /// Whole numbers written as <c>1024.0</c> are integers too (pydantic's lax mode); values beyond the
    /// <see cref="int"/> range are clamped, since every limit downstream is far smaller.
    /// </summary>
    private static int AsInteger(JsonElement value, string name, in FieldPath at, int min)
    {
        double number;
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Invalid(at.Name(name), "Input should be a valid integer");
        }

        if (value.TryGetInt64(out var whole))
        {
            number = whole;
        }
        else if (!value.TryGetDouble(out number) || Math.Floor(number) != number)
        {
            throw Invalid(at.Name(name), "Input should be a valid integer");
        }

        return (int)Math.Clamp(CheckRange(number, name, at, min, double.PositiveInfinity), int.MinValue, int.MaxValue);
    }

    private static double CheckRange(double number, string name, in FieldPath at, double min, double max)
    {
        if (number < min)
        {
            throw Invalid(at.Name(name), $"Input should be greater than or equal to {min.ToString(CultureInfo.InvariantCulture)}");
        }

        if (number > max)
        {
            throw Invalid(at.Name(name), $"Input should be less than or equal to {max.ToString(CultureInfo.InvariantCulture)}");
        }

        return number;
    }
}

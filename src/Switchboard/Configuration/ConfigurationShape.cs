using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;

namespace Switchboard.Configuration;

/// <summary>
/// Checks raw configuration against the shape of an options type before it is bound: keys the type does not have
/// (with the nearest known name), values that do not convert to the property's type, a single value where a list or
/// section belongs. The binder itself drops such entries without a word (a dictionary entry with one bad value
/// disappears whole), so the problems are found here, each with its full key path.
/// </summary>
public static class ConfigurationShape
{
    /// <summary>Problems under <paramref name="section"/>, read as <paramref name="type"/>; the key paths that hold them.</summary>
    public static (List<string> Problems, HashSet<string> BadKeys) Check(IConfigurationSection section, Type type)
    {
        var problems = new List<string>();
        var badKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        CheckNode(section, type, problems, badKeys);
        return (problems, badKeys);
    }

    private static void CheckNode(IConfigurationSection section, Type type, List<string> problems, HashSet<string> badKeys)
    {
        var children = section.GetChildren().ToList();
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(type))
        {
            if (children.Count > 0)
            {
                Report(section, $"{section.Path}: expects a single value ({Describe(type)}), not a section", problems, badKeys);
            }
            else if (section.Value is { Length: > 0 } value && !Converts(value, type))
            {
                Report(section, $"{section.Path}: '{value}' is not {Describe(type)}", problems, badKeys);
            }

            return;
        }

        if (children.Count == 0)
        {
            // An empty JSON array or object arrives as an empty value; anything else is a value where a list or
            // section belongs (e.g. "ApiKeys": "sk-1" instead of ["sk-1"]), which the binder would ignore.
            if (section.Value is { Length: > 0 } value)
            {
                var expected = DictionaryValueType(type) is not null ? "a section" : ElementType(type) is not null ? "a list, e.g. [\"…\"]" : "a section";
                Report(section, $"{section.Path}: '{value}' is a single value, but this setting expects {expected}", problems, badKeys);
            }

            return;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            foreach (var child in children)
            {
                CheckNode(child, valueType, problems, badKeys);
            }

            return;
        }

        if (ElementType(type) is { } elementType)
        {
            foreach (var child in children)
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    Report(child, $"{child.Path}: '{child.Key}' is not a list index; {section.Path} is a list (indexes 0, 1, …)", problems, badKeys);
                    continue;
                }

                CheckNode(child, elementType, problems, badKeys);
            }

            return;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in children)
        {
            if (properties.TryGetValue(child.Key, out var property))
            {
                CheckNode(child, property.PropertyType, problems, badKeys);
            }
            else
            {
                Report(child, $"{child.Path}: unknown setting '{child.Key}'{DidYouMean.Hint(child.Key, properties.Keys)}", problems, badKeys);
            }
        }
    }

    private static void Report(IConfigurationSection section, string problem, List<string> problems, HashSet<string> badKeys)
    {
        problems.Add(problem);
        badKeys.Add(section.Path);
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
            ? type.GetGenericArguments()[1]
            : null;

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments() is [var element]
            ? element
            : null;
    }

    private static bool Converts(string value, Type type)
    {
        if (type == typeof(string))
        {
            return true;
        }

        try
        {
            // The same conversion the configuration binder applies.
            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception failure) when (failure is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return false;
        }
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type == typeof(TimeSpan) => "a time span (hh:mm:ss)",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
        _ => "a " + type.Name,
    };
}

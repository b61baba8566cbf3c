using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>
/// Seeded mutations of a JSON request: structural ones on the tree (missing fields, wrong types, huge strings and
/// arrays, deep nesting, invalid UTF-8, lone surrogates) and byte-level ones on the text (truncation, byte flips,
/// garbage). Markers stand in for what a JSON writer cannot produce and are swapped for raw bytes afterwards.
/// </summary>
internal sealed class Mutator(int seed)
{
    public const string DeepMarker = "@@DEEP@@";
    public const string BadUtf8Marker = "@@BADUTF8@@";
    public const string SurrogateMarker = "@@SURROGATE@@";

    private static readonly byte[] BadUtf8 = [(byte)'"', (byte)'a', 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, (byte)'z', (byte)'"'];
    private static readonly byte[] LoneSurrogate = Encoding.ASCII.GetBytes("\"a\\ud800b\\udc00\\ud800\\u0041\"");

    private readonly Random _random = new(seed);

    /// <summary>One mutated body and what was done, for the failure report.</summary>
    public (byte[] Body, string Description) Next()
    {
        var root = ClaudeCodeRequest.Parse();
        if (_random.Next(2) == 0)
        {
            root["stream"] = false;
        }

        var description = new StringBuilder();
        int structural = _random.Next(0, 3);
        for (int i = 0; i < structural; i++)
        {
            description.Append(MutateTree(root)).Append("; ");
        }

        byte[] body = Render(root.ToJsonString());
        if (_random.Next(4) == 0 || structural == 0)
        {
            (body, var what) = MutateBytes(body);
            description.Append(what);
        }

        return (body, description.ToString());
    }

    /// <summary>Serialized JSON with the markers replaced by their raw forms.</summary>
    public static byte[] Render(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        bytes = Replace(bytes, "\"" + DeepMarker + "\"", Encoding.ASCII.GetBytes(new string('[', 5000) + new string(']', 5000)));
        bytes = Replace(bytes, "\"" + BadUtf8Marker + "\"", BadUtf8);
        return Replace(bytes, "\"" + SurrogateMarker + "\"", LoneSurrogate);
    }

    public static List<(JsonNode? Parent, object Key, JsonNode? Node, string Path)> Nodes(JsonNode root)
    {
        var all = new List<(JsonNode?, object, JsonNode?, string)>();
        Walk(null, "", root, "$", all);
        return all;
    }

    public static void Set(JsonNode? parent, object key, JsonNode? value)
    {
        switch (parent)
        {
            case JsonObject o:
                o[(string)key] = value;
                break;
            case JsonArray a:
                a[(int)key] = value;
                break;
        }
    }

    private string MutateTree(JsonObject root)
    {
        var nodes = Nodes(root);
        var (parent, key, node, path) = nodes[_random.Next(1, nodes.Count)];
        int kind = _random.Next(9);
        switch (kind)
        {
            case 0:
                if (parent is JsonObject o)
                {
                    o.Remove((string)key);
                }
                else if (parent is JsonArray a)
                {
                    a.RemoveAt((int)key);
                }

                return $"remove {path}";
            case 1:
                var wrong = WrongValue();
                Set(parent, key, wrong);
                return $"{path} = {wrong?.ToJsonString() ?? "null"}";
            case 2:
                Set(parent, key, new string('x', _random.Next(1, 4) * 100_000));
                return $"{path} = huge string";
            case 3:
                var array = new JsonArray();
                for (int i = 0; i < 20_000; i++)
                {
                    array.Add(_random.Next(2) == 0 ? JsonValue.Create(i) : new JsonObject { ["type"] = "text", ["text"] = "a" });
                }

                Set(parent, key, array);
                return $"{path} = huge array";
            case 4:
                Set(parent, key, DeepMarker);
                return $"{path} = 5000-deep array";
            case 5:
                Set(parent, key, BadUtf8Marker);
                return $"{path} = invalid UTF-8";
            case 6:
                Set(parent, key, SurrogateMarker);
                return $"{path} = lone surrogates";
            case 7:
                if (node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
                {
                    string s = v.GetValue<string>();
                    Set(parent, key, s.Length > 1 ? s[.._random.Next(s.Length)] + "\u0000\u001b\u2028" : "");
                    return $"{path} cut + control characters";
                }

                Set(parent, key, new JsonObject { ["unexpected"] = new JsonArray(1, "two", null) });
                return $"{path} = object";
            default:
                var numbers = new[] { "1e400", "-1", "0", "99999999999999999999999", "-0.5", "1.5" };
                string n = numbers[_random.Next(numbers.Length)];
                Set(parent, key, JsonNode.Parse(n.Contains('e') ? "1e300" : n));
                return $"{path} = {n}";
        }
    }

    private JsonNode? WrongValue() => _random.Next(10) switch
    {
        0 => JsonValue.Create(42),
        1 => JsonValue.Create(true),
        2 => null,
        3 => JsonValue.Create("str"),
        4 => new JsonArray(),
        5 => new JsonObject(),
        6 => new JsonArray(1, "a", null),
        7 => new JsonObject { ["type"] = "nonsense" },
        8 => JsonValue.Create(-1.5e10),
        _ => new JsonObject { ["type"] = "text" },
    };

    private (byte[], string) MutateBytes(byte[] body)
    {
        switch (_random.Next(3))
        {
            case 0:
                int cut = _random.Next(body.Length);
                return (body[..cut], $"truncated at {cut}");
            case 1:
                var flipped = (byte[])body.Clone();
                int flips = _random.Next(1, 6);
                for (int i = 0; i < flips; i++)
                {
                    flipped[_random.Next(flipped.Length)] = (byte)_random.Next(256);
                }

                return (flipped, $"{flips} bytes flipped");
            default:
                var garbage = new byte[_random.Next(1, 64)];
                _random.NextBytes(garbage);
                int at = _random.Next(body.Length);
                return ([.. body[..at], .. garbage, .. body[at..]], $"{garbage.Length} garbage bytes at {at}");
        }
    }

    private static void Walk(JsonNode? parent, object key, JsonNode? node, string path, List<(JsonNode?, object, JsonNode?, string)> all)
    {
        all.Add((parent, key, node, path));
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    Walk(o, name, child, path + "." + name, all);
                }

                break;
            case JsonArray a:
                for (int i = 0; i < a.Count; i++)
                {
                    Walk(a, i, a[i], $"{path}[{i}]", all);
                }

                break;
        }
    }

    private static byte[] Replace(byte[] bytes, string marker, byte[] with)
    {
        var needle = Encoding.UTF8.GetBytes(marker);
        if (bytes.AsSpan().IndexOf(needle) < 0)
        {
            return bytes;
        }

        var output = new List<byte>(bytes.Length);
        for (int i = 0; i < bytes.Length;)
        {
            if (bytes.AsSpan(i).StartsWith(needle))
            {
                output.AddRange(with);
                i += needle.Length;
            }
            else
            {
                output.Add(bytes[i++]);
            }
        }

        return [.. output];
    }
}

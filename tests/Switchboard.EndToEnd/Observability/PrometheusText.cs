using System.Globalization;

namespace Switchboard.EndToEnd.Observability;

/// <summary>A scrape in Prometheus' text format, read into samples: name, labels, value.</summary>
internal sealed class PrometheusText
{
    private PrometheusText(IReadOnlyList<Sample> samples, string text)
    {
        Samples = samples;
        Text = text;
    }

    public IReadOnlyList<Sample> Samples { get; }

    public string Text { get; }

    public static PrometheusText Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            string name;
            string rest;
            if (brace >= 0)
            {
                name = line[..brace];
                var close = line.LastIndexOf('}');
                ReadLabels(line[(brace + 1)..close], labels);
                rest = line[(close + 1)..].Trim();
            }
            else
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }

            var value = rest.Split(' ')[0];
            samples.Add(new Sample(name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            }));
        }

        return new PrometheusText(samples, text);
    }

    /// <summary>The sum of every sample named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) =>
        Matching(name, labels).Sum(s => s.Value);

    public IEnumerable<Sample> Matching(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value));

    private static void ReadLabels(string body, Dictionary<string, string> labels)
    {
        var i = 0;
        while (i < body.Length)
        {
            var equals = body.IndexOf('=', i);
            var key = body[i..equals].Trim().Trim(',').Trim();
            var start = equals + 2; // after ="
            var value = new System.Text.StringBuilder();
            var j = start;
            for (; j < body.Length && body[j] != '"'; j++)
            {
                if (body[j] == '\\' && j + 1 < body.Length)
                {
                    j++;
                    value.Append(body[j] == 'n' ? '\n' : body[j]);
                    continue;
                }

                value.Append(body[j]);
            }

            labels[key] = value.ToString();
            i = j + 1;
            while (i < body.Length && (body[i] == ',' || body[i] == ' '))
            {
                i++;
            }
        }
    }

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}

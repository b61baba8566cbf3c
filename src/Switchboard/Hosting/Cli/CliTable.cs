namespace Switchboard.Hosting.Cli;

/// <summary>A plain text table: a header row, columns padded to their widest cell, numbers right-aligned.</summary>
internal sealed class CliTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];
    private readonly bool[] _right = new bool[headers.Length];

    public CliTable RightAlign(params int[] columns)
    {
        foreach (var column in columns)
        {
            _right[column] = true;
        }

        return this;
    }

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Write(TextWriter output)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        foreach (var row in _rows.Prepend(headers))
        {
            var cells = row.Select((cell, i) => _right[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            output.WriteLine(string.Join("  ", cells).TrimEnd());
        }
    }
}

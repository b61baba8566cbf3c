namespace Switchboard.EndToEnd.Fixtures;

/// <summary>Reads the request log line's <c>name=value</c> fields.</summary>
public static class LogLine
{
    /// <summary>The value of <paramref name="name"/> in <paramref name="line"/> (up to the next space).</summary>
    public static string Field(string line, string name)
    {
        var start = line.IndexOf(name + "=", StringComparison.Ordinal) + name.Length + 1;
        var end = line.IndexOf(' ', start);
        return end < 0 ? line[start..] : line[start..end];
    }
}

using System.Text.Json.Nodes;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>The recorded 85 KB Claude Code request in bench/fixtures, the seed of the mutation fuzzer.</summary>
internal static class ClaudeCodeRequest
{
    private static readonly Lazy<byte[]> Bytes = new(() => File.ReadAllBytes(Path.Combine(RepositoryRoot(), "bench", "fixtures", "claude-code-request.json")));

    public static byte[] Raw => Bytes.Value;

    /// <summary>A fresh, mutable copy.</summary>
    public static JsonObject Parse() => JsonNode.Parse(Raw)!.AsObject();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Switchboard.slnx not found above " + AppContext.BaseDirectory);
    }
}

using System.Text.Json;

namespace Switchboard.Configuration;

/// <summary>
/// Reads a JSON configuration file up front so a missing file or a syntax error is reported as one line with the
/// full path and the line and position, instead of the configuration system's exception.
/// </summary>
public static class JsonConfigFile
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The problem with the file at <paramref name="fullPath"/>, or null when it reads as JSON.</summary>
    public static string? Problem(string fullPath, bool optional)
    {
        if (!File.Exists(fullPath))
        {
            return optional ? null
                : Directory.Exists(fullPath) ? $"configuration file {fullPath} is a directory, not a JSON file"
                : $"configuration file not found: {fullPath}";
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(fullPath), Lenient);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? null
                : $"configuration file {fullPath}: the top level must be a JSON object {{ … }}";
        }
        catch (JsonException failure)
        {
            // JsonException counts lines and bytes from 0; editors count from 1.
            var where = failure.LineNumber is { } line ? $"line {line + 1}, position {(failure.BytePositionInLine ?? 0) + 1}: " : "";
            var reason = failure.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd('.', ' ');
            return $"configuration file {fullPath} is not valid JSON: {where}{reason}";
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            return $"configuration file {fullPath} cannot be read: {failure.Message}";
        }
    }
}

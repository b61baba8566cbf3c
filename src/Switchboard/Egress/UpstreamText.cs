using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Egress;

/// <summary>
/// Makes text an upstream sent safe to pass on. A client sees at most one short line with credentials, token-like
/// runs, URLs, addresses and file paths taken out, and nothing that looks like a stack trace; the log gets the
/// whole body, cut to a bounded length, with credentials taken out and control characters escaped.
/// </summary>
public static partial class UpstreamText
{
    /// <summary>Longest upstream reason shown to a client.</summary>
    public const int MaxClientLength = 300;

    /// <summary>Longest upstream body written to the log.</summary>
    public const int MaxLogLength = 2000;

    private const string Redacted = "[redacted]";

    /// <summary>The upstream's reason, fit for a client, or null when nothing safe and useful is left.</summary>
    public static string? ForClient(string? message)
    {
        if (string.IsNullOrWhiteSpace(message) || StackTrace().IsMatch(message))
        {
            return null;
        }

        var line = message.AsSpan().Trim();
        var newline = line.IndexOfAny('\r', '\n');
        if (newline >= 0)
        {
            line = line[..newline].TrimEnd();
        }

        var text = Redact(WithoutControls(line.ToString()));
        text = Url().Replace(text, "[url]");
        text = Address().Replace(text, "[address]");
        text = FilePath().Replace(text, "[path]");
        text = Spaces().Replace(text, " ").Trim();
        if (text.Length == 0)
        {
            return null;
        }

        return text.Length <= MaxClientLength ? text : string.Concat(text.AsSpan(0, MaxClientLength), "…");
    }

    /// <summary>The upstream's body for a warning line: bounded, credentials removed, control characters escaped.</summary>
    public static string ForLog(ReadOnlySpan<byte> body)
    {
        var cut = body.Length > MaxLogLength * 4 ? body[..(MaxLogLength * 4)] : body;
        var text = Encoding.UTF8.GetString(cut);
        if (text.Length > MaxLogLength)
        {
            text = string.Concat(text.AsSpan(0, MaxLogLength), "…");
        }
        else if (cut.Length < body.Length)
        {
            text += "…";
        }

        return Escape(Redact(text));
    }

    /// <summary>Takes out credentials and anything shaped like a token.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = AuthScheme().Replace(text, m => m.Groups["scheme"].Value + " " + Redacted);
        text = KeyValue().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Redacted);
        text = PrefixedKey().Replace(text, Redacted);
        text = Jwt().Replace(text, Redacted);
        text = LongRun().Replace(text, Redacted);
        return text;
    }

    private static string WithoutControls(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    private static string Escape(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"Traceback \(most recent call last\)|^\s*File ""|\n\s+at \S+\(|Exception in thread|panicked at", RegexOptions.Multiline)]
    private static partial Regex StackTrace();

    [GeneratedRegex(@"(?<scheme>Bearer|Basic|Token)\s+\S+", RegexOptions.IgnoreCase)]
    private static partial Regex AuthScheme();

    [GeneratedRegex(@"\b(?<name>x-api-key|api[_\-]?key|apikey|key|access[_\-]?token|auth[_\-]?token|token|secret|client[_\-]?secret|password|passwd|authorization)(?<sep>[""']?\s*[=:]\s*[""']?)[^\s""',;&]+", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"\b(?:sk|pk|rk|hf|gsk|xai|ghp|gho|github_pat|glpat|AKIA)[-_][A-Za-z0-9_\-]{6,}|\bAKIA[A-Z0-9]{12,}")]
    private static partial Regex PrefixedKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*")]
    private static partial Regex Jwt();

    /// <summary>
    /// Hex of 24+ characters, or 32+ of letters and digits mixed (base64, a key, a session id): never a useful reason.
    /// Slashes end a run, so file paths stay readable in the log.
    /// </summary>
    [GeneratedRegex(@"\b[0-9a-fA-F]{24,}\b|\b(?=[A-Za-z0-9+_\-]*\d)(?=[A-Za-z0-9+_\-]*[A-Za-z])[A-Za-z0-9+_\-]{32,}={0,2}")]
    private static partial Regex LongRun();

    [GeneratedRegex(@"\b[a-z][a-z0-9+.\-]*://[^\s""'<>]+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b|\[[0-9a-fA-F:]+\](?::\d+)?|\b(?:localhost|[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.(?:internal|local|lan|svc|cluster\.local)):\d+\b", RegexOptions.IgnoreCase)]
    private static partial Regex Address();

    [GeneratedRegex(@"(?:[A-Za-z]:\\|~/|/(?:usr|home|opt|app|root|tmp|var|srv|mnt|workspace|etc|data|models|proc|run|lib|src)/)[^\s""':,;)]*")]
    private static partial Regex FilePath();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();
}

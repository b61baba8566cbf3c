namespace Switchboard.Configuration;

/// <summary>The rules for the settings of an Anthropic-compatible upstream (<c>Api = "anthropic"</c>).</summary>
internal static class AnthropicUpstreamRules
{
    public const string Api = "anthropic";

    public static void Check(string path, UpstreamOptions upstream, List<string> problems)
    {
        var anthropic = string.Equals(upstream.Api, Api, StringComparison.OrdinalIgnoreCase);
        if (upstream.KeyHeader is not ("x-api-key" or "bearer"))
        {
            problems.Add($"{path}:KeyHeader: '{upstream.KeyHeader}' is not one of x-api-key, bearer");
        }

        if (string.IsNullOrWhiteSpace(upstream.AnthropicVersion) || !IsToken(upstream.AnthropicVersion))
        {
            problems.Add($"{path}:AnthropicVersion: '{upstream.AnthropicVersion}' is not a version such as 2023-06-01");
        }

        foreach (var (name, value) in upstream.Headers)
        {
            if (!IsToken(name))
            {
                problems.Add($"{path}:Headers: '{name}' is not a valid header name");
            }
            else if (IsReserved(name))
            {
                problems.Add($"{path}:Headers:{name}: set by Switchboard itself (the key goes in ApiKey, the version in AnthropicVersion)");
            }

            if (value.Any(c => c is '\r' or '\n' or '\0'))
            {
                problems.Add($"{path}:Headers:{name}: the value must be one line");
            }
        }

        if (upstream.AllowServerTools && !anthropic)
        {
            problems.Add($"{path}:AllowServerTools: only an upstream with Api 'anthropic' can run Anthropic's server tools or read PDFs");
        }
    }

    private static bool IsReserved(string name) =>
        name.Equals("host", StringComparison.OrdinalIgnoreCase) || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-type", StringComparison.OrdinalIgnoreCase) || name.Equals("authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("x-api-key", StringComparison.OrdinalIgnoreCase) || name.Equals("anthropic-version", StringComparison.OrdinalIgnoreCase)
        || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase);

    /// <summary>An HTTP token: visible ASCII without separators.</summary>
    private static bool IsToken(string value) =>
        value.Length > 0 && value.All(c => c > ' ' && c < 127 && !"()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal));
}

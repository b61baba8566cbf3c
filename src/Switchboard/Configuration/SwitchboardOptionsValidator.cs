using System.Net;
using Microsoft.Extensions.Options;

namespace Switchboard.Configuration;

/// <summary>
/// The rules bound options must meet before Switchboard listens: every upstream reachable by a valid URL and a known
/// API, every model with a unique name on a configured upstream and a known profile, sane numbers. All problems are
/// reported together, each naming its key path.
/// </summary>
public sealed class SwitchboardOptionsValidator(IReadOnlyCollection<string> knownProfiles, IReadOnlyCollection<string> knownApis)
    : IValidateOptions<SwitchboardOptions>
{
    private const string Root = SwitchboardOptions.Section;

    public ValidateOptionsResult Validate(string? name, SwitchboardOptions options) =>
        Problems(options) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;

    public List<string> Problems(SwitchboardOptions options)
    {
        var problems = new List<string>();
        CheckServer(options, problems);
        foreach (var (name, upstream) in options.Upstreams)
        {
            CheckUpstream($"{Root}:Upstreams:{name}", upstream, problems);
        }

        CheckModels(options, problems);
        LedgerOptionsRules.Check(options, problems);
        PoolOptionsRules.Check(options, problems);
        StoredResponsesOptionsRules.Check(options, problems);
        TelemetryOptionsRules.Check(options, problems);
        BatchesOptionsRules.Check(options, problems);
        WebSearchOptionsRules.Check(options, problems);
        WebFetchOptionsRules.Check(options, problems);
        ReloadOptionsRules.Check(options, problems);
        for (var i = 0; i < options.Cors.AllowedOrigins.Count; i++)
        {
            var origin = options.Cors.AllowedOrigins[i];
            if (origin != "*" && !IsOrigin(origin))
            {
                problems.Add($"{Root}:Cors:AllowedOrigins:{i}: '{origin}' is not an origin; expected scheme://host[:port] with no path, e.g. https://chat.example.com, or *");
            }
        }

        return problems;
    }

    private static void CheckServer(SwitchboardOptions options, List<string> problems)
    {
        if (options.Port is < 0 or > 65535)
        {
            problems.Add($"{Root}:Port: {options.Port} is not a port number (0-65535; 0 picks a free port)");
        }

        if (options.Host is { Length: > 0 } host && host != "localhost" && !IPAddress.TryParse(host, out _))
        {
            problems.Add($"{Root}:Host: '{host}' is not an IP address or 'localhost' (e.g. 127.0.0.1, 0.0.0.0, ::)");
        }
        else if (options.ApiKeys.Count == 0 && options.Host is { Length: > 0 } open && open != "localhost"
            && IPAddress.TryParse(open, out var address) && !IPAddress.IsLoopback(address)
            && options.Admin.Token is not { Length: > 0 } && options.Storage.PostgreSql is not { Length: > 0 })
        {
            // With an admin token or a shared store, keys are managed in the store: until one exists, only loopback
            // clients are served (the key middleware refuses the others).
            problems.Add($"{Root}:Host: '{open}' would expose a gateway without API keys to the network; set ApiKeys (--api-key), "
                + "or keep keys in the store (--admin-token, or a shared --postgres store) and create one, or listen on loopback");
        }

        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.ApiKeys[i]))
            {
                problems.Add($"{Root}:ApiKeys:{i}: an API key must not be empty");
            }
        }

        if (options.MaxRequestBodyBytes <= 0)
        {
            problems.Add($"{Root}:MaxRequestBodyBytes: must be greater than 0");
        }

        if (options.Streaming.PingIntervalSeconds <= 0)
        {
            problems.Add($"{Root}:Streaming:PingIntervalSeconds: must be greater than 0");
        }
    }

    private void CheckUpstream(string path, UpstreamOptions upstream, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(upstream.BaseUrl))
        {
            problems.Add($"{path}:BaseUrl: required (an OpenAI-compatible base URL such as http://127.0.0.1:8000/v1)");
        }
        else if (!IsHttpUrl(upstream.BaseUrl))
        {
            problems.Add($"{path}:BaseUrl: '{upstream.BaseUrl}' is not an http(s) URL (e.g. http://127.0.0.1:8000/v1)");
        }

        if (!knownApis.Contains(upstream.Api, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"{path}:Api: unknown API '{upstream.Api}'{DidYouMean.Hint(upstream.Api, knownApis)}; known: {string.Join(", ", knownApis)}");
        }

        if (upstream.ConnectTimeoutSeconds <= 0)
        {
            problems.Add($"{path}:ConnectTimeoutSeconds: must be greater than 0");
        }

        if (upstream.TimeoutSeconds <= 0)
        {
            problems.Add($"{path}:TimeoutSeconds: must be greater than 0");
        }

        if (upstream.Tokenizer is not ("auto" or "estimate"))
        {
            problems.Add($"{path}:Tokenizer: '{upstream.Tokenizer}' is not one of auto, estimate");
        }

        AnthropicUpstreamRules.Check(path, upstream, problems);
    }

    private void CheckModels(SwitchboardOptions options, List<string> problems)
    {
        // Names and exact aliases claimed so far: a later model claiming one again could never be reached.
        var claimed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var upstreamNames = options.Upstreams.Keys.ToList();
        for (var i = 0; i < options.Models.Count; i++)
        {
            var model = options.Models[i];
            var path = $"{Root}:Models:{i}";
            if (string.IsNullOrWhiteSpace(model.Name))
            {
                problems.Add($"{path}:Name: required (the public model id clients ask for)");
            }
            else if (!claimed.TryAdd(model.Name, $"{path}:Name"))
            {
                problems.Add($"{path}:Name: '{model.Name}' is already used by {claimed[model.Name]}");
            }

            for (var a = 0; a < model.Aliases.Count; a++)
            {
                var alias = model.Aliases[a];
                if (alias.Contains('*', StringComparison.Ordinal) || alias.Contains('?', StringComparison.Ordinal))
                {
                    continue;
                }

                if (!claimed.TryAdd(alias, $"{path}:Aliases:{a}"))
                {
                    problems.Add($"{path}:Aliases:{a}: '{alias}' is already used by {claimed[alias]}");
                }
            }

            CheckModelUpstream(path, model, upstreamNames, problems);
            if (model.Profile is { } profile && !knownProfiles.Contains(profile, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{path}:Profile: unknown profile '{profile}'{DidYouMean.Hint(profile, knownProfiles)}. Known profiles: {string.Join(", ", knownProfiles)}");
            }

            if (model.MaxOutputTokens is <= 0)
            {
                problems.Add($"{path}:MaxOutputTokens: must be greater than 0");
            }

            if (model.ContextLength is <= 0)
            {
                problems.Add($"{path}:ContextLength: must be greater than 0");
            }
        }
    }

    private static void CheckModelUpstream(string path, ModelOptions model, List<string> upstreamNames, List<string> problems)
    {
        if (model.Targets.Count > 0)
        {
            // A pool: its targets are checked by PoolOptionsRules.
            return;
        }

        if (model.Upstream is { Length: > 0 } upstream)
        {
            if (!upstreamNames.Contains(upstream, StringComparer.OrdinalIgnoreCase))
            {
                var known = upstreamNames.Count == 0 ? "no upstream is configured" : "configured: " + string.Join(", ", upstreamNames);
                problems.Add($"{path}:Upstream: unknown upstream '{upstream}'{DidYouMean.Hint(upstream, upstreamNames)}; {known}");
            }
        }
        else if (upstreamNames.Count == 0)
        {
            problems.Add($"{path}: model '{model.Name}' has no upstream to run on; configure {Root}:Upstreams or pass --upstream URL");
        }
        else if (upstreamNames.Count > 1)
        {
            problems.Add($"{path}:Upstream: required when more than one upstream is configured ({string.Join(", ", upstreamNames)})");
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    private static bool IsOrigin(string value) =>
        IsHttpUrl(value) && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.AbsolutePath == "/"
        && !value.EndsWith('/') && uri.Query.Length == 0 && uri.Fragment.Length == 0;
}

namespace Switchboard.Configuration;

/// <summary>The rules for the web search backend, part of <see cref="SwitchboardOptionsValidator"/>.</summary>
internal static class WebSearchOptionsRules
{
    public static readonly string[] Providers = ["searxng", "brave", "tavily", "exa"];

    public static void Check(SwitchboardOptions options, List<string> problems)
    {
        var search = options.WebSearch;
        var at = $"{SwitchboardOptions.Section}:WebSearch";
        if (string.IsNullOrWhiteSpace(search.Provider))
        {
            if (!string.IsNullOrWhiteSpace(search.Url) || !string.IsNullOrWhiteSpace(search.ApiKey))
            {
                problems.Add($"{at}:Provider: set it to one of {string.Join(", ", Providers)} (a Url or ApiKey is configured without one)");
            }

            return;
        }

        var provider = search.Provider.Trim().ToLowerInvariant();
        if (!Providers.Contains(provider))
        {
            problems.Add($"{at}:Provider: '{search.Provider}' is not one of {string.Join(", ", Providers)}{DidYouMean.Hint(search.Provider, Providers)}");
            return;
        }

        if (provider == "searxng" && string.IsNullOrWhiteSpace(search.Url))
        {
            problems.Add($"{at}:Url: SearXNG needs the instance's base URL, e.g. http://searxng:8080 (its JSON format must be enabled)");
        }

        if (provider != "searxng" && string.IsNullOrWhiteSpace(search.ApiKey))
        {
            problems.Add($"{at}:ApiKey: the {provider} search API needs a key");
        }

        if (!string.IsNullOrWhiteSpace(search.Url)
            && !(Uri.TryCreate(search.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
        {
            problems.Add($"{at}:Url: '{search.Url}' is not an absolute http(s) URL");
        }

        if (search.MaxResults is < 1 or > 20)
        {
            problems.Add($"{at}:MaxResults: must be between 1 and 20 (default 5)");
        }

        if (!(search.TimeoutSeconds > 0))
        {
            problems.Add($"{at}:TimeoutSeconds: must be a positive number of seconds (default 10)");
        }

        if (search.MaxResultChars < 100)
        {
            problems.Add($"{at}:MaxResultChars: must be at least 100 (default 2000)");
        }

        if (search.MaxQueryChars < 1)
        {
            problems.Add($"{at}:MaxQueryChars: must be at least 1 (default 400)");
        }

        if (search.MaxUsesPerRequest is < 1 or > 50)
        {
            problems.Add($"{at}:MaxUsesPerRequest: must be between 1 and 50 (default 8)");
        }
    }
}

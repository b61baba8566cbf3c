using System.Net;
using System.Text.Json;

namespace Switchboard.ServerTools.Search;

/// <summary>
/// The HTTP exchange every backend shares: a time limit, and the backend's failures turned into error codes
/// (<c>too_many_requests</c> for 429, <c>unavailable</c> for anything else). The backend's address and body never
/// reach the client; the detail is for the log.
/// </summary>
internal static class SearchHttp
{
    public static async Task<JsonDocument> SendAsync(HttpClient http, HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new SearchBackendException("too_many_requests", "the search backend answered 429");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SearchBackendException("unavailable", $"the search backend answered {(int)response.StatusCode}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(limit.Token);
            return await JsonDocument.ParseAsync(body, default, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SearchBackendException("unavailable", "the search backend did not answer in time");
        }
        catch (HttpRequestException failure)
        {
            throw new SearchBackendException("unavailable", $"the search backend could not be reached ({failure.HttpRequestError})");
        }
        catch (JsonException)
        {
            throw new SearchBackendException("unavailable", "the search backend's answer is not JSON");
        }
    }

    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>
    /// The results at <paramref name="path"/> in the shape every backend reads: a URL is required, the rest may be
    /// missing. No list at all (Brave leaves <c>web</c> out when nothing matched) is no results; a list of another
    /// type is a backend failure.
    /// </summary>
    public static List<SearchHit> Read(JsonElement root, string[] path, string textField, string? dateField, string? altTextField = null)
    {
        var hits = new List<SearchHit>();
        var at = root;
        foreach (var name in path)
        {
            if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(name, out at))
            {
                return hits;
            }
        }

        if (at.ValueKind != JsonValueKind.Array)
        {
            throw new SearchBackendException("unavailable", "the search backend's answer has no result list");
        }

        foreach (var item in at.EnumerateArray())
        {
            if (String(item, "url") is not { Length: > 0 } url)
            {
                continue;
            }

            var text = String(item, textField) ?? (altTextField is null ? null : String(item, altTextField)) ?? "";
            hits.Add(new SearchHit(url, String(item, "title") ?? url, text, dateField is null ? null : String(item, dateField)));
        }

        return hits;
    }

    /// <summary>Domain operators for backends that search by query text only (SearXNG, Brave).</summary>
    public static string WithSites(string query, IReadOnlyList<string>? allowed) => allowed is not { Count: > 0 }
        ? query
        : allowed.Count == 1 ? $"{query} site:{allowed[0]}" : $"{query} ({string.Join(" OR ", allowed.Select(static d => "site:" + d))})";
}

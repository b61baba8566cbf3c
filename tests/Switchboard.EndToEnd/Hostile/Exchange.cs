using System.Net.Http.Headers;
using System.Text;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>One request and what came back, read to the end.</summary>
internal sealed record Exchange(string Path, int Status, Dictionary<string, string> Headers, string Body, string What)
{
    public static async Task<Exchange> PostAsync(HttpClient http, string path, byte[] body, string? contentType, string what, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("content-type", contentType);
        }

        return await SendAsync(http, request, what, ct);
    }

    public static Task<Exchange> PostAsync(HttpClient http, string path, string body, string what = "", CancellationToken ct = default) =>
        PostAsync(http, path, Encoding.UTF8.GetBytes(body), "application/json", what, ct);

    public static async Task<Exchange> SendAsync(HttpClient http, HttpRequestMessage request, string what, CancellationToken ct = default)
    {
        string path = request.RequestUri?.OriginalString ?? "";
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            string body = await response.Content.ReadAsStringAsync(ct);
            return new Exchange(path, (int)response.StatusCode, Envelope.HeadersOf(response), body, what);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            // A reset or a hang is a failure like a 5xx; record it as status 0 so the report names it.
            return new Exchange(path, 0, [], e.GetType().Name + ": " + e.Message, what);
        }
    }

    /// <summary>What is wrong with this as the answer to a client's mistake (or to a request that is fine).</summary>
    public List<string> ClientMistakeProblems()
    {
        if (Status == 0)
        {
            return [$"no response ({Body})"];
        }

        if (Status >= 500)
        {
            return [$"{Status} for a client mistake: {Envelope.Short(Body)}"];
        }

        if (Status >= 400)
        {
            return Envelope.Problems(Status, Headers, Body, Envelope.For(Path));
        }

        return Headers.TryGetValue("request-id", out var id) && id.Length > 0 ? [] : [$"{Status} without a request-id header"];
    }

    public override string ToString() => $"{What} → {Status}";
}

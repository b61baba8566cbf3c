using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenAI.Responses;
using Switchboard.EndToEnd.Fixtures;

#pragma warning disable OPENAI001 // The Responses client is marked experimental.

namespace Switchboard.EndToEnd.OpenAIResponses;

/// <summary>
/// The official OpenAI .NET SDK's Responses client pointed at a <see cref="SwitchboardHost"/> (base URL with
/// <c>/v1</c>, retries off so each error is observed as it is), and a raw client for what the SDK cannot send
/// (namespace tools, Codex's fields) or hides (the SSE wire).
/// </summary>
internal static class ResponsesSdk
{
    public static ResponsesClient For(SwitchboardHost host, string apiKey = SwitchboardHost.ApiKey) =>
        new(new ApiKeyCredential(apiKey), new ResponsesClientOptions
        {
            Endpoint = new Uri(host.BaseUrl + "/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(60),
        });

    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/> with a Bearer key.</summary>
    public static async Task<HttpResponseMessage> PostAsync(SwitchboardHost host, string body, string apiKey = SwitchboardHost.ApiKey, string path = "/v1/responses")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, host.BaseUrl + path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
    }

    /// <summary>The events of a streamed answer (<c>event:</c> name and parsed <c>data:</c>), in order.</summary>
    public static async Task<List<(string Name, JsonElement Data)>> StreamAsync(SwitchboardHost host, string body)
    {
        using var response = await PostAsync(host, body);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return Events(await response.Content.ReadAsStringAsync());
    }

    public static List<(string Name, JsonElement Data)> Events(string sse)
    {
        var events = new List<(string, JsonElement)>();
        foreach (var block in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.FirstOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal))?["event: ".Length..];
            var data = lines.FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal))?["data: ".Length..];
            if (name is not null && data is not null)
            {
                events.Add((name, JsonDocument.Parse(data).RootElement.Clone()));
            }
        }

        return events;
    }

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}

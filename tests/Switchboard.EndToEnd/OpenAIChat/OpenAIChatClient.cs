using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Switchboard.EndToEnd.Fixtures;

namespace Switchboard.EndToEnd.OpenAIChat;

/// <summary>
/// The official OpenAI .NET SDK pointed at a <see cref="SwitchboardHost"/> the way its users point it: base URL
/// with <c>/v1</c>, the Switchboard key as the API key, retries off so each error is observed as it is; and a raw
/// client for what the SDK does not expose (<c>reasoning_content</c>, the SSE wire).
/// </summary>
internal static class OpenAIChatClient
{
    public static ChatClient For(SwitchboardHost host, string model = SwitchboardHost.Model, string apiKey = SwitchboardHost.ApiKey) =>
        new(model, new ApiKeyCredential(apiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(host.BaseUrl + "/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(60),
        });

    public static ChatTool WeatherTool() => ChatTool.CreateFunctionTool(
        "get_weather",
        "The current weather in a city",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    /// <summary>POSTs <paramref name="body"/> to <c>/v1/chat/completions</c> with a Bearer key.</summary>
    public static async Task<HttpResponseMessage> PostAsync(SwitchboardHost host, string body, string apiKey = SwitchboardHost.ApiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, host.BaseUrl + "/v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        return response;
    }

    /// <summary>The <c>data:</c> payloads of a streamed answer, in order (comments and blank lines left out).</summary>
    public static async Task<List<string>> StreamDataAsync(SwitchboardHost host, string body)
    {
        using var response = await PostAsync(host, body);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return DataLines(await response.Content.ReadAsStringAsync());
    }

    public static List<string> DataLines(string sse) =>
        sse.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..]).ToList();

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>A request body with one user message and the weather tool.</summary>
    public static string WeatherRequest(string model, bool stream, bool includeUsage = false) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["model"] = model,
        ["stream"] = stream,
        ["stream_options"] = includeUsage ? new { include_usage = true } : null,
        ["messages"] = new[] { new { role = "user", content = "What's the weather in Oslo?" } },
        ["tools"] = new[]
        {
            new
            {
                type = "function",
                function = new
                {
                    name = "get_weather",
                    description = "The current weather in a city",
                    parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } },
                },
            },
        },
    }, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
}

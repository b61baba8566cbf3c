using Microsoft.AspNetCore.Http;

namespace Switchboard.FakeUpstream;

/// <summary>The plain answers real servers give outside the scripted replies.</summary>
internal static class PlainAnswers
{
    /// <summary>vLLM's API-key middleware.</summary>
    public static Task Unauthorized(HttpContext http)
    {
        http.Response.StatusCode = 401;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync("{\"error\":\"Unauthorized\"}", http.RequestAborted);
    }

    /// <summary>Anthropic's answer to a missing or wrong <c>x-api-key</c>.</summary>
    public static Task AnthropicUnauthorized(HttpContext http)
    {
        http.Response.StatusCode = 401;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(
            "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}", http.RequestAborted);
    }

    /// <summary>FastAPI's 404 (vLLM, SGLang), or Go's plain-text one for a server without tokenizer endpoints (Ollama).</summary>
    public static Task NotFound(HttpContext http, TokenizerStyle style)
    {
        http.Response.StatusCode = 404;
        if (style == TokenizerStyle.None)
        {
            http.Response.ContentType = "text/plain";
            return http.Response.WriteAsync("404 page not found", http.RequestAborted);
        }

        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync("{\"detail\":\"Not Found\"}", http.RequestAborted);
    }
}

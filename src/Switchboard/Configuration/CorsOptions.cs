namespace Switchboard.Configuration;

/// <summary>Browser clients allowed to call Switchboard from a web page (the <c>Switchboard:Cors</c> section).</summary>
public sealed class CorsOptions
{
    /// <summary>
    /// Origins such as <c>https://chat.example.com</c> or <c>http://localhost:5173</c>; <c>*</c> allows every origin.
    /// Empty: no CORS headers, and without API keys a request from any non-loopback origin is refused.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];
}

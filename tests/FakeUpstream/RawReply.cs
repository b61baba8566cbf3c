using Microsoft.AspNetCore.Http;

namespace Switchboard.FakeUpstream;

/// <summary>A body sent exactly as scripted: a stream of garbage, a stream that just stops, JSON that is no completion.</summary>
internal static class RawReply
{
    public static async Task WriteAsync(HttpContext http, ScriptedReply reply)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = reply.RawContentType;
        await http.Response.WriteAsync(reply.RawBody!, http.RequestAborted);
    }
}

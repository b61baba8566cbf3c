using System.Text;
using Microsoft.AspNetCore.Http;

namespace Switchboard.FakeUpstream;

/// <summary>Plays a <see cref="ScriptedFault"/>.</summary>
internal static class FaultReply
{
    private static readonly byte[][] GarbageEvents =
    [
        "data: {\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\n\n"u8.ToArray(),
        "data: \u0000\u0001\u00ff not json at all\n\n"u8.ToArray(),
        [0x64, 0x61, 0x74, 0x61, 0x3a, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a, 0x0a],
        "event: mystery\ndata: 42\n\n"u8.ToArray(),
        "data: [1,2,3]\n\n"u8.ToArray(),
        ": comment only\n\n"u8.ToArray(),
        "data: [DONE]\n\n"u8.ToArray(),
    ];

    private static readonly byte[] StalledStreamStart =
        ("data: {\"id\":\"chatcmpl-stall\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"u8
        + "data: {\"id\":\"chatcmpl-stall\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Begins and then\"},\"finish_reason\":null}]}\n\n"u8).ToArray();

    private static readonly byte[] StalledBodyStart =
        "{\"id\":\"chatcmpl-stall\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Begins and then"u8.ToArray();

    public static async Task WriteAsync(HttpContext http, ScriptedFault fault, RecordedRequest recorded)
    {
        var response = http.Response;
        var ct = http.RequestAborted;
        switch (fault.Kind)
        {
            case FaultKind.ResetBeforeHeaders:
                recorded.SetOutcome(RequestOutcome.ServerAborted);
                http.Abort();
                return;
            case FaultKind.Garbage when recorded.IsStreaming:
                response.StatusCode = 200;
                response.ContentType = "text/event-stream; charset=utf-8";
                await response.StartAsync(ct);
                foreach (var garbage in GarbageEvents)
                {
                    await response.Body.WriteAsync(garbage, ct);
                    await response.Body.FlushAsync(ct);
                }

                return;
            case FaultKind.Garbage:
                response.StatusCode = 200;
                response.ContentType = "application/json";
                await response.Body.WriteAsync("{\"id\":\"chatcmpl-x\",\"choices\":[{\"message\":{\"content\":\"Hel<<<garbage"u8.ToArray(), ct);
                return;
            case FaultKind.Stall:
                response.StatusCode = 200;
                response.ContentType = recorded.IsStreaming ? "text/event-stream; charset=utf-8" : "application/json";
                await response.StartAsync(ct);
                await response.Body.WriteAsync(recorded.IsStreaming ? StalledStreamStart : StalledBodyStart, ct);
                await response.Body.FlushAsync(ct);
                await Task.Delay(Timeout.Infinite, ct);
                return;
            default:
                response.StatusCode = fault.Status;
                if (fault.ContentType is not null)
                {
                    response.ContentType = fault.ContentType;
                }

                foreach (var (name, value) in fault.Headers)
                {
                    response.Headers[name] = value;
                }

                await response.Body.WriteAsync(Encoding.UTF8.GetBytes(fault.Body), ct);
                return;
        }
    }
}

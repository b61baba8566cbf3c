using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>The upstream faults of the hostile run, each as the fake server plays it, with the text it must not leak.</summary>
public static class UpstreamFaults
{
    public const string TracebackToken = "hf_QwErTyUiOpAsDfGhJkLzXcVbNm1234567890";

    public const string Traceback = """
        Traceback (most recent call last):
          File "/opt/venv/lib/python3.12/site-packages/vllm/entrypoints/openai/serving_chat.py", line 312, in create_chat_completion
            generator = await self.engine_client.generate(prompt, sampling_params, request_id)
          File "/opt/venv/lib/python3.12/site-packages/vllm/engine/async_llm_engine.py", line 88, in generate
            raise RuntimeError(f"worker 10.42.7.19:29500 unreachable (token=
        """ + TracebackToken + """
        )")
        RuntimeError: worker 10.42.7.19:29500 unreachable
        """;

    public const string NginxBanner =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";

    /// <summary>Fragments of the fakes' bodies that must never reach a client.</summary>
    public static readonly string[] SecretFragments =
        ["Traceback", "/opt/venv", "serving_chat.py", "10.42.7.19", TracebackToken, "nginx", "<html", "<center>", HostileHost.UpstreamKey, "sk-upstream-secret"];

    /// <summary>Name → (reply to script, or null for the dead upstream; what the client must get).</summary>
    public static readonly Dictionary<string, (ScriptedReply? Reply, Expect Expect)> All = new()
    {
        ["connection refused"] = (null, Expect.Unavailable),
        ["reset before headers"] = (ScriptedFault.Reply(new ScriptedFault { Kind = FaultKind.ResetBeforeHeaders }), Expect.ServerSide),
        ["reset mid-stream"] = (new ScriptedReply
        {
            Content = "The first part of an answer that will be cut",
            ChunkSize = 8,
            MidStreamFailure = new MidStreamFailure { Kind = MidStreamFailureKind.Abort, AfterChunks = 2 },
        }, Expect.ServerSide),
        ["timeout before headers"] = (new ScriptedReply { Content = "late", HeaderDelayMs = 30_000 }, Expect.ServerSide),
        ["stall mid-stream"] = (ScriptedFault.Reply(new ScriptedFault { Kind = FaultKind.Stall }), Expect.ServerSide),
        ["garbage stream"] = (ScriptedFault.Reply(new ScriptedFault { Kind = FaultKind.Garbage }), Expect.ServerSide),
        ["no finish reason"] = (new ScriptedReply { Content = "An answer with no ending", OmitFinishReason = true }, Expect.ContentOrError),
        ["500 traceback"] = (ScriptedFault.Reply(new ScriptedFault { Status = 500, ContentType = "text/plain", Body = Traceback }), Expect.ServerSide),
        ["502 nginx banner"] = (ScriptedFault.Reply(new ScriptedFault { Status = 502, ContentType = "text/html", Body = NginxBanner }), Expect.ServerSide),
        ["401 echoing the key"] = (ScriptedFault.Reply(new ScriptedFault
        {
            Status = 401,
            ContentType = "application/json",
            Body = "{\"error\":{\"message\":\"Invalid API key: Bearer " + HostileHost.UpstreamKey + " (from http://127.0.0.1/v1)\",\"type\":\"UnauthorizedError\",\"param\":null,\"code\":401}}",
        }), Expect.NotClientAuth),
        ["422"] = (ScriptedReply.Fail(422, "Input validation error: `temperature` must be strictly positive"), Expect.InvalidRequest),
        ["429 with Retry-After"] = (ScriptedReply.Fail(429, "Too many requests, retry later", retryAfter: "7"), Expect.RateLimited),
        ["503"] = (ScriptedReply.Fail(503, "The server is overloaded"), Expect.ServerSide),
        ["image input not supported"] = (ScriptedReply.Fail(500, "image input is not supported - hint: if this is unexpected, you may need to provide the mmproj", ServerFlavor.LlamaCpp), Expect.InvalidRequest),
    };

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in All.Keys)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }
}

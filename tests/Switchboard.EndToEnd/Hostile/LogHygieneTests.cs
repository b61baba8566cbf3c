using System.Text;
using System.Text.Json;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd.Hostile;

/// <summary>
/// What reaches the log under hostile traffic: never a client key (right or wrong), never the upstream key (even
/// when the upstream echoes it), no prompt text by default, client-supplied names truncated with control
/// characters escaped, so one request cannot forge log lines, flood the log or drive a terminal.
/// </summary>
public sealed class LogHygieneTests(DefaultHostileHost host) : IClassFixture<DefaultHostileHost>
{
    private const string PromptCanary = "prompt-canary-5e1d words the user typed";
    private const string WrongKey = "sk-ant-api03-wrong-key-canary-1234567890";
    private const string ForgedLine = "\r\n2026-01-01T00:00:00.000 info: Switchboard[1] forged";
    private const string Controls = "\u001b[31m\u0007\u0000\u0008\u007f";

    [Fact]
    public async Task Hostile_traffic_leaves_no_keys_no_prompt_and_no_raw_control_characters_in_the_log()
    {
        var http = host.Http;
        host.Upstream.Reset();

        // Ordinary requests carrying prompt text, streamed and not.
        foreach (bool stream in new[] { false, true })
        {
            await Exchange.PostAsync(http, "/v1/messages", Body("fake-model", PromptCanary, stream));
            await Exchange.PostAsync(http, "/v1/messages/count_tokens", Body("fake-model", PromptCanary, false));
        }

        // A wrong key, as x-api-key and as a bearer token.
        using (var wrong = new HttpClient { BaseAddress = new Uri(host.BaseUrl) })
        {
            using var a = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Body("fake-model", PromptCanary, false)) };
            a.Headers.Add("x-api-key", WrongKey);
            (await wrong.SendAsync(a)).Dispose();
            using var b = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Body("fake-model", PromptCanary, false)) };
            b.Headers.Add("Authorization", "Bearer " + WrongKey);
            (await wrong.SendAsync(b)).Dispose();
        }

        // Model names with line breaks and terminal controls, one of them 1 MB long.
        string evil = "evil-model" + ForgedLine + Controls;
        string huge = "evil-huge" + Controls + new string('M', 1_000_000);
        foreach (var model in new[] { evil, huge })
        {
            await Exchange.PostAsync(http, "/v1/messages", Body(model, PromptCanary, false));
            await Exchange.PostAsync(http, "/v1/messages", Body(model, PromptCanary, true));
            await Exchange.PostAsync(http, "/v1/messages/count_tokens", Body(model, PromptCanary, false));
        }

        // A block type and a tool id the same way (these are refused, and the refusal may be logged).
        string badBlock = JsonSerializer.Serialize(new
        {
            model = "fake-model",
            max_tokens = 8,
            messages = new object[]
            {
                new { role = "user", content = new object[] { new { type = "evil-block" + ForgedLine + Controls + new string('T', 100_000), text = PromptCanary } } },
            },
        });
        await Exchange.PostAsync(http, "/v1/messages", badBlock);
        string badId = JsonSerializer.Serialize(new
        {
            model = "fake-model",
            max_tokens = 8,
            messages = new object[]
            {
                new { role = "user", content = PromptCanary },
                new { role = "assistant", content = new object[] { new { type = "tool_use", id = "evil-id" + ForgedLine + Controls + new string('I', 100_000), name = "t", input = new { } } } },
                new { role = "user", content = new object[] { new { type = "tool_result", tool_use_id = "nope" + Controls, content = PromptCanary } } },
            },
        });
        await Exchange.PostAsync(http, "/v1/messages", badId);

        // Upstream failures whose bodies carry the upstream key and the prompt.
        host.Upstream.Enqueue(
            ScriptedFault.Reply(new ScriptedFault { Status = 401, ContentType = "application/json", Body = "{\"error\":{\"message\":\"bad key " + HostileHost.UpstreamKey + "\"}}" }),
            ScriptedFault.Reply(new ScriptedFault { Status = 500, Body = UpstreamFaults.Traceback + " prompt was: " + PromptCanary + " key " + HostileHost.UpstreamKey }));
        await Exchange.PostAsync(http, "/v1/messages", Body("fake-model", PromptCanary, false));
        await Exchange.PostAsync(http, "/v1/messages", Body("fake-model", PromptCanary, true));

        var lines = host.Logs.Lines;
        var problems = new List<string>();
        void Forbid(string what, Func<string, bool> found)
        {
            var hits = lines.Where(l => found(l.Message)).ToList();
            if (hits.Count > 0)
            {
                problems.Add($"{hits.Count} log lines contain {what}, e.g. [{hits[0].Category}] {Envelope.Short(Escape(hits[0].Message))}");
            }
        }

        Forbid("the client key", m => m.Contains(HostileHost.ApiKey, StringComparison.Ordinal));
        Forbid("a wrong client key", m => m.Contains(WrongKey, StringComparison.Ordinal));
        Forbid("the upstream key", m => m.Contains(HostileHost.UpstreamKey, StringComparison.Ordinal));
        Forbid("prompt text", m => m.Contains("prompt-canary-5e1d", StringComparison.Ordinal));
        Forbid("a raw ESC, BEL, NUL, BS, DEL or CR", m => m.AsSpan().IndexOfAny("\u001b\u0007\u0000\u0008\u007f\r") >= 0);
        Forbid("a forged line break from a client value", m => m.Contains("\n2026-01-01T00:00:00.000 info: Switchboard[1] forged", StringComparison.Ordinal));
        Forbid("a client value longer than 300 characters", m => m.Contains(new string('M', 300), StringComparison.Ordinal)
            || m.Contains(new string('T', 300), StringComparison.Ordinal) || m.Contains(new string('I', 300), StringComparison.Ordinal));
        long total = lines.Sum(l => (long)l.Message.Length);
        if (total > 256 * 1024)
        {
            problems.Add($"the log grew by {total / 1024} KiB for {lines.Count} lines: client values are not truncated");
        }

        // Not vacuous: the hostile model names were logged, just made safe.
        if (!lines.Any(l => l.Message.Contains("evil-model", StringComparison.Ordinal)))
        {
            problems.Add("no log line names the model 'evil-model…' at all (the request line should, escaped)");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static string Body(string model, string prompt, bool stream) => JsonSerializer.Serialize(new
    {
        model,
        max_tokens = 16,
        stream,
        messages = new[] { new { role = "user", content = prompt } },
    });

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Escape(string text)
    {
        var escaped = new StringBuilder();
        foreach (char c in text.Length > 400 ? text[..400] : text)
        {
            escaped.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return escaped.ToString();
    }
}

namespace Switchboard.FakeUpstream;

/// <summary>
/// Standalone fake model server:
/// <c>dotnet run --project tests/FakeUpstream -- [--port 8000] [--scenario-file s.json] [--models a,b]
/// [--max-model-len N] [--context-errors vllm|llamacpp] [--tokenizer vllm|llamacpp|none] [--api-key K [--messages-auth]] [--no-record]</c>.
/// Prints <c>FakeUpstream listening on {baseUrl}</c> once ready.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = new FakeServerOptions { Port = 8000 };
        List<ScriptedReply> replies = [];
        for (int i = 0; i < args.Length; i += 2)
        {
            if (args[i] == "--no-record")
            {
                options.RecordRequests = false;
                i--;
                continue;
            }

            if (args[i] == "--messages-auth")
            {
                options.MessagesAuth = true;
                i--;
                continue;
            }

            string value = i + 1 < args.Length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--port": options.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "--models": options.Models = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; break;
                case "--max-model-len": options.MaxModelLen = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "--tokenizer": options.Tokenizer = Enum.Parse<TokenizerStyle>(value, ignoreCase: true); break;
                case "--api-key": options.ApiKey = value; break;
                case "--context-errors": options.ContextLimitErrors = Enum.Parse<ServerFlavor>(value, ignoreCase: true); break;
                case "--scenario-file":
                    var scenario = Scenario.Parse(await File.ReadAllTextAsync(value));
                    if (scenario.Options is { } fromFile)
                    {
                        fromFile.Port = options.Port;
                        fromFile.RecordRequests &= options.RecordRequests;
                        options = fromFile;
                    }

                    replies = scenario.Replies;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown argument {args[i]}");
                    return 2;
            }
        }

        await using var server = await FakeModelServer.StartAsync(options);
        server.Enqueue(replies);
        Console.WriteLine($"FakeUpstream listening on {server.BaseUrl}");
        await server.WaitForShutdownAsync();
        return 0;
    }
}

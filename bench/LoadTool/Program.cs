using Switchboard.Bench.LoadTool;

// The load tool's C# half (wrk does the request/response load):
//   body IN --stream true|false --anthropic OUT --chat OUT   request bodies for a load run
//   streams --url URL --body FILE --streams N ...            many concurrent slow streams (see StreamsCommand)
//   latency --url URL --body FILE --seconds S ...            one connection, one request at a time (see LatencyCommand)
return args switch
{
    ["body", var input, "--stream", var stream, "--anthropic", var anthropic, "--chat", var chat] =>
        BodyCommand.Run(input, bool.Parse(stream), anthropic, chat),
    ["streams", .. var rest] => await StreamsCommand.RunAsync(rest),
    ["latency", .. var rest] => await LatencyCommand.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: LoadTool body IN --stream true|false --anthropic OUT --chat OUT | streams --url URL --body FILE [--streams N] [--ramp-seconds S] | latency --url URL --body FILE --seconds S [--api-key K]");
    return 2;
}

// The floor under any .NET gateway on this machine: YARP forwarding every request to one upstream unchanged (no
// authentication, no parsing, no translation, no logging). bench/load/run.sh latency measures it beside Switchboard,
// so "added latency" splits into what Kestrel + HttpClient cost per extra hop and what Switchboard adds on top.
//
//   dotnet YarpFloor.dll --port 14300 --to http://127.0.0.1:18200
using Yarp.ReverseProxy.Forwarder;

var port = 14300;
var destination = "http://127.0.0.1:18000";
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--to": destination = args[i + 1]; break;
        default: Console.Error.WriteLine("usage: YarpFloor --port N --to URL"); return 2;
    }
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port));
builder.Services.AddHttpForwarder();
var app = builder.Build();
app.MapGet("/floor-health", () => "ok");
// A streamed answer is relayed as it arrives (YARP flushes each upstream read), as Switchboard relays its events.
app.MapForwarder("/{**path}", destination, ForwarderRequestConfig.Empty);
app.Run();
return 0;

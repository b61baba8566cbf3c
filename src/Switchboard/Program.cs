using Switchboard.Configuration;
using Switchboard.Hosting;
using Switchboard.Pipeline;
using Switchboard.Telemetry;

await SwitchboardApp.Create(args).RunAsync();

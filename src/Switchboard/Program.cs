using Switchboard.Hosting;

return await SwitchboardProgram.RunAsync(args, Console.Out, Console.Error);

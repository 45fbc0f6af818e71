using Strata.Cli.Commands;

return await StrataCommandLine.RunAsync(args);

using System.Reflection;
using Strata.Cli.Commands;

// `strata --version` answers before the command tree is built: that tree loads System.CommandLine,
// Spectre.Console and every command's types, which is most of a cold start. The text is the one
// System.CommandLine's own --version prints (the entry assembly's informational version).
if (args is ["--version"])
{
    Console.Out.WriteLine(typeof(StrataCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
    return 0;
}

return await StrataCommandLine.RunAsync(args);

using System.Reflection;
using Strata.Cli.Commands;
using Strata.Design.SchemaSource;

// `strata --version` answers before the command tree is built: that tree loads System.CommandLine,
// Spectre.Console and every command's types, which is most of a cold start. The text is the one
// System.CommandLine's own --version prints (the entry assembly's informational version).
if (args is ["--version"])
{
    Console.Out.WriteLine(typeof(StrataCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
    return 0;
}

// The compile server (started by a command after it compiled the schema project, never by a user) skips the
// command tree for the same reason: it starts while the user waits for nothing, but it should be ready soon.
if (args is [CompileServerCommand.Name, ..])
    return await CompileServerCommand.RunAsync(args[1..]);

SchemaProjectLoader.UseCompileServer(() => CompileServerClient.ForThisProgram(CompileServerCommand.Name));
return await StrataCommandLine.RunAsync(args);

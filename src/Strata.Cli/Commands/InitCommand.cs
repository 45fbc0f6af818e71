using Strata.Cli.Output;
using System.CommandLine;
using System.Reflection;
using Spectre.Console;
using Strata.Postgres.Configuration;
using Strata.Design.Scaffolding;

namespace Strata.Cli.Commands;

/// <summary><c>strata init</c>: scaffolds a Strata project in a folder, refusing to overwrite anything.</summary>
internal static class InitCommand
{
    public static Command Create(GlobalOptions global)
    {
        var name = new Option<string?>("--name")
        {
            Description = "The project name: the schema project is src/<name>.Schema (default: the folder's name in PascalCase)",
            HelpName = "name",
        };
        var directory = new Option<string?>("--directory", "-d")
        {
            Description = "The folder to scaffold in (default: the current folder; created when missing)",
            HelpName = "path",
        };
        var strataSource = new Option<string?>("--strata-source")
        {
            Description = "Reference Strata from a clone of its repository (the clone's folder or its src/Strata/Strata.csproj) instead of the Strata package",
            HelpName = "path",
        };
        var command = new Command("init", """
            Scaffold a Strata project: strata.json (environments development, test, production), strata.schema.json,
            a schema class library src/<name>.Schema with an example table, .env.example, db/migrations, db/seeds with
            an example seed, .gitignore lines and the strata tool in .config/dotnet-tools.json. Refuses (exit 2) when
            any file it would create exists; adds to an existing .gitignore and tool manifest.
            """)
        {
            name,
            directory,
            strataSource,
        };
        command.SetRun(global, async (context, ct) =>
        {
            var output = context.Output;
            var root = Path.GetFullPath(context.Get(directory) ?? ".");
            var shown = CommandContext.Display(root) is "." ? "the current folder" : CommandContext.Display(root);
            var projectName = context.Get(name) ?? ProjectScaffold.NameFromFolder(Path.GetFileName(Path.TrimEndingDirectorySeparator(root)));
            if (ProjectScaffold.NameProblem(projectName) is { } problem)
                throw CliException.Usage($"--name: {problem}", remedy: "Pass --name with a name such as MyApp.");

            var strata = ChooseStrataReference(context.Get(strataSource), root, projectName);
            var files = ProjectScaffold.PlanIn(root, projectName, strata, $"net{Environment.Version.Major}.0");

            var existing = ProjectScaffold.FilesInTheWay(root, files);
            if (existing.Count > 0)
                throw CliException.Usage(
                    $"{shown} already has {(existing.Count == 1 ? "a file" : existing.Count + " files")} that strata init would write; nothing was written",
                    details: existing,
                    remedy: existing.Contains(StrataConfig.FileName)
                        ? "This folder already is a Strata project. To start over, move those files away; or run strata init --directory <new folder>."
                        : "Move those files away, or run strata init --directory <new folder>.");

            HashSet<ScaffoldFile> written;
            try
            {
                written = await ProjectScaffold.WriteAsync(root, files, ct);
            }
            catch (ScaffoldWriteException e)
            {
                throw CliException.Failure($"strata init could not write in {CommandContext.Display(root)}: {e.InnerException!.Message}",
                    remedy: "Check that the folder is writable; what strata init had written is removed again.", inner: e.InnerException);
            }

            if (output.Json)
            {
                output.JsonResult(new InitJson(root, projectName,
                    strata.ProjectPath is null ? new InitStrataJson("Strata", strata.PackageVersion, null) : new InitStrataJson(null, null, strata.ProjectPath),
                    files.Select(f => new FileActionJson(f.RelativePath, f.IsNew ? "created" : written.Contains(f) ? "updated" : "unchanged")).ToList()));
                return ExitCodes.Success;
            }

            output.Line($"Scaffolded the Strata project [bold]{Markup.Escape(projectName)}[/] in {Markup.Escape(shown)}:");
            var width = files.Max(f => f.RelativePath.Length);
            foreach (var file in files)
            {
                var mark = file.IsNew ? "[green]created[/]" : written.Contains(file) ? "[yellow]updated[/]" : "[grey]kept   [/]";
                output.Line($"  {mark}  {Markup.Escape(file.RelativePath.PadRight(width))}  {Markup.Escape(file.Purpose)}");
            }
            output.Line();
            output.Line("Next:");
            var cd = shown is "the current folder" ? "" : $"cd {CommandContext.Display(root)} && ";
            (string Command, string Why)[] next =
            [
                (cd + "dotnet strata generate --name init", $"the first migration, from src/{projectName}.Schema"),
                ("dotnet strata migrate", "applies it to the development database: a PostgreSQL Strata runs in .strata/postgres"),
                ("dotnet strata seed", "runs db/seeds"),
                ("dotnet strata dev status", "the local PostgreSQL (dev url prints its URL, dev stop stops it)"),
            ];
            var commandWidth = next.Max(n => n.Command.Length);
            foreach (var (line, why) in next)
                output.Line($"  {Markup.Escape(line.PadRight(commandWidth))}  [grey]# {Markup.Escape(why)}[/]");
            output.Line("Copy .env.example to .env.local and fill in the test and production URLs before using --env test or --env production.");
            if (strata.ProjectPath is null)
                output.Line($"[grey]`dotnet strata` needs the tool: dotnet tool restore (Strata.Cli and Strata {Markup.Escape(strata.PackageVersion)} must be on a package feed you use; "
                            + "until they are, run strata init --strata-source <clone of the Strata repository>).[/]");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// --strata-source when given; else, when this strata runs from a build inside a clone of the Strata
    /// repository, that clone (Strata is not on a package feed yet, and a clone is where people try it);
    /// else the Strata package of the CLI's own version.
    /// </summary>
    private static StrataReference ChooseStrataReference(string? source, string root, string projectName)
    {
        var version = ToolVersion();
        var projectFolder = Path.Combine(root, "src", projectName + ".Schema");
        if (source is not null)
        {
            var full = Path.GetFullPath(source);
            var csproj = Directory.Exists(full) ? Path.Combine(full, "src", "Strata", "Strata.csproj") : full;
            if (!File.Exists(csproj) || !string.Equals(Path.GetFileName(csproj), "Strata.csproj", StringComparison.Ordinal))
                throw CliException.Usage($"--strata-source {source}: {csproj} does not exist",
                    remedy: "Pass the folder of a clone of the Strata repository, or the path of its src/Strata/Strata.csproj.");
            // A path the user gave relative stays relative (the project may move with the clone); an absolute one stays absolute.
            var reference = Path.IsPathRooted(source) ? csproj : Path.GetRelativePath(projectFolder, csproj);
            return new StrataReference(reference, version, "referencing Strata in " + CommandContext.Display(csproj) + " (--strata-source)");
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var csproj = Path.Combine(folder.FullName, "src", "Strata", "Strata.csproj");
            if (File.Exists(Path.Combine(folder.FullName, "Strata.slnx")) && File.Exists(csproj))
                return new StrataReference(csproj, version, $"referencing Strata in the clone this strata runs from ({folder.FullName})");
        }
        return new StrataReference(null, version, $"referencing the Strata package {version}");
    }

    /// <summary>The CLI's version without the source revision: the version of the Strata package it goes with.</summary>
    private static string ToolVersion()
    {
        var informational = typeof(InitCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.1.0";
        var plus = informational.IndexOf('+');
        return plus < 0 ? informational : informational[..plus];
    }
}

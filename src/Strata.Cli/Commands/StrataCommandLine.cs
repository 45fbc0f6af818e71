using System.CommandLine;
using System.CommandLine.Invocation;
using Strata.Cli.Output;
using Strata.Postgres.Configuration;

namespace Strata.Cli.Commands;

/// <summary>The <c>strata</c> command tree, and the one place that turns exceptions into messages and exit codes.</summary>
public static class StrataCommandLine
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct = default)
    {
        var parseResult = Parse(args, out var global, out var root);
        if (parseResult.Errors.Count > 0 && parseResult.Action is ParseErrorAction)
        {
            var output = new CliOutput(parseResult.GetValue(global.Json), verbose: false);
            var command = parseResult.CommandResult.Command;
            // A misspelt command ("strata migrte"): System.CommandLine only says a command is required.
            if (command == root && parseResult.UnmatchedTokens.FirstOrDefault() is { } unknown && !unknown.StartsWith('-'))
            {
                var nearest = Suggestions.Nearest(unknown, root.Subcommands.Select(c => c.Name), maxDistance: 3);
                output.Error(CliException.Usage(
                    $"'{unknown}' is not a strata command" + (nearest is null ? "" : $"; did you mean 'strata {nearest}'?"),
                    remedy: $"Run 'strata --help' for the commands: {string.Join(", ", root.Subcommands.Select(c => c.Name))}."));
                return ExitCodes.UsageError;
            }
            output.Error(CliException.Usage(
                parseResult.Errors.Count == 1 ? parseResult.Errors[0].Message : "the command line has problems",
                details: parseResult.Errors.Count == 1 ? null : parseResult.Errors.Select(e => e.Message).ToList(),
                remedy: $"Run 'strata {(command == root ? "" : command.Name + " ")}--help' for the options."));
            return ExitCodes.UsageError;
        }

        // On Ctrl+C or SIGTERM the command's token is cancelled and it gets this long to stop cleanly: a
        // migration's statement is cancelled on the server, its transaction rolled back and the lock
        // released, and the message names what was left; cut off sooner, the user would learn nothing.
        return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(15) }, ct);
    }

    /// <summary>Parses <paramref name="args"/> against the whole command tree without running anything (the docs tests check every command shown this way).</summary>
    internal static ParseResult Parse(string[] args, out GlobalOptions global, out RootCommand root)
    {
        global = new GlobalOptions();
        root = new RootCommand("Strata: PostgreSQL schema as C# code, and the SQL migrations that follow from it.");
        global.AddTo(root);
        root.Subcommands.Add(InitCommand.Create(global));
        root.Subcommands.Add(GenerateCommand.Create(global));
        root.Subcommands.Add(MigrateCommand.Create(global));
        root.Subcommands.Add(StatusCommand.Create(global));
        root.Subcommands.Add(RollbackCommand.Create(global));
        root.Subcommands.Add(ResetCommand.Create(global));
        root.Subcommands.Add(SeedCommand.Create(global));
        root.Subcommands.Add(CheckCommand.Create(global));
        root.Subcommands.Add(ExportCommand.Create(global));
        root.Subcommands.Add(DropCommand.Create(global));
        root.Subcommands.Add(HashCommand.Create(global));
        root.Subcommands.Add(DevCommand.Create(global));
        root.Subcommands.Add(DoctorCommand.Create(global));
        root.Subcommands.Add(PushCommand.Create(global));
        root.Subcommands.Add(PullCommand.Create(global));
        root.Subcommands.Add(LintCommand.Create(global));

        return root.Parse(args);
    }

    /// <summary>Gives <paramref name="command"/> an action that reports errors the Strata way.</summary>
    internal static void SetRun(this Command command, GlobalOptions global, Func<CommandContext, CancellationToken, Task<int>> run) =>
        command.SetAction(async (parseResult, ct) =>
        {
            var output = new CliOutput(parseResult.GetValue(global.Json), parseResult.GetValue(global.Verbose));
            try
            {
                return await run(new CommandContext(parseResult, global, output), ct);
            }
            catch (CliException e)
            {
                output.Error(e);
                return e.ExitCode;
            }
            catch (OperationCanceledException e) when (ct.IsCancellationRequested)
            {
                // A migration run says what it left behind (the migration, how many statements ran, what a rerun does).
                output.Error(e.InnerException is { } inner && KnownErrors.Translate(inner) is { } known ? known : CliException.Failure("cancelled"));
                return ExitCodes.Failure;
            }
            catch (Exception e) when (KnownErrors.Translate(e) is { } known)
            {
                output.Error(known);
                return known.ExitCode;
            }
            catch (Exception e)
            {
                output.Unexpected(e);
                return ExitCodes.Failure;
            }
        });
}

using System.CommandLine;
using Spectre.Console;

namespace Strata.Cli.Commands;

/// <summary>
/// What stands between a destructive command and an environment marked <c>"protected": true</c>: the
/// command refuses unless given <c>--force</c> and the database name is confirmed, typed at a prompt on
/// a terminal or passed as <c>--confirm &lt;database&gt;</c> without one. Used by reset, by a rollback
/// that loses data and by drop of an applied migration; each command adds its own pair of options.
/// </summary>
internal sealed class ProtectedEnvironmentGuard
{
    public Option<bool> Force { get; } = new("--force")
    {
        Description = "On a protected environment, do it anyway once the database name is confirmed (typed at the prompt, or --confirm)",
    };

    public Option<string?> Confirm { get; } = new("--confirm")
    {
        Description = "With --force and no terminal: the name of the target database, to confirm the destructive run on a protected environment",
        HelpName = "database",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Force);
        command.Options.Add(Confirm);
    }

    /// <summary>Returns when the run may go on; throws (exit 1, nothing done) when it is refused.</summary>
    /// <param name="command">The command's name, for messages ("reset").</param>
    /// <param name="destroys">What the run destroys, as a verb phrase: "drop every table of public and apply the migrations again".</param>
    public async Task EnsureAllowedAsync(CommandContext context, DatabaseTarget target, string command, string destroys, CancellationToken ct)
    {
        var environment = target.Environment;
        if (!environment.Protected)
            return;

        var database = target.Connection.Database ?? "";
        var what = $"strata {command} would {destroys} in the database {database} ({target.Description}) of the protected environment \"{environment.Name}\"";
        if (!context.Get(Force))
        {
            throw CliException.Failure($"refused: {what}; nothing was changed",
                remedy: $"If that is what you mean, run it again with --force and confirm the database name: type it at the prompt on a terminal, or add --confirm {database} where there is none.");
        }

        var confirmation = context.Get(Confirm);
        if (confirmation is null)
        {
            if (!context.Output.IsInteractive)
            {
                throw CliException.Failure($"refused: {what}, and without a terminal --force needs --confirm with the database name; nothing was changed",
                    remedy: $"Add --confirm {database} to confirm.");
            }
            context.Output.Line($"[yellow]{Markup.Escape(what)}.[/]");
            confirmation = await new TextPrompt<string>($"Type the database name ([bold]{Markup.Escape(database)}[/]) to confirm:")
                .AllowEmpty()
                .ShowAsync(context.Output.Terminal, ct);
        }
        if (confirmation.Trim() != database)
        {
            throw CliException.Failure($"refused: \"{confirmation.Trim()}\" is not the name of the database {database}; nothing was changed",
                remedy: $"Confirm with the target's database name exactly: {database}.");
        }
    }
}

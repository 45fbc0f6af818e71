using System.CommandLine;
using Spectre.Console;
using Strata.Cli.Output;
using Strata.Postgres.Configuration;
using Strata.Postgres.Migrations;

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

    /// <summary>
    /// Why the target is protected, for messages ("of the protected environment \"production\""), or null
    /// when it is not: its environment says <c>"protected": true</c>, or the database itself records that a
    /// protected environment migrated it (<see cref="DatabaseProtection"/>), whichever way it was reached.
    /// </summary>
    public static async Task<string?> ProtectionAsync(DatabaseTarget target, CancellationToken ct) =>
        await target.ProtectedByAsync(ct) switch
        {
            null => null,
            { Recorded: { } recorded } => $"which is protected: {recorded.Location} records \"strata:protected environment={recorded.Environment}\", written when the protected environment \"{recorded.Environment}\" migrated it",
            var protection => $"of the protected environment \"{protection.Environment}\"",
        };

    /// <summary>
    /// After a migrate (or a reset) of a protected database: writes the database's own record that it is
    /// protected by <paramref name="environment"/>, so that reaching it by a URL later finds it protected.
    /// Nothing when <paramref name="environment"/> is null.
    /// </summary>
    public static async Task RecordAsync(CliOutput output, DatabaseTarget target, Strata.Model.QualifiedName trackingTable, string? environment, CancellationToken ct)
    {
        if (environment is null)
            return;
        var refused = await target.RecordProtectionAsync(trackingTable, environment,
            $"The migrations ran, but the database's record that it is protected by \"{environment}\" was not written: run strata migrate again when the server is reachable.", ct);
        // COMMENT ON needs the table's owner. The migrations themselves ran and are recorded: a run that
        // succeeded must not end in a failure (a deploy would retry it), so this is said, not thrown.
        if (refused is not null)
            output.Warning($"the migrations ran, but the database's record that it is protected by \"{environment}\" was not written: "
                + $"{refused} (only the owner of {trackingTable} may comment on it). Run strata migrate once as that owner, or ALTER TABLE {trackingTable} OWNER TO the role that migrates.");
    }

    /// <summary>Returns when the run may go on; throws (exit 1, nothing done) when it is refused.</summary>
    /// <param name="command">The command's name, for messages ("reset").</param>
    /// <param name="destroys">What the run destroys, as a verb phrase: "drop every table of public and apply the migrations again".</param>
    /// <returns>Why the target is protected (see <see cref="ProtectionAsync"/>), or null when it is not.</returns>
    public async Task<string?> EnsureAllowedAsync(CommandContext context, DatabaseTarget target, string command, string destroys, CancellationToken ct)
    {
        var protection = await ProtectionAsync(target, ct);
        if (protection is null)
            return null;

        var database = target.Connection.Database ?? "";
        var what = $"strata {command} would {destroys} in the database {database} ({target.Description}){(protection.StartsWith("of ", StringComparison.Ordinal) ? " " : ", ")}{protection}";
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
        return protection;
    }
}

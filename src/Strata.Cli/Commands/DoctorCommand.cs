using Strata.Cli.Output;
using System.CommandLine;
using Npgsql;
using Spectre.Console;
using Strata.Postgres.Configuration;
using QualifiedName = Strata.Model.QualifiedName;
using Strata.Postgres.Diagnostics;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata doctor</c>: examines the environment's database with <see cref="DatabaseDoctor"/> and prints
/// the findings as a table (or with <c>--json</c> as a list). Exit 1 when any finding is a problem.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(GlobalOptions global)
    {
        var connection = ConnectionOption.Create();
        var command = new Command("doctor", """
            Check the environment's database: the connection, the server version, SSL and certificate
            verification, the user's privileges in the project's schemas, advisory locks, a transaction-mode
            pooler in front of schema changes, and the search_path trap. Each finding says what to do.
            Exit codes: 0 no problem (warnings allowed), 1 a problem found, 2 usage or configuration error.
            """)
        {
            connection,
        };
        command.SetRun(global, async (context, ct) =>
        {
            var output = context.Output;
            var config = await context.LoadConfigAsync(ct);
            var (given, source) = ConnectionOption.Given(context, connection);
            // A connection given on the command line replaces the environment's: its variables need not be set.
            var environment = context.ResolveEnvironment(config, withConnections: given is null);

            DatabaseTarget? local = null;
            try
            {
                var databases = DoctorDatabases.Choose(environment, given, source);
                if (databases.Url.Overridden && environment.Settings.Url is not null)
                    output.Line($"Using {Markup.Escape(source)}, not the url of the {Markup.Escape(environment.Name)} environment.");
                var direct = databases.Direct;
                NpgsqlConnectionStringBuilder url;
                if (databases.Url.Connection is { } chosen)
                    url = chosen;
                else
                {
                    // Development without a url: the local PostgreSQL Strata runs, started if need be.
                    local = await ConnectionOption.OpenAsync(context, connection, config, "doctor", DatabaseUse.Query, stdoutIsData: false, ct);
                    url = local.Connection;
                }

                var request = new DoctorRequest(url, direct, await DatabaseDoctor.ProjectSchemasAsync(config.MigrationsDirectory, ct), config.TrackingTable);
                output.Line($"Examining [bold]{Markup.Escape(DatabaseConnection.Describe(url))}[/]"
                    + (direct is null ? "" : $" (migrations: [bold]{Markup.Escape(DatabaseConnection.Describe(direct))}[/])")
                    + $", environment {Markup.Escape(environment.Name)}");
                var findings = await DatabaseDoctor.ExamineAsync(request, ct);
                var problems = findings.Count(f => f.Result == FindingResult.Problem);
                var warnings = findings.Count(f => f.Result == FindingResult.Warning);

                if (!output.Json)
                    WriteTable(output, findings);
                output.Line(problems > 0 ? $"[red]{MigrationCommands.Plural(problems, "problem")}[/], {MigrationCommands.Plural(warnings, "warning")}."
                    : warnings > 0 ? $"No problems; [yellow]{MigrationCommands.Plural(warnings, "warning")}[/]."
                    : "[green]No problems.[/]");
                output.JsonResult(new DoctorJson(environment.Name, DatabaseConnection.Describe(url), direct is null ? null : DatabaseConnection.Describe(direct),
                    findings.Select(f => new FindingJson(f.Check, ResultText(f.Result), f.Detail, f.Remedy)).ToList())
                {
                    Ok = problems == 0,
                });
                return problems > 0 ? ExitCodes.Failure : ExitCodes.Success;
            }
            finally
            {
                if (local is not null)
                    await local.DisposeAsync();
            }
        });
        return command;
    }

    private static void WriteTable(Output.CliOutput output, IReadOnlyList<DoctorFinding> findings)
    {
        var table = new Table { Border = TableBorder.Rounded };
        table.AddColumn("Check");
        table.AddColumn("Result");
        table.AddColumn("Detail");
        table.AddColumn("Remedy");
        foreach (var finding in findings)
        {
            var color = finding.Result switch { FindingResult.Ok => "green", FindingResult.Warning => "yellow", _ => "red" };
            table.AddRow(Markup.Escape(finding.Check), $"[{color}]{ResultText(finding.Result)}[/]", Markup.Escape(finding.Detail), Markup.Escape(finding.Remedy ?? ""));
        }
        var console = output.Terminal;
        // Redirected output has no width of its own; Spectre would fold the table into 80 columns.
        if (!output.IsTerminal)
            console.Profile.Width = 250;
        console.Write(table);
    }

    private static string ResultText(FindingResult result) => result switch
    {
        FindingResult.Ok => "ok",
        FindingResult.Warning => "warning",
        _ => "problem",
    };
}

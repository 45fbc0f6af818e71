using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using Spectre.Console;
using Strata.Cli.Output;
using Strata.Design.SchemaSource;
using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Configuration;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;
using Strata.Renaming;
using Strata.Sql;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata dev watch</c>: one process that stays up while the schema is edited. On each save it compiles the schema
/// project (in-process, its parsed sources and references kept from the save before; a full build only when the
/// .csproj or an import changed), runs it in a collectible context unloaded as soon as the model is built, diffs it
/// against the last snapshot and prints what the next migration would contain. It never writes a migration and never
/// asks: a drop + add that may be a rename is shown as one. Which environments' databases are behind is checked at
/// the start and after the migrations folder changes, never per save.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("watch", """
            Watch the schema project and, on each save, print the SQL the next migration would contain (or "no changes"),
            or the compiler's errors; writes nothing. Also shows which environments' databases have migrations pending:
            checked at the start and when the migrations folder changes, with a short connect timeout. The development
            environment's local PostgreSQL is looked at only when it is already running. --env a,b,c (comma-separated, as
            for check) names the environments to look at (default: all of strata.json's; --env none for none).
            Stop with Ctrl+C (exit 0).
            """);
        command.SetRun(global, async (context, ct) =>
        {
            var config = await context.LoadConfigAsync(ct);
            var names = EnvironmentNames(config, context.Get(global.Env));
            var session = new WatchSession(context, config, SchemaProject.Read(config.SchemaProject), names);
            return await session.RunAsync(ct);
        });
        return command;
    }

    /// <summary>The environments to check: those --env names (comma-separated, as for check), else every one strata.json lists, development first.</summary>
    internal static IReadOnlyList<string> EnvironmentNames(StrataConfig config, string? given)
    {
        var known = (config.Environments?.Keys ?? []).ToList();
        if (!known.Contains(StrataEnvironment.Development, StringComparer.Ordinal))
            known.Insert(0, StrataEnvironment.Development);
        var named = (given ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (named.Count == 0)
            return known.OrderBy(n => n == StrataEnvironment.Development ? 0 : 1).ToList();
        if (named is ["none"])
            return [];
        var unknown = named.Where(n => !known.Contains(n, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
            throw CliException.Usage($"--env names {string.Join(", ", unknown)}, which {(unknown.Count == 1 ? "is" : "are")} not in {CommandContext.Display(config.ConfigPath)}",
                remedy: $"Name some of: {string.Join(", ", known)} (or none).");
        return named.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The colours of a statement: keywords blue, literals green; a statement that loses data all red.</summary>
    internal static string Colour(SqlStatement statement)
    {
        if (statement.DataLoss is not null)
            return $"[red]{Markup.Escape(statement.Sql)}[/]";
        var tokens = SqlLexer.Tokenize(statement.Sql);
        var text = new StringBuilder(statement.Sql.Length + 32);
        foreach (var token in tokens.Tokens)
        {
            var part = statement.Sql[token.Start..token.End];
            switch (token.Kind)
            {
                case SqlTokenKind.Code:
                    ColourKeywords(part, text);
                    break;
                case SqlTokenKind.String or SqlTokenKind.DollarQuoted:
                    text.Append("[green]").Append(Markup.Escape(part)).Append("[/]");
                    break;
                case SqlTokenKind.LineComment or SqlTokenKind.BlockComment:
                    text.Append("[grey]").Append(Markup.Escape(part)).Append("[/]");
                    break;
                default:
                    text.Append(Markup.Escape(part));
                    break;
            }
        }
        return text.ToString();
    }

    // The generator writes keywords in capitals and names quoted, so a bare word in capitals is a keyword (or a type).
    private static void ColourKeywords(string code, StringBuilder text)
    {
        var i = 0;
        while (i < code.Length)
        {
            if (char.IsAsciiLetter(code[i]) || code[i] == '_')
            {
                var start = i;
                while (i < code.Length && (char.IsAsciiLetterOrDigit(code[i]) || code[i] == '_'))
                    i++;
                var word = code[start..i];
                if (word.Length > 1 && word.All(c => char.IsAsciiLetterUpper(c) || c == '_'))
                    text.Append("[blue]").Append(word).Append("[/]");
                else
                    text.Append(word);
                continue;
            }
            text.Append(Markup.Escape(code[i].ToString()));
            i++;
        }
    }
}

/// <summary>The state a watch keeps between saves: the migrations folder's last snapshot and the environments' standing.</summary>
internal sealed class WatchSession(CommandContext context, StrataConfig config, SchemaProject project, IReadOnlyList<string> environmentNames)
{
    /// <summary>Long enough for a server on the network; short enough that an unreachable one does not hold the watch up.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    private readonly CliOutput _output = context.Output;
    private DatabaseModel _previous = DatabaseModel.Empty;
    private string? _lastMigration;
    private IReadOnlyList<WatchEnvironmentJson> _environments = [];
    private int _saves;
    private Task _warmUp = Task.CompletedTask;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        // The watch is a warm compiler itself, which keeps the parsed sources too: no compile server for its saves.
        SchemaProjectLoader.UseCompileServer(() => null);
        try
        {
            // Watching before the first compile: a save made during it is seen.
            using var watcher = new SchemaSourceWatcher(WatchScope.For(project, config.MigrationsDirectory));
            await ReadMigrationsAsync(ct);
            await CheckEnvironmentsAsync(ct);
            await ReportAsync(new SaveBatch([], Sources: true, Migrations: false, Stopwatch.GetTimestamp()), ct);
            // Before "Watching": a save made once it is printed is compiled in-process, not built.
            await SchemaProjectLoader.EnsureRecordedAsync(project, _output.Status, ct);
            watcher.Rescope(WatchScope.For(project, config.MigrationsDirectory));
            // The first compile of a process JIT-compiles Roslyn (seconds on a busy machine): done now, while nobody waits.
            _warmUp = Task.Run(() =>
            {
                try
                {
                    SchemaProjectLoader.WarmUpCompiler(project, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Only a head start: the save compiles the same way and reports what fails.
                    _output.Detail($"warming the compiler up failed: {e.Message}");
                }
            }, ct);
            _output.Line($"Watching {Markup.Escape(CommandContext.Display(project.ProjectDirectory))} and {Markup.Escape(CommandContext.Display(config.MigrationsDirectory))} (Ctrl+C to stop).");
            while (true)
            {
                var batch = await watcher.NextAsync(ct);
                if (batch.Migrations)
                {
                    await ReadMigrationsAsync(ct);
                    await CheckEnvironmentsAsync(ct);
                }
                await ReportAsync(batch, ct);
                // A full build may have recorded new inputs (a referenced project, an import), or the migrations folder appeared.
                watcher.Rescope(WatchScope.For(project, config.MigrationsDirectory));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _output.Line("Stopped watching.");
            return ExitCodes.Success;
        }
    }

    private async Task ReadMigrationsAsync(CancellationToken ct)
    {
        try
        {
            var directory = await MigrationDirectory.LoadAsync(config.MigrationsDirectory, ct);
            _previous = (await directory.LatestSnapshotAsync(ct))?.Schema ?? DatabaseModel.Empty;
            _lastMigration = directory.Migrations.Count > 0 ? directory.Migrations[^1].Id : null;
        }
        catch (Exception e) when (e is not OperationCanceledException && KnownErrors.Translate(e) is { } known)
        {
            // A migration folder being written (generate in another terminal) may read half-done; the next event reads it again.
            _output.Line($"[red]error:[/] {Markup.Escape(known.Message)}");
        }
    }

    /// <summary>One save: compile, run, diff, print; the failures of the user's project are printed and the watch goes on.</summary>
    private async Task ReportAsync(SaveBatch batch, CancellationToken ct)
    {
        // One compile at a time: the warm-up shares the compiler's state.
        await _warmUp;
        _saves++;
        var changed = batch.Paths.Where(p => !Directory.Exists(p)).Select(CommandContext.Display).Distinct().ToList();
        if (changed.Count > 0)
            _output.Line($"[grey]{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {Markup.Escape(string.Join(", ", changed.Take(3)))}{(changed.Count > 3 ? $" and {changed.Count - 3} more" : "")} changed[/]");

        var clock = Stopwatch.StartNew();
        TimeSpan compiled = default, loaded = default, diffed = default;
        SchemaCompilePath? how = null;
        var errors = new List<string>();
        IReadOnlyList<SqlStatement> statements = [];
        var renames = new List<string>();
        try
        {
            var compile = await SchemaProjectLoader.EnsureCompiledAsync(project, status: text =>
            {
                // A full build takes seconds: say so; an in-process compile is the usual case, shown with --verbose.
                if (text.StartsWith("Building", StringComparison.Ordinal))
                    _output.Status(text);
                else
                    _output.Detail(text);
            }, ct);
            how = compile.How;
            compiled = clock.Elapsed;
            var model = SchemaProjectLoader.RunUnloadable(compile.AssemblyPath, config.SchemaType, out _);
            loaded = clock.Elapsed - compiled;

            var schema = GenerateReads.CarriedOver(_previous, model);
            var questions = new PossibleRenames();
            var (diff, _) = RenameResolver.Resolve(_previous, schema, RenameDecisions.None, questions);
            statements = PostgresSqlGenerator.Generate(diff);
            renames = questions.Seen;
            diffed = clock.Elapsed - compiled - loaded;
        }
        catch (ConfigurationException e)
        {
            // The compiler's errors (path(line,col): error CSxxxx: message), a schema the validator refuses, a Define that threw.
            errors.Add(e.Message);
            errors.AddRange(e.Details);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errors.Add($"{e.GetType().Name}: {e.Message}");
        }
        var sinceSave = Stopwatch.GetElapsedTime(batch.FirstTimestamp);

        if (_output.Json)
        {
            _output.JsonLine(new WatchSaveJson(_saves, changed, errors.Count == 0 ? statements.Count > 0 : null,
                statements.Select(s => new WatchStatementJson(s.Sql, s.DataLoss)).ToList(), renames, errors, _environments,
                how?.ToString(), Milliseconds(compiled), Milliseconds(loaded), Milliseconds(diffed), Milliseconds(sinceSave))
            {
                Ok = errors.Count == 0,
            });
            return;
        }

        if (errors.Count > 0)
        {
            _output.Line($"[red]error:[/] {Markup.Escape(errors[0])}");
            foreach (var detail in errors.Skip(1))
                _output.Line("  " + Markup.Escape(detail));
            _output.Line("[grey]Still watching: the next save compiles again.[/]");
        }
        else if (statements.Count == 0)
        {
            _output.Line(_lastMigration is null
                ? "No changes: the C# schema is empty and there are no migrations yet."
                : $"No changes: the C# schema matches the last migration ({Markup.Escape(_lastMigration)}).");
        }
        else
        {
            _output.Line($"The next migration would contain {MigrationCommands.Plural(statements.Count, "statement")} ([bold]strata generate[/] writes it):");
            foreach (var statement in statements)
            {
                _output.Line(WatchCommand.Colour(statement));
                if (statement.DataLoss is not null)
                    _output.Line($"  [red]-- data loss: {Markup.Escape(statement.DataLoss)}[/]");
            }
            foreach (var rename in renames)
                _output.Line($"[yellow]possible rename:[/] {Markup.Escape(rename)}");
        }
        if (_environments.Count > 0)
            _output.Line("[grey]Databases:[/] " + string.Join("; ", _environments.Select(e => $"{Markup.Escape(e.Name)}: {Markup.Escape(e.Summary)}")));
        _output.Detail(errors.Count > 0
            ? $"failed in {Milliseconds(clock.Elapsed)} ms; {Milliseconds(sinceSave)} ms from the save to this line"
            : $"{how switch { SchemaCompilePath.InProcess => $"compiled in-process in {Milliseconds(compiled)} ms ({MigrationCommands.Plural(SchemaProjectLoader.LastParsedFileCount, "file")} parsed)", SchemaCompilePath.FullBuild => $"built in {Milliseconds(compiled)} ms", _ => $"up to date ({Milliseconds(compiled)} ms)" }}, "
              + $"loaded in {Milliseconds(loaded)} ms, diffed in {Milliseconds(diffed)} ms; {Milliseconds(sinceSave)} ms from the save to this line");
    }

    private static double Milliseconds(TimeSpan time) => Math.Round(time.TotalMilliseconds, 1);

    /// <summary>
    /// Which environments' databases lack migrations of the folder. Each is resolved from strata.json (its variables
    /// and .env files), connected to with a short timeout and without pooling, asked once, and closed; the local
    /// development server only when it runs. Nothing printed holds a connection string.
    /// </summary>
    private async Task CheckEnvironmentsAsync(CancellationToken ct)
    {
        if (environmentNames.Count == 0)
            return;
        MigrationSource source;
        try
        {
            source = await MigrationSource.FromFolderAsync(config.MigrationsDirectory, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException && KnownErrors.Translate(e) is { } known)
        {
            _environments = environmentNames.Select(n => new WatchEnvironmentJson(n, "unknown", null, $"the migrations folder cannot be read ({known.Message})")).ToList();
            return;
        }
        _environments = await Task.WhenAll(environmentNames.Select(name => CheckAsync(name, source, ct)));
    }

    private async Task<WatchEnvironmentJson> CheckAsync(string name, MigrationSource source, CancellationToken ct)
    {
        StrataEnvironment environment;
        try
        {
            environment = EnvironmentResolver.Resolve(config, name, withConnections: true);
        }
        catch (ConfigurationException e)
        {
            // A url from a variable that is not set here: the usual state of production on a developer's machine.
            // Its first clause ("the variable DATABASE_URL is not set"): the rest tells where variables come from, which a status line has no room for.
            var reason = e.Message.Split(": ", 2)[0];
            return new WatchEnvironmentJson(name, "notConfigured", null, $"not configured ({reason})");
        }

        NpgsqlConnectionStringBuilder connection;
        if (environment.Connection is { } configured)
        {
            connection = new NpgsqlConnectionStringBuilder(configured.ConnectionString);
        }
        else
        {
            await using var server = await FindLocalServerAsync(ct);
            if (server is null)
                return new WatchEnvironmentJson(name, "notRunning", null, "the local PostgreSQL is not running (strata dev start)");
            connection = new NpgsqlConnectionStringBuilder(server.ConnectionStringFor(LocalDevDatabase.Name));
        }
        connection = EnvironmentDatabase.ForCommand(connection, "dev watch");
        connection.Timeout = (int)ConnectTimeout.TotalSeconds;
        connection.Pooling = false;
        try
        {
            await using var dataSource = new NpgsqlDataSourceBuilder(connection.ConnectionString).Build();
            var report = await new Migrator(dataSource, source, config.MigratorOptionsFor(environment)).StatusAsync(ct);
            var pending = report.Migrations.Count(m => m.State is MigrationState.Pending or MigrationState.OutOfOrder or MigrationState.Partial);
            var problems = report.Migrations.Count(m => m.State is MigrationState.MissingOnDisk or MigrationState.ChecksumMismatch);
            var summary = pending == 0 ? "up to date" : MigrationCommands.Plural(pending, "migration") + " pending";
            if (problems > 0)
                summary += $", {MigrationCommands.Plural(problems, "problem")} (strata status --env {name})";
            return new WatchEnvironmentJson(name, pending == 0 && problems == 0 ? "upToDate" : "behind", pending, summary);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return new WatchEnvironmentJson(name, "notReachable", null, "not reachable");
        }
    }

    private async Task<Strata.Postgres.LocalServer.LocalPostgres?> FindLocalServerAsync(CancellationToken ct)
    {
        try
        {
            return await LocalDevDatabase.FindRunningAsync(config, ct);
        }
        catch (LocalDevDatabaseException)
        {
            return null;
        }
    }

    /// <summary>Answers every rename question "not renamed" (the drop and the add are shown) and keeps each as a line to print.</summary>
    private sealed class PossibleRenames : IRenameQuestions
    {
        public List<string> Seen { get; } = [];

        public string? Ask(RenameCandidate candidate, IReadOnlyList<string> open)
        {
            Seen.Add($"{RenameResolver.KindWord(candidate.Kind)} {candidate.Dropped} is gone and {string.Join(", ", candidate.Added)} {(candidate.Added.Count == 1 ? "is" : "are")} new; "
                + "shown above as a drop and an add: strata generate asks which it is");
            return null;
        }
    }
}

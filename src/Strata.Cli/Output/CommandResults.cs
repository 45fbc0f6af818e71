using System.Text.Json;
using System.Text.Json.Serialization;
using Strata.Postgres.Comparison;
using Strata.Postgres.Diagnostics;
using Strata.Postgres.Execution;
using Strata.Postgres.Migrations;
using Strata.Postgres.Seeding;
using Strata.Postgres.Sql;

namespace Strata.Cli.Output;

// What `--json` prints, one record per command result, serialized by CliJsonContext (camelCase, indented,
// nulls written). docs/json.md documents every record under its name, and JsonShapeDocsTests holds the two
// to the same field names: a field added here is a field documented there.

/// <summary>The one JSON document of a successful (or, for check, status and doctor, a finished) run.</summary>
public abstract record CommandResult
{
    /// <summary>True when the command did what it was asked; check, status and doctor say whether all is well.</summary>
    [JsonPropertyOrder(-100)]
    public bool Ok { get; init; } = true;
}

// ── shared parts ─────────────────────────────────────────────────────────────────────────────────

/// <summary>A migration applied by migrate or reset.</summary>
public sealed record AppliedMigrationJson(string Id, double Milliseconds)
{
    public static AppliedMigrationJson From(AppliedMigration applied) => new(applied.Id, Math.Round(applied.Duration.TotalMilliseconds, 1));
}

/// <summary>A generated statement: its SQL, whether it runs inside the transaction, and why it loses data (null when it does not).</summary>
public sealed record StatementJson(string Sql, bool Transactional, string? DataLoss)
{
    public static StatementJson From(SqlStatement statement) => new(statement.Sql, statement.Transactional, statement.DataLoss);
}

/// <summary>A table a seed wrote to.</summary>
public sealed record SeededTableJson(string Table, long Inserted, long Updated, long Deleted)
{
    public static IReadOnlyList<SeededTableJson> From(IReadOnlyList<SeededTable> tables) =>
        tables.Select(t => new SeededTableJson(t.Table.ToString(), t.Inserted, t.Updated, t.Deleted)).ToList();
}

/// <summary>A file of the migrations folder that does not match strata.sum.</summary>
public sealed record SumProblemJson(string Kind, string File, string? Recorded, string? Actual, string Message)
{
    public static SumProblemJson From(SumProblem problem) => new(problem.Kind.ToString(), problem.File, problem.RecordedHash, problem.ActualHash, problem.Message);
}

/// <summary>Two migrations written on the same parent.</summary>
public sealed record BranchConflictJson(string? Parent, IReadOnlyList<string> Migrations, string Message)
{
    public static BranchConflictJson From(BranchConflict conflict) => new(conflict.ParentMigrationId, conflict.MigrationIds, conflict.Message);
}

/// <summary>A file a command wrote, and what it did to it (created, updated, replaced, removed, unchanged…).</summary>
public sealed record FileActionJson(string Path, string Action);

// ── migrate, rollback, status ────────────────────────────────────────────────────────────────────

/// <summary><c>strata migrate</c>.</summary>
public sealed record MigrateJson(string Environment, string Database, IReadOnlyList<AppliedMigrationJson> Applied, int AlreadyApplied, double LockWaitMilliseconds) : CommandResult
{
    public static MigrateJson From(MigrateResult result, string environment, string database) =>
        new(environment, database, result.Applied.Select(AppliedMigrationJson.From).ToList(), result.AlreadyApplied, Math.Round(result.LockWait.TotalMilliseconds, 1));
}

/// <summary><c>strata migrate --baseline</c>.</summary>
public sealed record BaselineJson(string Environment, string Database, string Baseline, int Pending) : CommandResult;

/// <summary><c>strata migrate --dry-run</c> and <c>strata rollback --dry-run</c>.</summary>
public sealed record MigrationDryRunJson(bool DryRun, string Environment, string Database, IReadOnlyList<PlannedMigrationJson> Planned) : CommandResult
{
    public static MigrationDryRunJson From(IReadOnlyList<PlannedMigration> plan, string environment, string database) =>
        new(true, environment, database, plan.Select(PlannedMigrationJson.From).ToList());
}

/// <summary>A migration a dry run would run (or undo), from the statement it would start at.</summary>
public sealed record PlannedMigrationJson(string Id, string File, bool Transaction, bool OutOfOrder, int ResumeAtStatement, IReadOnlyList<PlannedStatementJson> Statements)
{
    public static PlannedMigrationJson From(PlannedMigration m) =>
        new(m.Id, m.File, m.RunsInTransaction, m.OutOfOrder, m.ResumeAtStatement, m.Statements.Skip(m.ResumeAtStatement).Select(s => new PlannedStatementJson(s.Line, s.Sql)).ToList());
}

/// <summary>A statement of a migration file and the line it starts on.</summary>
public sealed record PlannedStatementJson(int Line, string Sql);

/// <summary><c>strata rollback</c>.</summary>
public sealed record RollbackJson(string Environment, string Database, IReadOnlyList<RolledBackMigrationJson> RolledBack) : CommandResult
{
    public static RollbackJson From(IReadOnlyList<RolledBackMigration> undone, string environment, string database) =>
        new(environment, database, undone.Select(m => new RolledBackMigrationJson(m.Id, Math.Round(m.Duration.TotalMilliseconds, 1), m.Irreversible)).ToList());
}

/// <summary>A migration rolled back, and what its down.sql could not give back.</summary>
public sealed record RolledBackMigrationJson(string Id, double Milliseconds, IReadOnlyList<string> Irreversible);

/// <summary><c>strata status</c>.</summary>
public sealed record StatusJson(string Environment, string Database, string Migrations, string TrackingTable, bool TrackingTableExists,
    IReadOnlyList<MigrationStatusJson> Status, IReadOnlyList<SumProblemJson> SumProblems, IReadOnlyList<BranchConflictJson> BranchConflicts, string Summary) : CommandResult;

/// <summary>One migration's state in <c>strata status</c>.</summary>
public sealed record MigrationStatusJson(string Id, string State, string? File, string? FileChecksum, string? AppliedChecksum, DateTimeOffset? AppliedAt,
    long? Milliseconds, string? AppliedBy, string? Problem)
{
    public static MigrationStatusJson From(MigrationStatus m, string state) =>
        new(m.Id, state, m.File, m.FileChecksum, m.Applied?.Checksum, m.Applied?.AppliedAt.ToUniversalTime(), m.Applied?.ExecutionMs, m.Applied?.AppliedBy, m.Explain() ?? m.EmptyProblem);
}

// ── generate, drop, hash, export, check ──────────────────────────────────────────────────────────

/// <summary><c>strata generate</c> when the schema matches the last migration: nothing written.</summary>
public sealed record GenerateUnchangedJson(bool Changed) : CommandResult;

/// <summary><c>strata generate</c> (and <c>--custom</c>): the migration written.</summary>
/// <param name="Online">The id of the migration that runs the change's online part (concurrent index builds, validations) after <paramref name="Id"/>, when generate split it off; else null.</param>
/// <param name="Rewrites">The statements that rewrite their table under ACCESS EXCLUSIVE, and the way round each.</param>
public sealed record GenerateJson(bool Changed, string Id, string Path, bool Custom, int Statements, IReadOnlyList<DataLossStatementJson> DataLoss,
    IReadOnlyList<string> DecidedFromText, string? ReadsUnavailable, string? Online, IReadOnlyList<RewriteStatementJson> Rewrites) : CommandResult;

/// <summary>A statement that rewrites its table, why, and what to do instead.</summary>
public sealed record RewriteStatementJson(string Sql, string Why);

/// <summary>A statement that destroys data, and why.</summary>
public sealed record DataLossStatementJson(string Sql, string? Why);

/// <summary><c>strata drop</c>.</summary>
public sealed record DropJson(string Removed) : CommandResult;

/// <summary><c>strata hash</c>.</summary>
public sealed record HashJson(int Files) : CommandResult;

/// <summary><c>strata lint</c>: the findings in the migrations linted; <c>ok</c> is false when one is an error.</summary>
public sealed record LintJson(int ExitCode, int Migrations, IReadOnlyList<LintFindingJson> Findings) : CommandResult;

/// <summary>One finding of <c>strata lint</c> (and of <c>strata check</c>'s lint): where, the rule and its level, what, why and the safe form.</summary>
public sealed record LintFindingJson(string File, int Line, string Level, string Rule, string Message, string Why, string SafeForm)
{
    public static LintFindingJson From(Strata.Postgres.Linting.LintFinding f) =>
        new(Strata.Cli.Commands.CommandContext.Display(f.File), f.Line, Strata.Postgres.Linting.LintRules.Name(f.Level), f.Rule.Id, f.Message, f.Rule.Why, f.Rule.SafeForm);
}

/// <summary><c>strata export</c>.</summary>
public sealed record ExportJson(IReadOnlyList<StatementJson> Statements) : CommandResult;

/// <summary><c>strata check</c>: the folder, the schema against the last snapshot and, with --env, the environments' databases.</summary>
public sealed record CheckJson(int ExitCode, IReadOnlyList<SumProblemJson> SumProblems, IReadOnlyList<BranchConflictJson> BranchConflicts, IReadOnlyList<string> PendingChanges,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<EnvironmentDriftJson>? Environments) : CommandResult
{
    /// <summary>With --env: the lint findings of the migrations not yet applied in the environments checked; absent when there are none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LintFindingJson>? Lint { get; init; }
}

/// <summary>One environment of <c>strata check --env</c>, rendered from the library's <see cref="EnvironmentDrift"/>.</summary>
public sealed record EnvironmentDriftJson(string Environment, string? Database, bool Matches, string? Error, string Migrations, string Schema, bool TrackingTableExists,
    IReadOnlyList<string> Pending, IReadOnlyList<string> Problems, string? ComparedWith, string? NotCompared, IReadOnlyList<string> Differences, bool Exact)
{
    public static EnvironmentDriftJson From(EnvironmentDrift d) =>
        new(d.Environment, d.Database, d.Matches, d.Error, DriftView.MigrationsText(d), DriftView.SchemaText(d), d.TrackingTableExists,
            d.Pending, d.Problems, d.ComparedWith, d.NotCompared, DriftView.Describe(d.Changes).ToList(), d.Exact);
}

// ── push, reset, seed, pull ──────────────────────────────────────────────────────────────────────

/// <summary><c>strata push</c> (also <c>--dry-run</c>) when the database matches the schema.</summary>
public sealed record PushUnchangedJson(bool Changed, string Database, string Environment) : CommandResult;

/// <summary><c>strata push</c>: what ran, rendered from the library's <see cref="PushPlan"/> and its data losses.</summary>
public sealed record PushJson(bool Changed, string Database, string Environment, IReadOnlyList<StatementJson> Statements, IReadOnlyList<DataLossJson> DataLoss,
    IReadOnlyList<ColumnOutOfOrderJson> ColumnsOutOfOrder) : CommandResult
{
    public static PushJson From(PushPlan plan, IReadOnlyList<DataLoss> losses, string database, string environment) =>
        new(true, database, environment, plan.Statements.Select(StatementJson.From).ToList(), losses.Select(DataLossJson.From).ToList(),
            plan.ColumnsOutOfOrder.Select(ColumnOutOfOrderJson.From).ToList());
}

/// <summary><c>strata push --dry-run</c>: what push would run.</summary>
public sealed record PushDryRunJson(bool Changed, bool DryRun, string Database, string Environment, IReadOnlyList<StatementJson> Statements,
    IReadOnlyList<ColumnOutOfOrderJson> ColumnsOutOfOrder) : CommandResult
{
    public static PushDryRunJson From(PushPlan plan, string database, string environment) =>
        new(false, true, database, environment, plan.Statements.Select(StatementJson.From).ToList(), plan.ColumnsOutOfOrder.Select(ColumnOutOfOrderJson.From).ToList());
}

/// <summary>A column push adds at the end of its table while the schema puts it before <see cref="Before"/>, a column the table keeps (plain push's note).</summary>
public sealed record ColumnOutOfOrderJson(string Table, string Column, string Before)
{
    public static ColumnOutOfOrderJson From(ColumnOutOfOrder column) => new(column.Table.ToString(), column.Column, column.Before);
}

/// <summary>Data a push loses: why, and the table with its rows (null for a sequence).</summary>
public sealed record DataLossJson(string? Table, string Why, long? Rows)
{
    public static DataLossJson From(DataLoss loss) => new(loss.Table?.ToString(), loss.What, loss.Rows);
}

/// <summary><c>strata reset --dry-run</c>.</summary>
public sealed record ResetDryRunJson(bool DryRun, string Database, string Environment, IReadOnlyList<ManagedObjectJson> Drops) : CommandResult;

/// <summary><c>strata reset</c>, rendered from the Migrator's <see cref="ResetResult"/>.</summary>
public sealed record ResetJson(string Database, string Environment, IReadOnlyList<string> DroppedSchemas, bool TrackingSchemaDropped, IReadOnlyList<ManagedObjectJson> Drops,
    IReadOnlyList<AppliedMigrationJson> Applied, IReadOnlyList<SeededTableJson>? Seeded) : CommandResult
{
    public static ResetJson From(ResetResult result, IReadOnlyList<ManagedObjectJson> drops, IReadOnlyList<SeededTable>? seeded, string database, string environment) =>
        new(database, environment, result.Schemas, result.TrackingSchemaDropped, drops, result.Migrate.Applied.Select(AppliedMigrationJson.From).ToList(),
            seeded is null ? null : SeededTableJson.From(seeded));
}

/// <summary>An object a reset drops; whether the migrations define it (else the reset loses it for good).</summary>
public sealed record ManagedObjectJson(string Kind, string Name, bool DefinedByMigrations);

/// <summary><c>strata seed</c>.</summary>
public sealed record SeedJson(string Database, string Environment, IReadOnlyList<SeededTableJson> Seeded) : CommandResult;

/// <summary><c>strata pull</c>.</summary>
public sealed record PullJson(string Database, string Environment, double Milliseconds, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<FileActionJson> Files,
    IReadOnlyList<string> RemovedMigrations, PullBaselineJson Baseline, IReadOnlyList<string> Extensions, IReadOnlyList<NotCarriedJson> NotCarried) : CommandResult;

/// <summary>The baseline migration pull wrote.</summary>
public sealed record PullBaselineJson(string Id, string Path, int Statements);

/// <summary>An object of the database that the C# schema does not carry; <paramref name="InBaseline"/> when the baseline re-creates it verbatim.</summary>
public sealed record NotCarriedJson(string Kind, string Name, string? Detail, bool InBaseline);

// ── doctor, init, dev ────────────────────────────────────────────────────────────────────────────

/// <summary><c>strata doctor</c>.</summary>
public sealed record DoctorJson(string Environment, string Database, string? DirectDatabase, IReadOnlyList<FindingJson> Findings) : CommandResult;

/// <summary>One check of <c>strata doctor</c>.</summary>
public sealed record FindingJson(string Check, string Result, string Detail, string? Remedy);

/// <summary><c>strata init</c>.</summary>
public sealed record InitJson(string Directory, string Name, InitStrataJson Strata, IReadOnlyList<FileActionJson> Files) : CommandResult;

/// <summary>How the new project references Strata: the package and its version, or a project path.</summary>
public sealed record InitStrataJson(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Package,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Project);

/// <summary><c>strata dev</c> (start).</summary>
public sealed record DevStartJson(bool Running, bool Started, int Port, string DataDirectory, string Database, string Url) : CommandResult;

/// <summary><c>strata dev stop</c>; the port only when a server was stopped.</summary>
public sealed record DevStopJson(bool Stopped, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Port, string DataDirectory) : CommandResult;

/// <summary><c>strata dev status</c> when the local cluster exists.</summary>
public sealed record DevStatusJson(bool Exists, bool Running, int? Port, string DataDirectory, string Version, long? SizeBytes, string Database, bool? DatabaseExists, string? Url) : CommandResult;

/// <summary><c>strata dev status</c> when there is no local cluster yet.</summary>
public sealed record DevNoClusterJson(bool Exists, bool Running, string DataDirectory) : CommandResult;

/// <summary><c>strata dev url</c>.</summary>
public sealed record DevUrlJson(string Url, int Port, string Database) : CommandResult;

/// <summary>One line of <c>strata dev watch --json</c>: what a save gave.</summary>
/// <param name="Changed">Whether the next migration would contain statements; null when the schema did not compile or load.</param>
/// <param name="CompilePath">How the schema was made up to date: UpToDate, InProcess or FullBuild; null when it failed.</param>
/// <param name="SinceSaveMs">From the save's first file event to this result.</param>
public sealed record WatchSaveJson(int Save, IReadOnlyList<string> ChangedFiles, bool? Changed, IReadOnlyList<WatchStatementJson> Statements,
    IReadOnlyList<string> PossibleRenames, IReadOnlyList<string> Errors, IReadOnlyList<WatchEnvironmentJson> Environments,
    string? CompilePath, double CompileMs, double LoadMs, double DiffMs, double SinceSaveMs) : CommandResult;

/// <summary>A statement the next migration would contain, and what it destroys (null when nothing).</summary>
public sealed record WatchStatementJson(string Sql, string? DataLoss);

/// <summary>Whether an environment's database lacks migrations: State upToDate, behind, notReachable, notRunning, notConfigured or unknown.</summary>
public sealed record WatchEnvironmentJson(string Name, string State, int? Pending, string Summary);

// ── errors ───────────────────────────────────────────────────────────────────────────────────────

/// <summary>
/// The document of a failed run (<c>ok</c> false): the message, its details and remedy as the human output
/// prints them. A derived record adds the structured fields of its kind of failure; <c>CliOutput.Error</c>
/// fills in the common ones.
/// </summary>
public record ErrorJson
{
    [JsonPropertyOrder(-100)]
    public bool Ok { get; init; }

    [JsonPropertyOrder(-99)]
    public int ExitCode { get; init; }

    [JsonPropertyOrder(-98)]
    public string Error { get; init; } = "";

    [JsonPropertyOrder(-97)]
    public IReadOnlyList<string> Details { get; init; } = [];

    [JsonPropertyOrder(-96)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Remedy { get; init; }
}

/// <summary>The migration lock was held by another run for longer than --lock-wait.</summary>
public sealed record LockWaitErrorJson(double WaitedSeconds, string? LockHolder) : ErrorJson
{
    public static LockWaitErrorJson From(MigrationLockTimeoutException e) => new(Math.Round(e.Waited.TotalSeconds, 1), e.Holder);
}

/// <summary>A run stopped in the middle of a migration (lost connection, lost lock, cancelled).</summary>
public sealed record InterruptedErrorJson(string MigrationId, bool RanInTransaction, string Cause, int StatementsApplied, int StatementCount, bool DuringRollback) : ErrorJson
{
    public static InterruptedErrorJson From(MigrationInterruptedException e) =>
        new(e.MigrationId, e.RanInTransaction, JsonNamingPolicy.CamelCase.ConvertName(e.Cause.ToString()), e.StatementsApplied, e.StatementCount, e.DuringRollback);
}

/// <summary>
/// A statement the server rejected (migrate, rollback, reset, push): where, the SQLSTATE and PostgreSQL's words.
/// <c>migrationId</c> and <c>ranInTransaction</c> only for a migration's statement.
/// </summary>
public sealed record StatementErrorJson(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MigrationId,
    string File, int Line, int StatementLine, string Statement, string SqlState, string MessageText, string? Detail, string? Hint, int? Position,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? RanInTransaction,
    double? LockTimeoutSeconds, IReadOnlyList<LockHolderJson> LockHolders) : ErrorJson
{
    public static StatementErrorJson From(StatementFailedException failed)
    {
        var migration = failed as MigrationFailedException;
        return new(migration?.MigrationId, failed.File, failed.Line, failed.StatementLine, failed.StatementExcerpt, failed.SqlState, failed.MessageText,
            failed.Detail, failed.Hint, failed.Position, migration?.RanInTransaction, failed.LockTimeout?.TotalSeconds,
            failed.Blockers.Select(b => new LockHolderJson(b.Pid, b.User, b.Query, b.State)).ToList());
    }
}

/// <summary>A session that held the lock a statement waited for.</summary>
public sealed record LockHolderJson(int Pid, string? User, string? Query, string? State);

/// <summary>A migration file Strata cannot read.</summary>
public sealed record FileErrorJson(string File, int? Line) : ErrorJson;

/// <summary>A seed .sql statement the server rejected.</summary>
public sealed record SeedErrorJson(string File, int Line, string Statement, string SqlState, string MessageText, string? Detail) : ErrorJson;

/// <summary>A run refused before anything ran: every reason, each with its remedy and the flag that overrides it (if any).</summary>
public sealed record RefusedErrorJson(IReadOnlyList<RefusalJson> Refusals) : ErrorJson;

/// <summary>One reason a run was refused.</summary>
public sealed record RefusalJson(string Kind, string? MigrationId, string? File, string Message, string Remedy, string? OverrideFlag);

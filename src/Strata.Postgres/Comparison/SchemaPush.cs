using System.Text;
using Npgsql;
using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Execution;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;
using Strata.Renaming;

namespace Strata.Postgres.Comparison;

/// <summary>A data-losing statement: why, and the table whose rows it touches (null for a sequence) with its row count.</summary>
public sealed record DataLoss(QualifiedName? Table, string What, long? Rows);

/// <summary>One change of a push and its statements, so that each data-losing statement knows its table.</summary>
public sealed record PlannedChange(SchemaChange Change, IReadOnlyList<SqlStatement> Statements);

/// <summary>What a push runs: each change with its statements, in the order the differ gives them.</summary>
public sealed record PushPlan(IReadOnlyList<PlannedChange> Changes)
{
    private PushScript? _script;

    /// <summary>Every statement, in order: the transactional ones run in one transaction, the others after it.</summary>
    public IReadOnlyList<SqlStatement> Statements { get; } = Changes.SelectMany(c => c.Statements).ToList();

    /// <summary>Nothing to push: the database matches the schema.</summary>
    public bool IsEmpty => Changes.Count == 0;

    /// <summary>Whether a statement destroys data (drops a table or column, narrows a type, removes an enum value): applying it needs consent.</summary>
    public bool LosesData => Statements.Any(s => s.DataLoss is not null);

    /// <summary>The statements as one script, as <c>push --dry-run</c> prints it and <see cref="SchemaPush.ApplyAsync(NpgsqlDataSource, PushPlan, SessionTimeouts, bool, CancellationToken)"/> runs it.</summary>
    public PushScript Script => _script ??= SchemaPush.Script(Statements);

    /// <summary>The columns this plan adds where the schema has them before columns the table already has (<see cref="SchemaPush.ColumnsOutOfOrder"/>).</summary>
    public IReadOnlyList<ColumnOutOfOrder> ColumnsOutOfOrder { get; init; } = [];
}

/// <summary>
/// A column that push adds to an existing table, which PostgreSQL puts after its last column, while the schema puts
/// it before <paramref name="Before"/>, a column the table already has: the table's column order then differs from
/// the schema's (which no comparison counts). Push does not rebuild a table to reorder it.
/// </summary>
public sealed record ColumnOutOfOrder(QualifiedName Table, string Column, string Before);

/// <summary>
/// A push that would destroy data was not applied: its caller did not accept the loss. Nothing was changed.
/// </summary>
public sealed class DataLossNotAcceptedException(IReadOnlyList<string> losses)
    : Exception($"pushing would lose data ({string.Join("; ", losses)}); nothing was changed")
{
    /// <summary>Why each data-losing statement loses data.</summary>
    public IReadOnlyList<string> Losses { get; } = losses;
}

/// <summary>
/// <c>strata push</c>'s planning and execution: the difference between a live database and a model as
/// statements, what they would lose, and running them (no migration is written).
/// </summary>
public static class SchemaPush
{
    /// <summary>
    /// The live database (as <paramref name="selection"/> selects it, without the tracking table) and
    /// <paramref name="schema"/> made comparable: when the plain diff finds anything, the schema as
    /// PostgreSQL prints it, read from a scratch database built from it (<see cref="ScratchDatabase"/>).
    /// </summary>
    /// <param name="warn">Told when the comparison cannot be exact (no CREATEDB, an extension that cannot be created).</param>
    /// <returns>The schema to push and the live schema, in comparable forms: diff the live one to the expected one.</returns>
    public static async Task<(DatabaseModel Expected, DatabaseModel Live)> CompareAsync(LiveDatabase target, DatabaseModel schema, QualifiedName trackingTable,
        IntrospectionOptions selection, string? printedFormFolder, Action<string> warn, CancellationToken ct)
    {
        // A policy's role the server lacks would fail the scratch build and the push: refused first, with the roles named.
        await PolicyRoles.RequireAsync(target.DataSource, schema, ct);
        var live = await target.ReadAsync(trackingTable, selection, ct);
        // PostgreSQL prints check expressions, expression index keys and view queries its own way, so
        // the C# text rarely equals what the database reads back: when the plain diff finds anything,
        // the schema is compared as PostgreSQL prints it, read from a scratch database built from it.
        var (expected, comparable, _) = await ScratchDatabase.ComparableAsync(target, schema, live, selection, "strata_push_",
            "push matches check expressions, index expressions and view queries up to casts and parentheses (as check --env does then) rather than exactly",
            printedFormFolder, warn, ct);
        return (expected, comparable);
    }

    /// <summary>
    /// A whole push: under the migration lock (so that a migrate cannot change the database in between; none for a dry
    /// run), the live database compared with <paramref name="schema"/> (<see cref="CompareAsync"/>), every possible
    /// rename decided (<see cref="RenameResolver"/>), the plan made, and, unless it is empty or a dry run, its data loss
    /// counted, told to <see cref="PushCallbacks.Applying"/>, and the plan applied when any loss is accepted.
    /// </summary>
    /// <exception cref="UnresolvedRenamesException">A possible rename is undecided and nobody can be asked; nothing was changed.</exception>
    /// <exception cref="DataLossNotAcceptedException">The plan loses data and the loss was not accepted; nothing was changed.</exception>
    /// <exception cref="MigrationLockTimeoutException">The lock was not free within <see cref="PushOptions.LockWait"/>.</exception>
    /// <exception cref="StatementFailedException">A statement failed (see <see cref="ApplyAsync(NpgsqlDataSource, PushScript, SessionTimeouts, CancellationToken)"/>).</exception>
    public static async Task<PushResult> PushAsync(LiveDatabase target, DatabaseModel schema, PushOptions options, PushCallbacks callbacks, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(callbacks);
        // Held from reading the database to the last statement, so that a migrate cannot change it in between.
        await using var held = options.DryRun ? null : await MigrationLock.AcquireAsync(target.DataSource, options.TrackingTable, options.LockWait,
            holder => callbacks.WaitingForLock?.Invoke(holder), ct);
        var (expected, live) = await CompareAsync(target, schema, options.TrackingTable, options.Selection, options.PrintedFormFolder,
            text => callbacks.Warning?.Invoke(text), ct);
        var (diff, _) = RenameResolver.Resolve(live, expected, options.Renames, callbacks.Renames);
        var plan = Plan(diff) with { ColumnsOutOfOrder = ColumnsOutOfOrder(diff, expected) };
        if (plan.IsEmpty || options.DryRun)
            return new PushResult(plan, [], Applied: false);

        var losses = await DataLossAsync(target.DataSource, plan, ct);
        var accepted = await callbacks.Applying(plan, losses, ct);
        await ApplyAsync(target.DataSource, plan, options.Timeouts, accepted, ct);
        return new PushResult(plan, losses, Applied: true);
    }

    /// <summary>The statements of <paramref name="diff"/>, one change at a time, as the generator works.</summary>
    public static PushPlan Plan(SchemaDiff diff) =>
        new(diff.Changes.Select(change => new PlannedChange(change, PostgresSqlGenerator.Generate(new SchemaDiff(new[] { change }, ValueList<RenameCandidate>.Empty)))).ToList());

    /// <summary>
    /// The columns <paramref name="diff"/> adds to existing tables ahead of columns those tables keep, in
    /// <paramref name="target"/>'s order: each lands at the end of its table instead (ALTER TABLE … ADD COLUMN).
    /// </summary>
    public static IReadOnlyList<ColumnOutOfOrder> ColumnsOutOfOrder(SchemaDiff diff, DatabaseModel target)
    {
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentNullException.ThrowIfNull(target);
        var outOfOrder = new List<ColumnOutOfOrder>();
        foreach (var added in diff.Changes.OfType<AddColumn>().GroupBy(c => c.Table))
        {
            if (target.FindTable(added.Key) is not { } table)
                continue;
            var addedNames = added.Select(c => c.Column.Name).ToHashSet(StringComparer.Ordinal);
            var columns = table.Columns.Select(c => c.Name).ToList();
            for (var i = 0; i < columns.Count; i++)
            {
                if (addedNames.Contains(columns[i]) && columns.Skip(i + 1).FirstOrDefault(c => !addedNames.Contains(c)) is { } kept)
                    outOfOrder.Add(new ColumnOutOfOrder(added.Key, columns[i], kept));
            }
        }
        return outOfOrder;
    }

    /// <summary>The data-losing statements of <paramref name="plan"/>, with the rows of each table they touch.</summary>
    public static async Task<List<DataLoss>> DataLossAsync(NpgsqlDataSource dataSource, PushPlan plan, CancellationToken ct)
    {
        var losses = new List<(QualifiedName? Table, string What)>();
        foreach (var (change, statements) in plan.Changes)
        {
            var tables = change switch
            {
                DropTable c => [c.Table.QualifiedName],
                DropColumn c => [c.Table],
                AlterColumn c => [c.Table],
                ITypeRecreation c => c.Columns.Select(u => u.Table).Distinct().ToList(),
                _ => new List<QualifiedName>(),
            };
            foreach (var why in statements.Select(s => s.DataLoss).OfType<string>().Distinct())
            {
                if (tables.Count == 0)
                    losses.Add((null, why));
                foreach (var table in tables)
                    losses.Add((table, why));
            }
        }
        if (losses.Count == 0)
            return [];

        var rows = new Dictionary<QualifiedName, long>();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        foreach (var table in losses.Select(l => l.Table).OfType<QualifiedName>().Distinct())
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {SqlIdentifier.Quote(table)}", connection) { CommandTimeout = 0 };
            rows[table] = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        return losses.Distinct().Select(l => new DataLoss(l.Table, l.What, l.Table is { } t ? rows[t] : null)).ToList();
    }

    /// <summary>
    /// What a failed statement of push names as its file: push runs no file, so its statements are numbered by
    /// the lines of the SQL that <c>strata push --dry-run</c> prints (<see cref="Script"/>).
    /// </summary>
    public const string ScriptName = "push --dry-run";

    private const string OutsideHeader = "-- After the transaction, each on its own (PostgreSQL refuses them inside one):";

    /// <summary>
    /// <paramref name="statements"/> as one psql-ready script (what <c>push --dry-run</c> prints): the
    /// transactional ones, then, under a comment, those PostgreSQL refuses inside a transaction; each
    /// statement with the line of that script it starts on.
    /// </summary>
    public static PushScript Script(IReadOnlyList<SqlStatement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var inTransaction = statements.Where(s => s.Transactional).Select(s => s.Sql).ToList();
        var outside = statements.Where(s => !s.Transactional).Select(s => s.Sql).ToList();
        var text = new StringBuilder();
        foreach (var sql in inTransaction)
            text.Append(sql).Append("\n\n");
        if (outside.Count > 0)
            text.Append(OutsideHeader).Append("\n\n");
        var outsideFirstLine = text.ToString().AsSpan().Count('\n') + 1;
        foreach (var sql in outside)
            text.Append(sql).Append("\n\n");
        return new PushScript(text.ToString().TrimEnd('\n') + "\n",
            StatementExecutor.Numbered(inTransaction), StatementExecutor.Numbered(outside, outsideFirstLine));
    }

    /// <summary>
    /// Applies <paramref name="plan"/> (see <see cref="ApplyAsync(NpgsqlDataSource, PushScript, SessionTimeouts, CancellationToken)"/>), unless it
    /// destroys data and <paramref name="acceptDataLoss"/> is false: then nothing runs. Ask first, with
    /// <see cref="DataLossAsync"/>'s row counts.
    /// </summary>
    /// <exception cref="DataLossNotAcceptedException">The plan loses data and the loss was not accepted; nothing was changed.</exception>
    public static Task ApplyAsync(NpgsqlDataSource dataSource, PushPlan plan, SessionTimeouts timeouts, bool acceptDataLoss, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.LosesData && !acceptDataLoss)
            throw new DataLossNotAcceptedException(plan.Statements.Select(s => s.DataLoss).OfType<string>().Distinct().ToList());
        return ApplyAsync(dataSource, plan.Script, timeouts, ct);
    }

    /// <summary>
    /// Runs <paramref name="script"/> with the <see cref="StatementExecutor"/>, as migrate runs a migration: the
    /// session's <paramref name="timeouts"/> set, the transactional statements batched in one transaction, then
    /// each of the others on its own (a CREATE or DROP INDEX CONCURRENTLY without lock_timeout).
    /// </summary>
    /// <exception cref="StatementFailedException">A statement failed (its file is <see cref="ScriptName"/>): in the transaction,
    /// nothing is changed; after it, the transaction and the statements before it stay.</exception>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, PushScript script, SessionTimeouts timeouts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(script);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var executor = await StatementExecutor.StartAsync(connection, timeouts, dataSource, ct);
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            await executor.ExecuteBatchedAsync(transaction, ScriptName, script.InTransaction, starting: null, ct);
            await transaction.CommitAsync(ct);
        }
        foreach (var statement in script.Outside)
            await executor.ExecuteAloneAsync(ScriptName, statement, ct);
    }
}

/// <summary>push's statements as <c>push --dry-run</c> prints them (<see cref="Text"/>), split into those run in one transaction and those run after it.</summary>
public sealed record PushScript(string Text, IReadOnlyList<ScriptStatement> InTransaction, IReadOnlyList<ScriptStatement> Outside)
{
    public int Count => InTransaction.Count + Outside.Count;
}

/// <summary>What a push compares and how it runs (<see cref="SchemaPush.PushAsync"/>).</summary>
/// <param name="TrackingTable">The migrations' tracking table: left out of the comparison, and the key of the migration lock.</param>
/// <param name="Selection">The schemas and tables compared (<c>--schema</c>, <c>--table</c>); the rest is left alone.</param>
/// <param name="Renames">The rename decisions given up front (hints); what they leave open is asked through <see cref="PushCallbacks.Renames"/>.</param>
/// <param name="Timeouts">The session's lock_timeout and statement_timeout for the statements.</param>
/// <param name="LockWait">How long to wait for the migration lock.</param>
/// <param name="DryRun">Plan only: no lock is taken and nothing runs.</param>
/// <param name="PrintedFormFolder">The printed-form cache (<see cref="PrintedFormCache.Folder"/>); null for none.</param>
public sealed record PushOptions(QualifiedName TrackingTable, IntrospectionOptions Selection, RenameDecisions Renames, SessionTimeouts Timeouts,
    TimeSpan LockWait, bool DryRun = false, string? PrintedFormFolder = null);

/// <summary>What a push tells and asks its caller as it goes (<see cref="SchemaPush.PushAsync"/>).</summary>
public sealed class PushCallbacks
{
    /// <summary>
    /// Told the plan and what it loses (with row counts) just before it is applied; returns whether the loss is
    /// accepted (asked, or given up front). A plan that loses data and is not accepted is not applied
    /// (<see cref="DataLossNotAcceptedException"/>). Throwing here changes nothing.
    /// </summary>
    public required Func<PushPlan, IReadOnlyList<DataLoss>, CancellationToken, Task<bool>> Applying { get; init; }

    /// <summary>Asked about each possible rename the given decisions leave open; null when nobody can be (the push then refuses).</summary>
    public IRenameQuestions? Renames { get; init; }

    /// <summary>Told the session that holds the migration lock (null when unknown) while the push waits for it.</summary>
    public Action<string?>? WaitingForLock { get; init; }

    /// <summary>Told when the comparison cannot be exact (no CREATEDB, an extension that cannot be created).</summary>
    public Action<string>? Warning { get; init; }
}

/// <summary>What a push did.</summary>
/// <param name="Plan">Its changes and statements; empty when the database matched the schema.</param>
/// <param name="Losses">What the applied statements lost, with row counts; empty unless applied.</param>
/// <param name="Applied">False for a dry run and an empty plan: nothing ran.</param>
public sealed record PushResult(PushPlan Plan, IReadOnlyList<DataLoss> Losses, bool Applied);

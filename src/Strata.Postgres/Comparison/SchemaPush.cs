using System.Text;
using Npgsql;
using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Execution;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

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
}

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
        var live = await target.ReadAsync(trackingTable, selection, ct);
        // PostgreSQL prints check expressions, expression index keys and view queries its own way, so
        // the C# text rarely equals what the database reads back: when the plain diff finds anything,
        // the schema is compared as PostgreSQL prints it, read from a scratch database built from it.
        var (expected, comparable, _) = await ScratchDatabase.ComparableAsync(target, schema, live, selection, "strata_push_",
            "push matches check expressions, index expressions and view queries up to casts and parentheses (as check --env does then) rather than exactly",
            printedFormFolder, warn, ct);
        return (expected, comparable);
    }

    /// <summary>The statements of <paramref name="diff"/>, one change at a time, as the generator works.</summary>
    public static PushPlan Plan(SchemaDiff diff) =>
        new(diff.Changes.Select(change => new PlannedChange(change, PostgresSqlGenerator.Generate(new SchemaDiff(new[] { change }, ValueList<RenameCandidate>.Empty)))).ToList());

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

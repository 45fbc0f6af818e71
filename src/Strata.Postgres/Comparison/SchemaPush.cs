using System.Globalization;
using Npgsql;
using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;

namespace Strata.Postgres.Comparison;

/// <summary>A data-losing statement: why, and the table whose rows it touches (null for a sequence) with its row count.</summary>
public sealed record DataLoss(QualifiedName? Table, string What, long? Rows);

/// <summary>One change of a push and its statements, so that each data-losing statement knows its table.</summary>
public sealed record PlannedChange(SchemaChange Change, IReadOnlyList<SqlStatement> Statements);

/// <summary>What a push runs: each change with its statements, in the order the differ gives them.</summary>
public sealed record PushPlan(IReadOnlyList<PlannedChange> Changes)
{
    /// <summary>Every statement, in order: the transactional ones run in one transaction, the others after it.</summary>
    public IReadOnlyList<SqlStatement> Statements { get; } = Changes.SelectMany(c => c.Statements).ToList();
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
                RecreateEnum c => c.Columns.Select(u => u.Table).Distinct().ToList(),
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

    /// <summary>The transactional statements in one transaction, then each of the others on its own.</summary>
    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, IReadOnlyList<SqlStatement> statements, TimeSpan? lockTimeout, TimeSpan? statementTimeout, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (lockTimeout is { } lockTimeoutValue)
            await ExecuteAsync(connection, null, $"SET lock_timeout = {Milliseconds(lockTimeoutValue)}", ct);
        if (statementTimeout is { } statementTimeoutValue)
            await ExecuteAsync(connection, null, $"SET statement_timeout = {Milliseconds(statementTimeoutValue)}", ct);

        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            foreach (var statement in statements.Where(s => s.Transactional))
                await ExecuteAsync(connection, transaction, statement.Sql, ct);
            await transaction.CommitAsync(ct);
        }
        foreach (var statement in statements.Where(s => !s.Transactional))
            await ExecuteAsync(connection, null, statement.Sql, ct);
        return statements.Count;
    }

    private static string Milliseconds(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}

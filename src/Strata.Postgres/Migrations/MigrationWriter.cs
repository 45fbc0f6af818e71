using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;
using Strata.Snapshots;

namespace Strata.Postgres.Migrations;

/// <summary>A migration folder just written, and the statements of its up.sql (none for a hand-written one).</summary>
public sealed record WrittenMigration(Migration Migration, IReadOnlyList<SqlStatement> Statements);

/// <summary>
/// Writes migrations: up.sql, down.sql and snapshot.json rendered from a diff, the folder written, and
/// strata.sum updated. What <c>strata generate</c> (a change, or an empty migration for hand-written SQL)
/// and <c>strata pull</c> (the baseline of a live database) write.
/// </summary>
public static class MigrationWriter
{
    /// <summary>up.sql of <c>strata generate --custom</c>: instructions only, so migrate refuses it until SQL is written.</summary>
    public const string CustomUp = """
        -- A hand-written migration: put its SQL below, statements separated by lines of
        -- "--> statement-breakpoint". Start the file with "-- strata:no-transaction" when a statement
        -- cannot run inside a transaction (CREATE INDEX CONCURRENTLY, for example). strata migrate
        -- refuses this migration while it has no statement.

        """;

    /// <summary>down.sql of <c>strata generate --custom</c>.</summary>
    public const string CustomDown = """
        -- The SQL that undoes this migration's up.sql, statements separated by lines of
        -- "--> statement-breakpoint".

        """;

    /// <summary>
    /// Writes the migration <paramref name="id"/> that takes <paramref name="previous"/>'s schema (empty
    /// without one) to <paramref name="schema"/> by <paramref name="diff"/>, its renames as <paramref name="decisions"/> settled them.
    /// </summary>
    public static async Task<WrittenMigration> WriteChangesAsync(MigrationDirectory directory, string id, Snapshot? previous, DatabaseModel schema,
        SchemaDiff diff, RenameDecisions decisions, CancellationToken ct)
    {
        var (statements, up, down) = Render(diff, previous?.Schema ?? DatabaseModel.Empty, schema, decisions);
        return new WrittenMigration(await WriteAsync(directory, id, previous, schema, decisions, up, down, ct), statements);
    }

    /// <summary>
    /// Writes an empty migration <paramref name="id"/> for hand-written SQL: a hand-written migration changes
    /// nothing Strata models, so its snapshot holds <paramref name="previous"/>'s schema.
    /// </summary>
    public static async Task<WrittenMigration> WriteCustomAsync(MigrationDirectory directory, string id, Snapshot? previous, CancellationToken ct) =>
        new(await WriteAsync(directory, id, previous, previous?.Schema ?? DatabaseModel.Empty, RenameDecisions.None, CustomUp, CustomDown, ct), []);

    /// <summary>
    /// Writes the baseline <paramref name="id"/> of a database read by pull: the database's extensions first
    /// (its columns, defaults and indexes may use their types and functions, and the model does not hold
    /// extensions), then the objects carried verbatim that columns may use (<see cref="CarriedObject.BeforeModel"/>),
    /// then the model's statements, then the other objects carried verbatim (triggers, rules, statistics, aggregates,
    /// built on the model's objects). down.sql drops the carried objects and what the model holds, in the reverse
    /// order, and leaves the extensions, which other objects may still use.
    /// </summary>
    /// <param name="notCarried">What pull read and the model does not hold: its extensions are created first, and what can be carried verbatim is.</param>
    public static async Task<WrittenMigration> WriteBaselineAsync(MigrationDirectory directory, string id, DatabaseModel model,
        IReadOnlyList<UnmodelledObject> notCarried, CancellationToken ct)
    {
        var extensions = notCarried.Where(o => o.IsExtension)
            .Select(o => new SqlStatement($"CREATE EXTENSION IF NOT EXISTS {SqlIdentifier.Quote(o.Name)} WITH SCHEMA {SqlIdentifier.Quote(o.Schema!)};"));
        var before = notCarried.Where(o => o.Carried is { BeforeModel: true }).Select(o => o.Carried!).ToList();
        var after = notCarried.Where(o => o.Carried is { BeforeModel: false }).Select(o => o.Carried!).ToList();
        static IEnumerable<SqlStatement> Create(IEnumerable<CarriedObject> objects) => objects.SelectMany(o => o.Create).Select(sql => new SqlStatement(sql + ";"));
        static IEnumerable<SqlStatement> Drop(IEnumerable<CarriedObject> objects) => objects.Reverse().Select(o => new SqlStatement(o.Drop + ";"));

        // The objects carried before the model's need their schemas, which the model's diff creates first of all and
        // its undoing drops last.
        var diff = SchemaDiffer.Diff(DatabaseModel.Empty, model, RenameDecisions.None);
        var schemas = diff with { Changes = diff.Changes.Where(c => c is CreateSchema).ToValueList() };
        var rest = diff with { Changes = diff.Changes.Where(c => c is not CreateSchema).ToValueList() };
        IReadOnlyList<SqlStatement> statements =
            [.. extensions, .. PostgresSqlGenerator.Generate(schemas), .. Create(before), .. PostgresSqlGenerator.Generate(rest), .. Create(after)];
        var undo = SchemaDiffer.Diff(model, DatabaseModel.Empty, RenameDecisions.None);
        var undoSchemas = undo with { Changes = undo.Changes.Where(c => c is DropSchema).ToValueList() };
        var undoRest = undo with { Changes = undo.Changes.Where(c => c is not DropSchema).ToValueList() };
        IReadOnlyList<SqlStatement> reverse =
            [.. Drop(after), .. PostgresSqlGenerator.Generate(undoRest), .. Drop(before), .. PostgresSqlGenerator.Generate(undoSchemas)];
        var (up, down) = (MigrationScript.RenderUp(statements), MigrationScript.RenderDown(statements, reverse));
        return new WrittenMigration(await WriteAsync(directory, id, previous: null, model, RenameDecisions.None, up, down, ct), statements);
    }

    /// <summary>The statements of <paramref name="diff"/> and the up.sql and down.sql that apply and undo them.</summary>
    public static (IReadOnlyList<SqlStatement> Statements, string Up, string Down) Render(
        SchemaDiff diff, DatabaseModel previous, DatabaseModel schema, RenameDecisions decisions)
    {
        IReadOnlyList<SqlStatement> statements = PostgresSqlGenerator.Generate(diff);
        var reverse = PostgresSqlGenerator.Generate(SchemaDiffer.Diff(schema, previous, decisions.Invert()));
        return (statements, MigrationScript.RenderUp(statements), MigrationScript.RenderDown(statements, reverse));
    }

    /// <summary>Writes the migration folder <paramref name="id"/> with its snapshot of <paramref name="schema"/>, and records it in strata.sum.</summary>
    public static Task<Migration> WriteAsync(
        MigrationDirectory directory, string id, Snapshot? previous, DatabaseModel schema, RenameDecisions decisions, string up, string down, CancellationToken ct)
    {
        var snapshot = new Snapshot(Snapshot.ComputeId(previous?.Id, id, schema), previous?.Id, schema, decisions.Renames.ToValueList());
        return directory.WriteMigrationAsync(id, up, down, snapshot, ct);
    }
}

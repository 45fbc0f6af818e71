using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;
using Strata.Snapshots;

namespace Strata.Postgres.Migrations;

/// <summary>A migration folder just written, and the statements of its up.sql (none for a hand-written one).</summary>
public sealed record WrittenMigration(Migration Migration, IReadOnlyList<SqlStatement> Statements);

/// <summary>A baseline rendered by <see cref="MigrationWriter.RenderBaseline"/>, not yet written: its id, up.sql's statements, both scripts and its snapshot.</summary>
public sealed record RenderedBaseline(string Id, IReadOnlyList<SqlStatement> Statements, string Up, string Down, Snapshot Snapshot);

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

    /// <summary>The suffix of the name of the migration that runs a change's online part, after the one with the rest.</summary>
    public const string OnlineSuffix = "_concurrently";

    /// <summary>
    /// Writes the migrations that take <paramref name="previous"/>'s schema to <paramref name="schema"/> by
    /// <paramref name="diff"/>. With <see cref="MigrationSafety.On"/>, changes to existing tables take their safe forms
    /// (<see cref="PostgresSqlGenerator.GenerateSafe"/>): <paramref name="id"/> holds what runs in a transaction, and a
    /// second migration, <paramref name="id"/>'s name with <see cref="OnlineSuffix"/> and the next prefix, what runs outside
    /// one (concurrent index builds, validations), each with its own down.sql and the snapshot of the model it leaves.
    /// When only one of the two has statements, it is the one migration <paramref name="id"/>.
    /// </summary>
    public static async Task<IReadOnlyList<WrittenMigration>> WriteChangesAsync(MigrationDirectory directory, string id, Snapshot? previous, DatabaseModel schema,
        SchemaDiff diff, RenameDecisions decisions, MigrationSafety safety, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var previousSchema = previous?.Schema ?? DatabaseModel.Empty;
        if (safety == MigrationSafety.Off)
            return [await WriteChangesAsync(directory, id, previous, schema, diff, decisions, ct)];
        var split = PostgresSqlGenerator.GenerateSafe(diff, previousSchema, schema);
        if (split.Online.Count == 0)
            return [await WriteChangesAsync(directory, id, previous, schema, diff, decisions, ct)];

        // The online part's down.sql takes the target back to the intermediate model (SafeSplit.OnlineDown), its indexes
        // dropped and built again CONCURRENTLY; the transactional part's, the intermediate model back to the previous one, as a
        // plain migration's.
        if (split.Transactional.Count == 0)
        {
            var reverse = PostgresSqlGenerator.GenerateConcurrentIndexes(SchemaDiffer.Diff(schema, previousSchema, decisions.Invert()), schema);
            var only = await WriteAsync(directory, id, previous, schema, decisions, MigrationScript.RenderUp(split.Online), MigrationScript.RenderDown(split.Online, reverse), ct);
            return [new WrittenMigration(only, split.Online)];
        }
        var transactionalDown = PostgresSqlGenerator.Generate(SchemaDiffer.Diff(split.Intermediate, previousSchema, decisions.Invert()));
        var first = await WriteAsync(directory, id, previous, split.Intermediate, decisions,
            MigrationScript.RenderUp(split.Transactional), MigrationScript.RenderDown(split.Transactional, transactionalDown), ct);
        var firstSnapshot = await first.ReadSnapshotAsync(ct);
        var second = await WriteAsync(directory, OnlineId(directory, id), firstSnapshot, schema, RenameDecisions.None,
            MigrationScript.RenderUp(split.Online), MigrationScript.RenderDown(split.Online, split.OnlineDown), ct);
        return [new WrittenMigration(first, split.Transactional), new WrittenMigration(second, split.Online)];
    }

    /// <summary>The id of the online part that follows <paramref name="id"/>: the next prefix of the same kind, the name with <see cref="OnlineSuffix"/>.</summary>
    private static string OnlineId(MigrationDirectory directory, string id)
    {
        var separator = id.IndexOf('_', StringComparison.Ordinal);
        var (prefix, name) = (id[..separator], id[(separator + 1)..]);
        var maxName = MigrationDirectory.MaxNameLength - OnlineSuffix.Length;
        var online = (name.Length > maxName ? name[..maxName] : name) + OnlineSuffix;
        // The timestamp prefix moves on from the first part's, so the pair sorts in order even within one second.
        return directory.NextId(prefix.Length == 4 ? MigrationPrefix.Index : MigrationPrefix.Timestamp, online, DateTimeOffset.UtcNow);
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
    /// extensions), then the model's statements with the objects carried verbatim among them: those that tables
    /// and views may use (<see cref="CarriedObject.BeforeTables"/>: range types, aggregates) after the model's
    /// schemas, types and functions and before its tables and views, the rest (triggers, rules, statistics) last.
    /// down.sql drops them all in the reverse order and leaves the extensions, which other objects may still use.
    /// </summary>
    /// <param name="notCarried">What pull read and the model does not hold: its extensions are created first, and what can be carried verbatim is.</param>
    public static Task<WrittenMigration> WriteBaselineAsync(MigrationDirectory directory, string id, DatabaseModel model,
        IReadOnlyList<UnmodelledObject> notCarried, CancellationToken ct) =>
        WriteBaselineAsync(directory, RenderBaseline(id, model, notCarried), ct);

    /// <summary>Writes a baseline <see cref="RenderBaseline"/> rendered (the folder's first migration) and records it in strata.sum.</summary>
    public static async Task<WrittenMigration> WriteBaselineAsync(MigrationDirectory directory, RenderedBaseline baseline, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(baseline);
        var migration = await directory.WriteMigrationAsync(baseline.Id, baseline.Up, baseline.Down, baseline.Snapshot, ct);
        return new WrittenMigration(migration, baseline.Statements);
    }

    /// <summary>
    /// The baseline <see cref="WriteBaselineAsync(MigrationDirectory, string, DatabaseModel, IReadOnlyList{UnmodelledObject}, CancellationToken)"/>
    /// writes, rendered without touching the disk, so that pull can render it while it plans the C# files. Its three
    /// parts (the statements that build the model, those that undo them, the snapshot's id, which hashes the
    /// model's JSON) do not depend on each other and are worked out at once.
    /// </summary>
    public static RenderedBaseline RenderBaseline(string id, DatabaseModel model, IReadOnlyList<UnmodelledObject> notCarried)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(notCarried);
        var extensions = notCarried.Where(o => o.IsExtension)
            .Select(o => new SqlStatement($"CREATE EXTENSION IF NOT EXISTS {SqlIdentifier.Quote(o.Name)} WITH SCHEMA {SqlIdentifier.Quote(o.Schema!)};"));
        var beforeTables = notCarried.Where(o => o.Carried is { BeforeTables: true }).Select(o => o.Carried!).ToList();
        var last = notCarried.Where(o => o.Carried is { BeforeTables: false }).Select(o => o.Carried!).ToList();
        static IEnumerable<SqlStatement> Create(IEnumerable<CarriedObject> objects) => objects.SelectMany(o => o.Create).Select(sql => new SqlStatement(sql + ";"));
        static IEnumerable<SqlStatement> Drop(IEnumerable<CarriedObject> objects) => objects.Reverse().Select(o => new SqlStatement(o.Drop + ";"));

        var snapshotId = Task.Run(() => Snapshot.ComputeId(parentId: null, id, model));
        // The diff creates schemas, types and functions before the first table or view, and its undoing drops them
        // after the last: the objects carried before the tables go at that seam, both ways.
        var undoing = Task.Run(() =>
        {
            var undo = SchemaDiffer.Diff(model, DatabaseModel.Empty, RenameDecisions.None);
            var (undoTables, undoRest) = Split(undo, undo.Changes.Count - undo.Changes.Reverse().TakeWhile(c => c is not (DropTable or DropView)).Count());
            return (IReadOnlyList<SqlStatement>)[.. Drop(last), .. PostgresSqlGenerator.Generate(undoTables), .. Drop(beforeTables), .. PostgresSqlGenerator.Generate(undoRest)];
        });
        var diff = SchemaDiffer.Diff(DatabaseModel.Empty, model, RenameDecisions.None);
        var (beforeSeam, afterSeam) = Split(diff, diff.Changes.TakeWhile(c => c is not (CreateTable or CreateView)).Count());
        IReadOnlyList<SqlStatement> statements =
            [.. extensions, .. PostgresSqlGenerator.Generate(beforeSeam), .. Create(beforeTables), .. PostgresSqlGenerator.Generate(afterSeam), .. Create(last)];
        var reverse = undoing.GetAwaiter().GetResult();
        var snapshot = new Snapshot(snapshotId.GetAwaiter().GetResult(), ParentId: null, model, []);
        return new RenderedBaseline(id, statements, MigrationScript.RenderUp(statements), MigrationScript.RenderDown(statements, reverse), snapshot);
    }

    private static (SchemaDiff Before, SchemaDiff After) Split(SchemaDiff diff, int at) =>
        (diff with { Changes = diff.Changes.Take(at).ToValueList() }, diff with { Changes = diff.Changes.Skip(at).ToValueList() });

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

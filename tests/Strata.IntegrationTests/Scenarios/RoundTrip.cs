using System.Text;
using Npgsql;
using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;
using Xunit.Sdk;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>What a round trip generated, for scenarios that also assert on the statements and the files.</summary>
public sealed record RoundTripResult(IReadOnlyList<SqlStatement> Up, IReadOnlyList<SqlStatement> Down, string UpScript, string DownScript);

/// <summary>
/// The proof that a generated migration does what the schema says: A's migrations then A→B must give
/// the same database as B's alone, and the down script must give A back. Both the scenario catalogue
/// and the random test go through here.
/// </summary>
public sealed class RoundTrip(RoundTripDatabases databases)
{
    /// <summary>Builds a model with the DSL (and its validation).</summary>
    public static DatabaseModel Schema(Action<SchemaBuilder> define)
    {
        var builder = new SchemaBuilder();
        define(builder);
        return builder.Build();
    }

    /// <summary>
    /// Runs the whole round trip and throws a readable <see cref="XunitException"/> on the first difference.
    /// <paramref name="downRenames"/> defaults to <c>renames.Invert()</c>.
    /// </summary>
    public async Task<RoundTripResult> RunAsync(DatabaseModel a, DatabaseModel b, RenameDecisions? renames = null, RenameDecisions? downRenames = null, string? label = null)
    {
        renames ??= RenameDecisions.None;
        downRenames ??= renames.Invert();
        var context = label is null ? "" : label + ": ";

        RequireEmptyDiff(a, context + "A");
        RequireEmptyDiff(b, context + "B");

        var create = Plan(DatabaseModel.Empty, a, RenameDecisions.None, context + "∅→A");
        var createB = Plan(DatabaseModel.Empty, b, RenameDecisions.None, context + "∅→B");
        var up = Plan(a, b, renames, context + "A→B");
        var down = Plan(b, a, downRenames, context + "B→A (down)");

        var again = PostgresSqlGenerator.Generate(SchemaDiffer.Diff(a, b, renames));
        if (!again.SequenceEqual(up))
            throw new XunitException($"{context}the generator is not deterministic: the same A→B diff gave different SQL.\n--- first:\n{Text(up)}\n--- second:\n{Text(again)}");
        var exported = PostgresSqlGenerator.CreateAll(b);
        if (!exported.SequenceEqual(createB))
            throw new XunitException($"{context}CreateAll(B) differs from Generate(Diff(∅, B)).\n--- CreateAll:\n{Text(exported)}\n--- Generate:\n{Text(createB)}");

        // Every step goes through the migration file format, so breakpoints and directives are exercised too.
        var createScript = MigrationScript.RenderUp(create);
        var createBScript = MigrationScript.RenderUp(createB);
        var upScript = MigrationScript.RenderUp(up);
        var downScript = MigrationScript.RenderDown(up, down);

        var (db1, db2, db3) = await databases.ResetAsync();

        await Apply(db1, createScript, "up.sql", context + "∅→A on db1", "");
        await Apply(db3, createScript, "up.sql", context + "∅→A on db3", "");
        await Apply(db2, createBScript, "up.sql", context + "∅→B on db2", "");
        await Apply(db1, upScript, "up.sql", context + "A→B on db1 (after ∅→A)", createScript);

        await RequireSameDatabase(db2, db1, $"{context}A→B: the migrated database differs from one built from B alone (- built from B, + migrated)", createScript, upScript);

        await Apply(db1, downScript, "down.sql", context + "down B→A on db1", upScript);
        await RequireSameDatabase(db3, db1, $"{context}down: the rolled-back database differs from one built from A alone (- built from A, + rolled back)", upScript, downScript);

        return new RoundTripResult(up, down, upScript, downScript);
    }

    private static void RequireEmptyDiff(DatabaseModel model, string what)
    {
        var diff = SchemaDiffer.Diff(model, model, RenameDecisions.None);
        if (!diff.IsEmpty)
            throw new XunitException($"{what}: diffing the schema with itself is not empty:\n{string.Join("\n", diff.Changes)}");
    }

    private static IReadOnlyList<SqlStatement> Plan(DatabaseModel from, DatabaseModel to, RenameDecisions renames, string what)
    {
        var diff = SchemaDiffer.Diff(from, to, renames);
        if (diff.Unresolved.Count > 0)
            throw new XunitException($"{what}: the diff has unresolved rename candidates (pass RenameDecisions): {string.Join("; ", diff.Unresolved)}");
        return PostgresSqlGenerator.Generate(diff);
    }

    private static async Task Apply(NpgsqlDataSource database, string script, string fileName, string what, string before)
    {
        try
        {
            await ScriptApplier.ApplyAsync(database, script, fileName);
        }
        catch (PostgresException e)
        {
            var text = new StringBuilder($"{what}: PostgreSQL refused the generated migration: {e.SqlState} {e.MessageText}");
            if (e.Detail is { } detail)
                text.Append("\n  detail: ").Append(detail);
            if (e.Hint is { } hint)
                text.Append("\n  hint: ").Append(hint);
            if (e.Data["Statement"] is string statement)
                text.Append("\n  statement: ").Append(statement);
            if (before.Length > 0)
                text.Append("\n--- applied before:\n").Append(before);
            text.Append($"\n--- the migration ({fileName}):\n").Append(script);
            throw new XunitException(text.ToString());
        }
    }

    internal static async Task RequireSameDatabase(NpgsqlDataSource expected, NpgsqlDataSource actual, string what, string firstScript, string secondScript)
    {
        var expectedModel = await ReadAsync(expected);
        var actualModel = await ReadAsync(actual);
        var expectedNames = await CatalogNamesAsync(expected);
        var actualNames = await CatalogNamesAsync(actual);

        if (expectedModel == actualModel && expectedNames.SequenceEqual(actualNames))
            return;

        var text = new StringBuilder(what).AppendLine(":");
        if (expectedModel != actualModel)
        {
            text.AppendLine("model:").Append(ModelDump.Difference(expectedModel, actualModel));
            var changes = SchemaDiffer.Diff(expectedModel, actualModel, RenameDecisions.None).Changes;
            if (changes.Count > 0)
                text.AppendLine("changes from the expected to the actual model:").AppendLine(string.Join("\n", changes.Select(c => "  " + c)));
        }
        if (!expectedNames.SequenceEqual(actualNames))
        {
            text.AppendLine("catalog names (pg_class relations, pg_type types):");
            foreach (var name in expectedNames.Except(actualNames))
                text.Append("  - ").AppendLine(name);
            foreach (var name in actualNames.Except(expectedNames))
                text.Append("  + ").AppendLine(name);
        }
        text.AppendLine("--- script applied before:").AppendLine(firstScript);
        text.AppendLine("--- script of the step:").Append(secondScript);
        throw new XunitException(text.ToString());
    }

    /// <summary>
    /// The introspected model with columns sorted by name: ALTER TABLE … ADD COLUMN always appends, so a
    /// migrated table legitimately holds its columns in another order than a freshly created one.
    /// </summary>
    private static async Task<DatabaseModel> ReadAsync(NpgsqlDataSource database)
    {
        await using var connection = await database.OpenConnectionAsync();
        var model = await PostgresIntrospector.ReadAsync(connection);
        return model with
        {
            Tables = model.Tables.Select(t => t with { Columns = t.Columns.OrderBy(c => c.Name, StringComparer.Ordinal).ToValueList() }).ToValueList(),
        };
    }

    /// <summary>
    /// Every relation and type name in the user's schemas, with its kind. The model does not hold the
    /// names PostgreSQL derives (identity and serial sequences, row and array types), yet a leftover
    /// such as <c>users_id_seq</c> after renaming <c>users</c> is a real difference from a fresh database.
    /// </summary>
    private static async Task<IReadOnlyList<string>> CatalogNamesAsync(NpgsqlDataSource database)
    {
        const string sql = """
            SELECT 'relation ' || n.nspname || '.' || c.relname || ' kind ' || c.relkind::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
            UNION ALL
            SELECT 'type ' || n.nspname || '.' || t.typname || ' kind ' || t.typtype::text
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
            UNION ALL
            SELECT 'sequence owner ' || n.nspname || '.' || c.relname || ' owned by ' || tn.nspname || '.' || tc.relname || '.' || a.attname || ' ' || d.deptype::text
            FROM pg_depend d
            JOIN pg_class c ON c.oid = d.objid AND d.classid = 'pg_class'::regclass AND c.relkind = 'S'
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class tc ON tc.oid = d.refobjid AND d.refclassid = 'pg_class'::regclass
            JOIN pg_namespace tn ON tn.oid = tc.relnamespace
            JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = d.refobjsubid
            WHERE d.deptype IN ('a', 'i')
            ORDER BY 1
            """;
        await using var command = database.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }

    internal static string Text(IReadOnlyList<SqlStatement> statements) =>
        statements.Count == 0
            ? "(no statements)"
            : string.Join("\n", statements.Select(s => s.Sql
                + (s.Transactional ? "" : "   -- not transactional")
                + (s.DataLoss is { } loss ? "   -- data loss: " + loss : "")));
}

using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Sql;

namespace Strata.Tests.Sql;

/// <summary>Builds two schemas with the DSL and returns the SQL between them, one statement per line group.</summary>
internal static class MigrationSql
{
    public static DatabaseModel Build(Action<SchemaBuilder> define)
    {
        var builder = new SchemaBuilder();
        define(builder);
        return builder.Build();
    }

    public static IReadOnlyList<SqlStatement> Statements(Action<SchemaBuilder> from, Action<SchemaBuilder> to, params string[] hints)
    {
        Assert.True(RenameDecisions.TryParse(hints, out var decisions, out var error), error);
        var diff = SchemaDiffer.Diff(Build(from), Build(to), decisions);
        Assert.Empty(diff.Unresolved);
        return PostgresSqlGenerator.Generate(diff);
    }

    public static string Up(Action<SchemaBuilder> from, Action<SchemaBuilder> to, params string[] hints) =>
        Join(Statements(from, to, hints));

    public static string Create(Action<SchemaBuilder> define) => Join(PostgresSqlGenerator.CreateAll(Build(define)));

    public static string Join(IEnumerable<SqlStatement> statements) => string.Join("\n", statements.Select(s => s.Sql));

    /// <summary>
    /// <paramref name="model"/> reads back equal from its snapshot, where each of <paramref name="flags"/> is written as true,
    /// and from pull's C#; <paramref name="without"/>'s snapshot names none of them (so older snapshots read unchanged).
    /// </summary>
    public static void AssertCarriedBySnapshotAndCSharp(DatabaseModel model, DatabaseModel without, params string[] flags)
    {
        var snapshot = new Strata.Snapshots.Snapshot("0123456789abcdef0123456789abcdef", null, model, []);
        var json = Strata.Snapshots.SnapshotSerializer.Serialize(snapshot);
        var plain = Strata.Snapshots.SnapshotSerializer.Serialize(snapshot with { Schema = without });

        Assert.Equal(model, Strata.Snapshots.SnapshotSerializer.Deserialize(json, "snapshot.json").Schema);
        foreach (var flag in flags)
        {
            Assert.Contains($"\"{flag}\": true", json);
            Assert.DoesNotContain($"\"{flag}\"", plain);
        }
        Assert.Equal(model, Strata.Tests.CodeGeneration.GeneratedSchemas.RoundTrip([model]).Single());
    }

    /// <summary>
    /// <paramref name="model"/>'s snapshot names <paramref name="key"/> and reads back equal, the fast reader and the
    /// serializer agreeing; <paramref name="without"/>'s does not name it (so older snapshots read unchanged). Returns the JSON.
    /// </summary>
    public static string AssertSnapshotNamesOnlyWhenUsed(DatabaseModel model, DatabaseModel without, string key)
    {
        var snapshot = new Strata.Snapshots.Snapshot("0123456789abcdef0123456789abcdef", null, model, []);
        var json = Strata.Snapshots.SnapshotSerializer.Serialize(snapshot);
        var plain = Strata.Snapshots.SnapshotSerializer.Serialize(snapshot with { Schema = without });

        Assert.Contains($"\"{key}\": ", json);
        Assert.DoesNotContain($"\"{key}\"", plain);
        Assert.Equal(without, Strata.Snapshots.SnapshotSerializer.Deserialize(plain, "snapshot.json").Schema);
        Assert.Equal(model, Strata.Snapshots.SnapshotSerializer.Deserialize(json, "snapshot.json").Schema);
        Assert.Equal(json, Strata.Snapshots.SnapshotSerializer.Serialize(Strata.Snapshots.SnapshotSerializer.Deserialize(json, "snapshot.json")));
        return json;
    }

    public static void Empty(SchemaBuilder db)
    {
    }
}

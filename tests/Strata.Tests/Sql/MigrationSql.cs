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

    public static void Empty(SchemaBuilder db)
    {
    }
}

using Strata.Diffing;
using Strata.Model;

namespace Strata.Postgres.Sql;

/// <summary>Turns the differ's ordered changes into PostgreSQL 15 statements.</summary>
public static class PostgresSqlGenerator
{
    public static IReadOnlyList<SqlStatement> Generate(SchemaDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var statements = new List<SqlStatement>();
        foreach (var change in diff.Changes)
        {
            switch (change)
            {
                case CreateSchema c:
                    statements.Add(new($"CREATE SCHEMA {SqlIdentifier.Quote(c.Name)};"));
                    break;
                case CreateEnum c:
                    statements.Add(new($"CREATE TYPE {SqlIdentifier.Quote(c.Enum.QualifiedName)} AS ENUM ({string.Join(", ", c.Enum.Values.Select(SqlIdentifier.Literal))});"));
                    break;
                case CreateTable c:
                    statements.Add(new($"CREATE TABLE {SqlIdentifier.Quote(c.Table.QualifiedName)} ({string.Join(", ", c.Table.Columns.Select(col => SqlIdentifier.Quote(col.Name) + " " + col.Type))});"));
                    break;
                default:
                    throw new NotSupportedException($"The SQL generator does not handle {change.GetType().Name} yet.");
            }
        }
        return statements;
    }

    /// <summary>The statements that create the whole model in an empty database (export).</summary>
    public static IReadOnlyList<SqlStatement> CreateAll(DatabaseModel model) =>
        Generate(SchemaDiffer.Diff(DatabaseModel.Empty, model, RenameDecisions.None));
}

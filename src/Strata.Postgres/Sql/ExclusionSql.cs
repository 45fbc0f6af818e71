using System.Text;
using Strata.Diffing;
using Strata.Model;
using static Strata.Postgres.Sql.SqlIdentifier;

namespace Strata.Postgres.Sql;

// Exclusion constraints in SQL, in one file: ALTER TABLE … ADD CONSTRAINT … EXCLUDE USING … and DROP CONSTRAINT (a
// rename is the constraints' RENAME CONSTRAINT, which renames the index along). down.sql is the inverse diff.
public static partial class PostgresSqlGenerator
{
    internal static readonly KindSql ExclusionSql = Register(new KindSql()
        .Writes<AddExclusion>((c, output) => output.Add(new SqlStatement($"ALTER TABLE {Quote(c.Table)} ADD {ExclusionConstraintSql(c.Exclusion)};")),
            c => $"Exclusion constraint {c.Exclusion.Name} on table {c.Table}")
        .Writes<DropExclusion>((c, output) => output.Add(new SqlStatement(DropConstraintSql(c.Table, c.Exclusion.Name)))));

    /// <summary><c>CONSTRAINT name EXCLUDE USING method (key WITH op, …) [INCLUDE (…)] [WITH (…)] [WHERE (…)] [DEFERRABLE …]</c>.</summary>
    private static string ExclusionConstraintSql(ExclusionConstraint exclusion)
    {
        var sql = new StringBuilder($"CONSTRAINT {Quote(exclusion.Name)} EXCLUDE USING ");
        sql.Append(BuiltInIndexMethods.Contains(exclusion.Method) ? exclusion.Method : Quote(exclusion.Method));
        sql.Append(" (").Append(string.Join(", ", exclusion.Elements.Select(e => $"{IndexElementSql(e.Key)} WITH {e.Operator}"))).Append(')');
        if (exclusion.Include.Count > 0)
            sql.Append(" INCLUDE ").Append(ColumnList(exclusion.Include));
        if (exclusion.StorageParameters.Count > 0)
            sql.Append(" WITH (").Append(string.Join(", ", exclusion.StorageParameters)).Append(')');
        if (exclusion.Where is { } where)
            sql.Append(" WHERE (").Append(where).Append(')');
        return sql.Append(DeferrableSql(exclusion.Deferrable, exclusion.InitiallyDeferred)).ToString();
    }
}

using System.Text;
using Strata.Diffing;
using Strata.Model;
using static Strata.Postgres.Sql.SqlIdentifier;

namespace Strata.Postgres.Sql;

// Row-level security in SQL, in one file: ALTER TABLE … ENABLE/DISABLE and FORCE/NO FORCE ROW LEVEL SECURITY, and
// CREATE, ALTER (roles, USING, WITH CHECK, RENAME), COMMENT ON and DROP POLICY. down.sql is the inverse diff.
public static partial class PostgresSqlGenerator
{
    internal static readonly KindSql PolicySql = Register(new KindSql()
        .Writes<SetRowLevelSecurity>((c, output) => output.Add(new SqlStatement(
            $"ALTER TABLE {Quote(c.Table)} {(c.Enable ? "ENABLE" : "DISABLE")} ROW LEVEL SECURITY;")), c => $"Row-level security of table {c.Table}")
        .Writes<SetForceRowLevelSecurity>((c, output) => output.Add(new SqlStatement(
            $"ALTER TABLE {Quote(c.Table)} {(c.Force ? "FORCE" : "NO FORCE")} ROW LEVEL SECURITY;")), c => $"Row-level security of table {c.Table}")
        .Writes<CreatePolicy>(WriteCreatePolicy, c => $"Policy {c.Policy.Name} on table {c.Table}")
        .Writes<DropPolicy>((c, output) => output.Add(new SqlStatement($"DROP POLICY {Quote(c.Policy.Name)} ON {Quote(c.Table)};")))
        .Writes<RenamePolicy>((c, output) => output.Add(new SqlStatement($"ALTER POLICY {Quote(c.From)} ON {Quote(c.Table)} RENAME TO {Quote(c.To)};")))
        .Writes<AlterPolicy>(WriteAlterPolicy, c => $"Policy {c.To.Name} on table {c.Table}"));

    private static void WriteCreatePolicy(CreatePolicy change, List<SqlStatement> output)
    {
        var policy = change.Policy;
        var sql = new StringBuilder($"CREATE POLICY {Quote(policy.Name)} ON {Quote(change.Table)}");
        if (!policy.Permissive)
            sql.Append(" AS RESTRICTIVE");
        if (policy.Command != PolicyCommand.All)
            sql.Append(" FOR ").Append(policy.Command.ToString().ToUpperInvariant());
        sql.Append(" TO ").Append(RolesSql(policy.Roles));
        if (policy.Using is { } usingSql)
            sql.Append(" USING (").Append(usingSql).Append(')');
        if (policy.WithCheck is { } check)
            sql.Append(" WITH CHECK (").Append(check).Append(')');
        output.Add(new SqlStatement(sql.Append(';').ToString()));
        if (policy.Comment is not null)
            output.Add(new SqlStatement(PolicyCommentSql(change.Table, policy)));
    }

    /// <summary>ALTER POLICY for its roles and expressions in one statement, then its comment.</summary>
    private static void WriteAlterPolicy(AlterPolicy change, List<SqlStatement> output)
    {
        var to = change.To;
        var sql = new StringBuilder($"ALTER POLICY {Quote(to.Name)} ON {Quote(change.Table)}");
        if (change.Changes.HasFlag(PolicyChanges.Roles))
            sql.Append(" TO ").Append(RolesSql(to.Roles));
        if (change.Changes.HasFlag(PolicyChanges.Using) && to.Using is { } usingSql)
            sql.Append(" USING (").Append(usingSql).Append(')');
        if (change.Changes.HasFlag(PolicyChanges.WithCheck) && to.WithCheck is { } check)
            sql.Append(" WITH CHECK (").Append(check).Append(')');
        if ((change.Changes & ~PolicyChanges.Comment) != PolicyChanges.None)
            output.Add(new SqlStatement(sql.Append(';').ToString()));
        if (change.Changes.HasFlag(PolicyChanges.Comment))
            output.Add(new SqlStatement(PolicyCommentSql(change.Table, to)));
    }

    private static string PolicyCommentSql(QualifiedName table, Policy policy) =>
        $"COMMENT ON POLICY {Quote(policy.Name)} ON {Quote(table)} IS {CommentLiteral(policy.Comment)};";

    /// <summary>The roles of TO: PUBLIC as the keyword (a quoted "public" names no role), the others quoted.</summary>
    private static string RolesSql(ValueList<string> roles) =>
        roles.Count == 0 ? "PUBLIC" : string.Join(", ", roles.Select(r => r == Policy.Public ? "PUBLIC" : Quote(r)));
}

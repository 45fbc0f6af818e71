using System.Text;
using Strata.Diffing;
using Strata.Model;
using static Strata.Postgres.Sql.SqlIdentifier;

namespace Strata.Postgres.Sql;

// Roles and privileges in SQL, in one file: CREATE ROLE (only when the server lacks it: roles are the server's, and
// another database of it may have made the role already), ALTER ROLE, DROP ROLE, GRANT and REVOKE. down.sql is the
// inverse diff.
public static partial class PostgresSqlGenerator
{
    internal static readonly KindSql PrivilegeSql = Register(new KindSql()
        .Writes<CreateRole>((c, output) =>
        {
            output.Add(new SqlStatement(
                $"DO $strata$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {Literal(c.Role.Name)}) THEN CREATE ROLE {Quote(c.Role.Name)}; END IF; END $strata$;"));
            output.Add(new SqlStatement(AlterRoleSql(c.Role)));
        }, c => $"Role {c.Role.Name}")
        .Writes<AlterRole>((c, output) => output.Add(new SqlStatement(AlterRoleSql(c.Role))), c => $"Role {c.Role.Name}")
        .Writes<DropRole>((c, output) => output.Add(new SqlStatement($"DROP ROLE IF EXISTS {Quote(c.Role.Name)};",
            DataLoss: $"drops role {c.Role.Name}, which the server's other databases may use")), c => $"Role {c.Role.Name}")
        // A revoked default is applied by a REVOKE and taken back by a GRANT.
        .Writes<GrantPrivilege>((c, output) => output.Add(new SqlStatement(c.Grant.Revoked
            ? RevokeSql(c.Grant, grantOptionOnly: false)
            : GrantSql(c.Grant))),
            c => $"Grant on {c.Grant.ObjectText}")
        .Writes<RevokePrivilege>((c, output) => output.Add(new SqlStatement(c.Grant.Revoked
            ? GrantSql(c.Grant with { Revoked = false })
            : RevokeSql(c.Grant, c.GrantOptionOnly))),
            c => $"Grant on {c.Grant.ObjectText}")
        .Writes<AlterDefaultPrivileges>((c, output) => output.Add(new SqlStatement(AlterDefaultPrivilegesSql(c))), c => $"Default privileges on {DefaultPrivilege.ObjectsWord(c.Entry.On)}"));

    /// <summary>
    /// ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT … TO | REVOKE … FROM: the entry's own statement, or its
    /// inverse when taken back (a revoked default's inverse is a GRANT).
    /// </summary>
    private static string AlterDefaultPrivilegesSql(AlterDefaultPrivileges change)
    {
        var entry = change.Entry;
        var sql = new StringBuilder("ALTER DEFAULT PRIVILEGES");
        if (entry.ForRole.Length > 0)
            sql.Append(" FOR ROLE ").Append(Quote(entry.ForRole));
        if (entry.Schema.Length > 0)
            sql.Append(" IN SCHEMA ").Append(Quote(entry.Schema));
        var objects = $"{PrivilegeWord(entry.Privilege)} ON {DefaultPrivilege.ObjectsWord(entry.On).ToUpperInvariant()}";
        var grants = entry.Revoked == change.TakeBack;
        return grants
            ? sql.Append($" GRANT {objects} TO {GranteeSql(entry.Grantee)}{(entry.WithGrantOption && !change.TakeBack ? " WITH GRANT OPTION" : "")};").ToString()
            : sql.Append($" REVOKE {(change.GrantOptionOnly ? "GRANT OPTION FOR " : "")}{objects} FROM {GranteeSql(entry.Grantee)};").ToString();
    }

    private static string GrantSql(Grant grant) =>
        $"GRANT {PrivilegeWord(grant)} ON {GrantObjectSql(grant)} TO {GranteeSql(grant.Grantee)}{(grant.WithGrantOption ? " WITH GRANT OPTION" : "")};";

    private static string RevokeSql(Grant grant, bool grantOptionOnly) =>
        $"REVOKE {(grantOptionOnly ? "GRANT OPTION FOR " : "")}{PrivilegeWord(grant)} ON {GrantObjectSql(grant)} FROM {GranteeSql(grant.Grantee)};";

    /// <summary>ALTER ROLE with every attribute the schema manages, so that a role made elsewhere gets them too.</summary>
    private static string AlterRoleSql(Role role) =>
        $"ALTER ROLE {Quote(role.Name)} WITH {(role.Login ? "LOGIN" : "NOLOGIN")} {(role.Inherit ? "INHERIT" : "NOINHERIT")} "
        + $"{(role.CreateDb ? "CREATEDB" : "NOCREATEDB")} {(role.CreateRole ? "CREATEROLE" : "NOCREATEROLE")};";

    private static string PrivilegeWord(Privilege privilege) => privilege.ToString().ToUpperInvariant();

    /// <summary>The privilege, with its column for a column-level grant: <c>SELECT ("email")</c>.</summary>
    private static string PrivilegeWord(Grant grant) =>
        grant.Column.Length == 0 ? PrivilegeWord(grant.Privilege) : $"{PrivilegeWord(grant.Privilege)} ({Quote(grant.Column)})";

    /// <summary>PUBLIC as the keyword (a quoted "public" names no role), a role quoted.</summary>
    private static string GranteeSql(string grantee) => grantee == Grant.Public ? "PUBLIC" : Quote(grantee);

    /// <summary>The object of GRANT and REVOKE: <c>TABLE "s"."t"</c>, <c>ROUTINE "s"."f"(integer)</c> (functions and procedures alike).</summary>
    private static string GrantObjectSql(Grant grant)
    {
        switch (grant.On)
        {
            case GrantTarget.Schema:
                return $"SCHEMA {Quote(grant.Schema)}";
            case GrantTarget.Function:
                var paren = grant.Name.IndexOf('(');
                return new StringBuilder("ROUTINE ").Append(Quote(new QualifiedName(grant.Schema, grant.Name[..paren])))
                    .Append(grant.Name[paren..]).ToString();
            default:
                return $"{grant.On.ToString().ToUpperInvariant()} {Quote(grant.Object)}";
        }
    }
}

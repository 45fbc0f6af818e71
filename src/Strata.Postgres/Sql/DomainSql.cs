using System.Text;
using Strata.Diffing;
using Strata.Model;
using static Strata.Postgres.Sql.SqlIdentifier;

namespace Strata.Postgres.Sql;

// PostgreSQL domains in SQL, in one file: CREATE, ALTER (default, NOT NULL, checks), RENAME, re-creation and DROP
// DOMAIN, and a domain's name as a column type. Its comment is a SetComment, which the central generator writes.
public static partial class PostgresSqlGenerator
{
    internal static readonly KindSql DomainSql = Register(new KindSql()
        .NamesType(TypeKind.Domain, type => Quote(type.DomainName ?? throw new ArgumentException("A domain column type has no domain name.", nameof(type))))
        .Writes<CreateDomain>((c, output) => output.Add(new SqlStatement(CreateDomainSql(c.Domain))), c => $"Domain {c.Domain.QualifiedName}")
        .Writes<DropDomain>((c, output) => output.Add(new SqlStatement($"DROP DOMAIN {Quote(c.Domain.QualifiedName)};")))
        .Writes<RenameDomain>((c, output) => WriteMove("DOMAIN", c.From, c.To, output))
        .Writes<AlterDomain>(WriteAlterDomain, c => $"Domain {c.To.QualifiedName}")
        .Writes<AddDomainCheck>((c, output) => output.Add(new SqlStatement($"ALTER DOMAIN {Quote(c.Domain)} ADD {CheckSql(c.Check)};")),
            c => $"Check constraint {c.Check.Name} on domain {c.Domain}")
        .Writes<DropDomainCheck>((c, output) => output.Add(new SqlStatement($"ALTER DOMAIN {Quote(c.Domain)} DROP CONSTRAINT {Quote(c.Check.Name)};")))
        .Writes<RenameDomainCheck>((c, output) => output.Add(new SqlStatement($"ALTER DOMAIN {Quote(c.Domain)} RENAME CONSTRAINT {Quote(c.From)} TO {Quote(c.To)};")))
        .Writes<RecreateDomain>(WriteRecreateDomain, c => $"Domain {c.To.QualifiedName}"));

    private static string CreateDomainSql(Domain domain)
    {
        var sql = new StringBuilder($"CREATE DOMAIN {Quote(domain.QualifiedName)} AS {TypeSql(domain.BaseType)}");
        sql.Append(CollateSql(domain.Collation, domain.CollationSchema));
        if (domain.Default is { } defaultSql)
            sql.Append(" DEFAULT ").Append(defaultSql);
        if (domain.NotNull)
            sql.Append(" NOT NULL");
        foreach (var check in domain.Checks)
            sql.Append(' ').Append(CheckSql(check));
        return sql.Append(';').ToString();
    }

    /// <summary>
    /// SET/DROP DEFAULT and SET/DROP NOT NULL. SET NOT NULL (like ADD CONSTRAINT) makes PostgreSQL scan every
    /// column of the domain and fail on a NULL: the migration stops, nothing is lost.
    /// </summary>
    private static void WriteAlterDomain(AlterDomain change, List<SqlStatement> output)
    {
        var alter = $"ALTER DOMAIN {Quote(change.To.QualifiedName)}";
        if (change.Changes.HasFlag(DomainChanges.Default))
            output.Add(new SqlStatement(change.To.Default is { } defaultSql ? $"{alter} SET DEFAULT {defaultSql};" : $"{alter} DROP DEFAULT;"));
        if (change.Changes.HasFlag(DomainChanges.NotNull))
            output.Add(new SqlStatement($"{alter} {(change.To.NotNull ? "SET" : "DROP")} NOT NULL;"));
    }

    /// <summary>
    /// PostgreSQL cannot change a domain's base type or collation: rename the old domain aside, create the new
    /// one, convert each column through text, and leave the old domain for a later DROP once nothing uses it.
    /// </summary>
    private static void WriteRecreateDomain(RecreateDomain change, List<SqlStatement> output)
    {
        var (from, to) = (change.From.BaseType, change.To.BaseType);
        // A value an enum does not accept fails the conversion; any other narrowing (varchar(3), also when it
        // is the base of a domain in between, which the change does not show) would cut the value silently.
        var dataLoss = to.Kind is TypeKind.Enum || TypeConversions.IsLossless(from, to)
            ? null
            : $"converts the values of domain {change.To.QualifiedName} from {from} to {to}, which may not hold every value";
        output.Add(new SqlStatement($"ALTER DOMAIN {Quote(change.From.QualifiedName)} RENAME TO {Quote(change.TemporaryName)};"));
        output.Add(new SqlStatement(CreateDomainSql(change.To), DataLoss: change.Columns.Count > 0 ? dataLoss : null));
        WriteColumnConversions(change.Columns, dataLoss, output);
    }
}

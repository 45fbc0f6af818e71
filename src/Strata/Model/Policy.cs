using Strata.Snapshots;

namespace Strata.Model;

/// <summary>The command a row-level security policy applies to (<c>FOR …</c>).</summary>
public enum PolicyCommand
{
    [SnapshotName("all")]
    All,
    [SnapshotName("select")]
    Select,
    [SnapshotName("insert")]
    Insert,
    [SnapshotName("update")]
    Update,
    [SnapshotName("delete")]
    Delete,
}

/// <summary>
/// A table's row-level security: whether it is enabled and forced on the owner (<c>ALTER TABLE … ENABLE | FORCE ROW
/// LEVEL SECURITY</c>), and its policies. Bound to its table as indexes and checks are, but kept beside it in
/// <see cref="DatabaseModel.RowSecurity"/>: one record per table that has either.
/// </summary>
/// <param name="Table">The table's name in <paramref name="Schema"/>.</param>
/// <param name="Enabled">ENABLE ROW LEVEL SECURITY: the policies apply (without it they exist and do nothing).</param>
/// <param name="Forced">FORCE ROW LEVEL SECURITY: they apply to the table's owner too.</param>
public sealed record TableSecurity(
    string Schema,
    string Table,
    bool Enabled = false,
    bool Forced = false,
    ValueList<Policy> Policies = default)
{
    /// <summary>The table's qualified name.</summary>
    public QualifiedName TableName => new(Schema, Table);

    /// <summary>Canonical order: policies by name, each normalised.</summary>
    public TableSecurity Normalize() => this with
    {
        Policies = Policies.Select(p => p.Normalize()).OrderBy(p => p.Name, StringComparer.Ordinal).ToValueList(),
    };

    public Policy? FindPolicy(string name) => Policies.FirstOrDefault(p => p.Name == name);
}

/// <summary>
/// A row-level security policy of a table (<c>CREATE POLICY name ON table</c>): names are unique per table.
/// </summary>
/// <param name="Permissive">PERMISSIVE (combined with OR, the default) or RESTRICTIVE (combined with AND).</param>
/// <param name="Roles">The roles it applies to, by name, <c>public</c> (alone) for every role; sorted, never empty once normalised.</param>
/// <param name="Using">The USING expression, which rows are visible (SELECT, UPDATE, DELETE, ALL); null when none.</param>
/// <param name="WithCheck">The WITH CHECK expression, which new rows are allowed (INSERT, UPDATE, ALL); null when none.</param>
/// <param name="Reads">What the two expressions read, as PostgreSQL recorded it (not part of equality).</param>
public sealed record Policy(
    string Name,
    PolicyCommand Command = PolicyCommand.All,
    bool Permissive = true,
    ValueList<string> Roles = default,
    string? Using = null,
    string? WithCheck = null,
    string? Comment = null,
    ExpressionReads Reads = default)
{
    /// <summary>The role every role is a member of, as PostgreSQL prints it.</summary>
    public const string Public = "public";

    /// <summary>
    /// Canonical roles: each once, sorted; none, or <c>public</c> (in any case) among them, means <c>public</c> alone, as
    /// PostgreSQL keeps it (it ignores the other roles of a list with PUBLIC: every role is a member of PUBLIC).
    /// </summary>
    public Policy Normalize() => this with { Roles = NormalizeRoles(Roles) };

    public static ValueList<string> NormalizeRoles(IEnumerable<string> roles)
    {
        var normal = roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToValueList();
        return normal.Count == 0 || normal.Any(r => string.Equals(r, Public, StringComparison.OrdinalIgnoreCase)) ? ValueList.Create(Public) : normal;
    }
}

/// <summary>The tables' row-level security and policies of a model, beside the tables they belong to.</summary>
public sealed partial record DatabaseModel
{
    /// <summary>The row-level security of the tables that enable it or have policies, by table name once normalised.</summary>
    public ValueList<TableSecurity> RowSecurity { get; init; }

    public TableSecurity? FindRowSecurity(QualifiedName table) => RowSecurity.FirstOrDefault(s => s.TableName == table);

    // After the checks: pull's summary lists the policies with what else belongs to tables.
    internal static readonly TableSecurityKind RowSecurityKind = Register(new TableSecurityKind());

    internal sealed class TableSecurityKind() : ModelKind<TableSecurity>(63, "policies", "policy", "policies")
    {
        public override bool IsTableBound => true;

        protected override ValueList<TableSecurity> Items(DatabaseModel model) => model.RowSecurity;

        protected override DatabaseModel With(DatabaseModel model, ValueList<TableSecurity> items) => model with { RowSecurity = items };

        protected override QualifiedName NameOf(TableSecurity item) => item.TableName;

        protected override int CountIn(DatabaseModel model) => model.RowSecurity.Sum(s => s.Policies.Count);

        protected override TableSecurity Normalize(TableSecurity item) => item.Normalize();

        protected override bool KnowsReads(TableSecurity item) => item.Policies.Any(p => p.Reads.IsKnown);

        protected override TableSecurity WithReads(TableSecurity target, TableSecurity source) => target with
        {
            Policies = target.Policies
                .Select(p => source.FindPolicy(p.Name) is { } from ? p with { Reads = ModelReads.Keep(p.Reads, from.Reads) } : p)
                .ToValueList(),
        };

        public override DatabaseModel InRelations(DatabaseModel model, Func<QualifiedName, bool> includesRelation) =>
            model with { RowSecurity = model.RowSecurity.Where(s => includesRelation(s.TableName)).ToValueList() };
    }
}

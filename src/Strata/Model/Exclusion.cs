namespace Strata.Model;

/// <summary>
/// A table's exclusion constraints (<c>ALTER TABLE … ADD CONSTRAINT name EXCLUDE USING gist (room WITH =, during WITH &amp;&amp;)</c>).
/// Bound to its table as checks and indexes are, but kept beside it in <see cref="DatabaseModel.Exclusions"/>: one record
/// per table that has any, so that a model without them (and its snapshot) is unchanged.
/// </summary>
public sealed record TableExclusions(string Schema, string Table, ValueList<ExclusionConstraint> Constraints = default)
{
    /// <summary>The table's qualified name.</summary>
    public QualifiedName TableName => new(Schema, Table);

    /// <summary>Canonical order: constraints by name.</summary>
    public TableExclusions Normalize() => this with
    {
        Constraints = Constraints.OrderBy(c => c.Name, StringComparer.Ordinal).ToValueList(),
    };

    public ExclusionConstraint? Find(string name) => Constraints.FirstOrDefault(c => c.Name == name);
}

/// <summary>
/// An exclusion constraint: no two rows may have every element compare true with its operator (<c>WITH &amp;&amp;</c>:
/// no two overlap). PostgreSQL enforces it through an index of <paramref name="Method"/> of the same name.
/// </summary>
/// <param name="Method">The index access method: gist (the usual), spgist, btree or hash.</param>
/// <param name="Elements">The keys, each a column or expression (with operator class, order and NULLS as an index key's) and its operator.</param>
/// <param name="Include">INCLUDE: columns stored in the index that take no part in the exclusion.</param>
/// <param name="StorageParameters">WITH (…): the index's storage parameters as PostgreSQL keeps them, <c>fillfactor=70</c>.</param>
/// <param name="Where">The predicate, without WHERE: only the rows it holds for are compared.</param>
/// <param name="Deferrable">DEFERRABLE (with <paramref name="InitiallyDeferred"/>), as on <see cref="PrimaryKey"/>.</param>
/// <param name="Reads">What the expressions and predicate read, as PostgreSQL recorded it (not part of equality).</param>
public sealed record ExclusionConstraint(
    string Name,
    ValueList<ExclusionElement> Elements,
    string Method = "gist",
    ValueList<string> Include = default,
    ValueList<string> StorageParameters = default,
    string? Where = null,
    bool Deferrable = false,
    bool InitiallyDeferred = false,
    ExpressionReads Reads = default)
{
    /// <summary>The index PostgreSQL builds for it, as the differ and SQL generator treat an index (its keys, INCLUDE and predicate).</summary>
    public Index AsIndex => new(Name, Elements.Select(e => e.Key).ToValueList(), Method: Method, Include: Include, Where: Where, Reads: Reads);
}

/// <summary>One key of an exclusion constraint: <c>key WITH operator</c>.</summary>
/// <param name="Operator">The operator, as PostgreSQL prints it: <c>=</c>, <c>&amp;&amp;</c>, or <c>OPERATOR(schema.op)</c> outside pg_catalog and public.</param>
public sealed record ExclusionElement(IndexElement Key, string Operator);

/// <summary>The exclusion constraints of a model, beside the tables they belong to.</summary>
public sealed partial record DatabaseModel
{
    /// <summary>The exclusion constraints of the tables that have any, by table name once normalised.</summary>
    public ValueList<TableExclusions> Exclusions { get; init; }

    public TableExclusions? FindExclusions(QualifiedName table) => Exclusions.FirstOrDefault(e => e.TableName == table);

    // With the table's other constraints in pull's summary: after the checks (62), before the policies (63).
    internal static readonly TableExclusionsKind ExclusionsKind = Register(new TableExclusionsKind());

    internal sealed class TableExclusionsKind() : ModelKind<TableExclusions>(64, "exclusionConstraints", "exclusion constraint", "exclusion constraints")
    {
        public override bool IsTableBound => true;

        protected override ValueList<TableExclusions> Items(DatabaseModel model) => model.Exclusions;

        protected override DatabaseModel With(DatabaseModel model, ValueList<TableExclusions> items) => model with { Exclusions = items };

        protected override QualifiedName NameOf(TableExclusions item) => item.TableName;

        protected override int CountIn(DatabaseModel model) => model.Exclusions.Sum(e => e.Constraints.Count);

        protected override TableExclusions Normalize(TableExclusions item) => item.Normalize();

        protected override bool KnowsReads(TableExclusions item) => item.Constraints.Any(c => c.Reads.IsKnown);

        protected override TableExclusions WithReads(TableExclusions target, TableExclusions source) => target with
        {
            Constraints = target.Constraints
                .Select(c => source.Find(c.Name) is { } from ? c with { Reads = ModelReads.Keep(c.Reads, from.Reads) } : c)
                .ToValueList(),
        };

        public override DatabaseModel InRelations(DatabaseModel model, Func<QualifiedName, bool> includesRelation) =>
            model with { Exclusions = model.Exclusions.Where(e => includesRelation(e.TableName)).ToValueList() };
    }
}

namespace Strata.Model;

/// <summary>
/// Moves what expressions read (<see cref="ExpressionReads"/>) from one model onto another by name, leaving every
/// declared text as it is: from a model PostgreSQL printed (a scratch build of the same model), or from an
/// earlier model whose objects did not change (what the last snapshot recorded).
/// </summary>
public static class ModelReads
{
    /// <summary>
    /// <paramref name="declared"/> with the reads of <paramref name="printed"/>'s objects of the same names: the
    /// model built in a scratch database and read back. Its columns' defaults and generated expressions, checks,
    /// indexes, views and the other kinds' expressions keep their declared text; objects <paramref name="printed"/> lacks keep their reads.
    /// </summary>
    public static DatabaseModel CopiedFrom(DatabaseModel declared, DatabaseModel printed) => Copy(declared, printed, unchangedOnly: false);

    /// <summary>
    /// <paramref name="current"/> with the reads <paramref name="previous"/> knows for the same objects where they
    /// cannot have changed: a table's expressions when the table is equal in both (its columns, and so what its
    /// expressions' names resolve to, are the same), an object of another kind when it is equal, a view's query when the
    /// view and every relation it reads are. Reads <paramref name="current"/> knows already are kept.
    /// </summary>
    public static DatabaseModel CarriedOver(DatabaseModel current, DatabaseModel previous) => Copy(current, previous, unchangedOnly: true);

    private static DatabaseModel Copy(DatabaseModel target, DatabaseModel source, bool unchangedOnly)
    {
        // Most snapshots know no reads (written from the DSL before generate asked PostgreSQL): nothing to copy.
        if (!KnowsAnyReads(source))
            return target;
        var tables = source.Tables.ToDictionary(t => t.QualifiedName);
        var views = source.Views.ToDictionary(v => v.QualifiedName);
        var targetTables = target.Tables.ToDictionary(t => t.QualifiedName);
        var targetViews = target.Views.ToDictionary(v => v.QualifiedName);
        var unchangedViews = new Dictionary<QualifiedName, bool>();

        bool Unchanged(QualifiedName relation) =>
            targetTables.TryGetValue(relation, out var table) ? tables.TryGetValue(relation, out var before) && before == table
            : targetViews.TryGetValue(relation, out var view) && UnchangedView(view);

        bool UnchangedView(View view)
        {
            if (unchangedViews.TryGetValue(view.QualifiedName, out var known))
                return known;
            // A view that reads itself through a cycle is refused by the validator; false until proven guards anyway.
            unchangedViews[view.QualifiedName] = false;
            var unchanged = views.TryGetValue(view.QualifiedName, out var before) && before == view && view.DependsOn.All(Unchanged);
            unchangedViews[view.QualifiedName] = unchanged;
            return unchanged;
        }

        var copied = target with
        {
            Tables = target.Tables.Select(t => tables.TryGetValue(t.QualifiedName, out var from) && (!unchangedOnly || from == t) ? WithReads(t, from) : t).ToValueList(),
            Views = target.Views.Select(v => views.TryGetValue(v.QualifiedName, out var from) && (!unchangedOnly || UnchangedView(v))
                ? v with { Reads = Keep(v.Reads, from.Reads), Indexes = WithReads(v.Indexes, from.Indexes) }
                : v).ToValueList(),
        };
        foreach (var kind in DatabaseModel.Kinds)
            copied = kind.CopyReads(copied, source, unchangedOnly);
        return copied;
    }

    private static bool KnowsAnyReads(DatabaseModel model) =>
        model.Tables.Any(t => t.Columns.Any(c => c.Reads.IsKnown) || t.Checks.Any(c => c.Reads.IsKnown) || t.Indexes.Any(i => i.Reads.IsKnown))
        || model.Views.Any(v => v.Reads.IsKnown || v.Indexes.Any(i => i.Reads.IsKnown))
        || DatabaseModel.Kinds.Any(k => k.KnowsAnyReads(model));

    private static Table WithReads(Table table, Table from)
    {
        var columns = from.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        return table with
        {
            Columns = table.Columns.Select(c => columns.TryGetValue(c.Name, out var source) ? c with { Reads = Keep(c.Reads, source.Reads) } : c).ToValueList(),
            Checks = WithReads(table.Checks, from.Checks),
            Indexes = WithReads(table.Indexes, from.Indexes),
        };
    }

    internal static ValueList<CheckConstraint> WithReads(ValueList<CheckConstraint> checks, ValueList<CheckConstraint> from)
    {
        var byName = from.ToDictionary(c => c.Name, StringComparer.Ordinal);
        return checks.Select(c => byName.TryGetValue(c.Name, out var source) ? c with { Reads = Keep(c.Reads, source.Reads) } : c).ToValueList();
    }

    private static ValueList<Index> WithReads(ValueList<Index> indexes, ValueList<Index> from)
    {
        var byName = from.ToDictionary(i => i.Name, StringComparer.Ordinal);
        return indexes.Select(i => byName.TryGetValue(i.Name, out var source) ? i with { Reads = Keep(i.Reads, source.Reads) } : i).ToValueList();
    }

    internal static ExpressionReads Keep(ExpressionReads own, ExpressionReads other) => own.IsKnown ? own : other;
}

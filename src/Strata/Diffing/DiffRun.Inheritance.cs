using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// Table inheritance (INHERITS): a child gains a parent with ALTER TABLE … INHERIT when it already has the parent's
/// columns and checks, loses one with NO INHERIT (its inherited columns and checks then become its own), and is dropped
/// and created again otherwise. What PostgreSQL passes on from a parent to its children (columns added, dropped,
/// retyped, renamed; defaults and NOT NULL set) is done on the parent alone.
/// </summary>
internal sealed partial class DiffRun
{
    // NO INHERIT names both tables by their old names and frees the child's inherited columns for their drops.
    private const int NoInheritRank = ChangeRank.Drops + 100;
    private const int InheritRank = ChangeRank.Creates + 760;

    private Dictionary<QualifiedName, Table>? _newTablesByName;

    /// <summary>A child's column changes that set again what its parent's ALTER passed on: they run after the parent's.</summary>
    private readonly Dictionary<SchemaChange, QualifiedName> _afterParent = new(ReferenceEqualityComparer.Instance);

    private Dictionary<QualifiedName, Table> NewTables => _newTablesByName ??= _new.Tables.ToDictionary(t => t.QualifiedName);

    /// <summary>
    /// Kept tables whose parents change: in place where PostgreSQL can (the added parents last, and the child already
    /// has their columns and checks), else dropped and created again, with the children of re-created tables.
    /// </summary>
    private void ReinheritTables(List<(Table Old, Table New)> pairs)
    {
        var recreated = _addedTables.Select(t => t.QualifiedName).Where(n => _droppedTables.Any(d => d.QualifiedName == n)).ToHashSet();
        var droppedOld = _droppedTables.Select(t => t.QualifiedName).ToHashSet();
        var pending = new HashSet<QualifiedName>();
        bool changed;
        do
        {
            changed = false;
            foreach (var (old, target) in pairs)
            {
                if (pending.Contains(target.QualifiedName))
                    continue;
                // A parent dropped and created again cannot be let go of and taken back: its children are re-created with it.
                var parentRecreated = old.Inherits.Any(p => target.Inherits.Contains(MapTable(p)) && (droppedOld.Contains(p) || pending.Contains(MapTable(p))))
                    || target.Inherits.Any(recreated.Contains);
                if (parentRecreated || !CanReinheritInPlace(old, target) || ChangesWhichInheritedColumnsItDeclares(old, target))
                    changed |= pending.Add(target.QualifiedName);
            }
        }
        while (changed);
        foreach (var pair in pairs.Where(p => pending.Contains(p.New.QualifiedName)).ToList())
        {
            pairs.Remove(pair);
            _tableMap.Remove(pair.Old.QualifiedName);
            _droppedTables.Add(pair.Old);
            _addedTables.Add(pair.New);
        }

        for (var i = 0; i < pairs.Count; i++)
        {
            var (old, target) = pairs[i];
            var oldParents = old.Inherits.Select(MapTable).ToList();
            if (oldParents.SequenceEqual(target.Inherits))
                continue;
            var removed = old.Inherits.Where(p => !target.Inherits.Contains(MapTable(p))).ToList();
            var kept = old.Inherits.Where(p => target.Inherits.Contains(MapTable(p))).ToList();
            foreach (var parent in removed)
            {
                var noInherit = Add(NoInheritRank, new SetTableInheritance(old.QualifiedName, parent, Inherit: false))
                    .Precede(FactState.Gone, DependencyKind.Table, parent);
                UsesOldSchema(noInherit, old.Schema);
            }
            foreach (var parent in target.Inherits.Where(p => !oldParents.Contains(p)))
            {
                var inherit = Add(InheritRank, new SetTableInheritance(target.QualifiedName, parent, Inherit: true))
                    .Need(FactState.Exists, DependencyKind.Table, target.QualifiedName)
                    .Need(FactState.Exists, DependencyKind.Columns, target.QualifiedName)
                    .Need(FactState.Exists, DependencyKind.Table, parent)
                    .Need(FactState.Exists, DependencyKind.Columns, parent);
                foreach (var check in NewTables[parent].Checks.Where(c => !c.NoInherit))
                    inherit.Need(FactState.Exists, DependencyKind.Constraint, target.QualifiedName, check.Name);
            }
            if (removed.Count == 0)
                continue;
            // After NO INHERIT the columns and checks the child had only from the parents it lets go of are its own:
            // the old side has them, so that those the new model does not declare are dropped, and the others kept.
            var stillInherited = (old with { Inherits = kept.ToValueList() }).InheritedColumns(_oldTables).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            var freed = (old with { Inherits = removed.ToValueList() }).InheritedColumns(_oldTables)
                .Where(c => !stillInherited.Contains(c.Name) && old.FindColumn(c.Name) is null)
                .Select(c => c with { Identity = null, GeneratedAs = c.GeneratedAs, Comment = null });
            var freedChecks = removed.Where(_oldTables.ContainsKey).SelectMany(p => _oldTables[p].Checks)
                .Where(c => !c.NoInherit && old.Checks.All(o => o.Name != c.Name))
                .DistinctBy(c => c.Name);
            var widened = old with
            {
                Columns = old.Columns.Concat(freed).ToValueList(),
                Checks = old.Checks.Concat(freedChecks).ToValueList(),
            };
            pairs[i] = (widened, target);
            _oldTables[old.QualifiedName] = widened;
        }
    }

    /// <summary>
    /// A child's keys and indexes may name the columns it has from its parents: they map through the parent that has the
    /// column (its renames), and are kept while the new child still has such a column.
    /// </summary>
    private void MapInheritedColumns(List<(Table Old, Table New)> tablePairs)
    {
        foreach (var (oldTable, newTable) in tablePairs)
        {
            if (oldTable.Inherits.Count == 0 || !_columnMaps.TryGetValue(oldTable.QualifiedName, out var map))
                continue;
            var newColumns = newTable.InheritedColumns(NewTables).Select(c => c.Name).Concat(newTable.Columns.Select(c => c.Name)).ToHashSet(StringComparer.Ordinal);
            foreach (var column in oldTable.InheritedColumns(_oldTables))
            {
                if (map.ContainsKey(column.Name))
                    continue;
                var mapped = OwnerMap(oldTable, column.Name) is { } ownerMap && ownerMap.TryGetValue(column.Name, out var renamed) ? renamed : column.Name;
                if (newColumns.Contains(mapped))
                    map[column.Name] = mapped;
            }
        }
    }

    /// <summary>The column map of the ancestor that declares <paramref name="column"/>, nearest first.</summary>
    private Dictionary<string, string>? OwnerMap(Table table, string column)
    {
        var seen = new HashSet<QualifiedName>();
        var pending = new Queue<Table>([table]);
        while (pending.TryDequeue(out var current))
        {
            foreach (var parentName in current.Inherits)
            {
                if (!seen.Add(parentName) || !_oldTables.TryGetValue(parentName, out var parent))
                    continue;
                if (parent.FindColumn(column) is not null)
                    return _columnMaps.GetValueOrDefault(parentName);
                pending.Enqueue(parent);
            }
        }
        return null;
    }

    /// <summary>
    /// Whether a child stops declaring a column it keeps inheriting (attislocal), or starts declaring one it already
    /// inherits. PostgreSQL refuses the child's DROP COLUMN (cannot drop inherited column) and its ADD COLUMN (42701), and
    /// has no statement that makes a column its parents' alone or the child's own too, which a database built from the
    /// new model has (pg_dump prints it so): the table is dropped and created again, as when it changes parents in a way
    /// INHERIT cannot make (its rows are data loss, which generate and push make explicit).
    /// </summary>
    private bool ChangesWhichInheritedColumnsItDeclares(Table old, Table target)
    {
        if (old.Inherits.Count == 0 || target.Inherits.Count == 0)
            return false;
        var stillInherited = target.InheritedColumns(NewTables).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var wasInherited = old.InheritedColumns(_oldTables).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        bool InheritedOnBoth(string name) => wasInherited.Contains(name) && stillInherited.Contains(name);
        return old.Columns.Any(c => InheritedOnBoth(c.Name) && target.FindColumn(c.Name) is null)
            || target.Columns.Any(c => InheritedOnBoth(c.Name) && old.FindColumn(c.Name) is null);
    }

    /// <summary>Whether a kept table's parents change in a way ALTER TABLE … INHERIT / NO INHERIT can make.</summary>
    private bool CanReinheritInPlace(Table old, Table target)
    {
        var oldParents = old.Inherits.Select(MapTable).ToList();
        if (oldParents.SequenceEqual(target.Inherits))
            return true;
        // INHERIT appends a parent (pg_inherits.inhseqno): the parents kept keep their order, the added ones come last.
        var kept = oldParents.Where(target.Inherits.Contains).ToList();
        var added = target.Inherits.Where(p => !oldParents.Contains(p)).ToList();
        if (!kept.Concat(added).SequenceEqual(target.Inherits))
            return false;
        foreach (var parentName in added)
        {
            if (!NewTables.TryGetValue(parentName, out var parent))
                return false;
            // PostgreSQL requires the child to have every column of the parent (same type, NOT NULL where the parent's
            // is) and every check it passes on, by name.
            foreach (var column in parent.InheritedColumns(NewTables).Concat(parent.Columns))
            {
                if (target.FindColumn(column.Name) is not { } own
                    || OwnedSequence.StorageType(own.Type) != OwnedSequence.StorageType(column.Type) || own.Collation != column.Collation
                    || column.NotNull && !own.NotNull)
                    return false;
            }
            if (parent.Checks.Where(c => !c.NoInherit).Any(c => target.Checks.All(o => o.Name != c.Name || o.Expression != c.Expression)))
                return false;
        }
        return true;
    }

    /// <summary>
    /// A column a table has from a parent on both sides (declared again, so merged): PostgreSQL passes on a parent's type
    /// change and rename and refuses them on the child, and passes on its default and NOT NULL, which the child's own are
    /// set again after.
    /// </summary>
    private (bool Inherited, QualifiedName? Parent) InheritedOnBothSides(Table original, Table target, string oldColumn, string newColumn)
    {
        if (target.Inherits.Count == 0 || original.Inherits.Count == 0)
            return (false, null);
        if (!original.InheritedColumns(_oldTables).Any(c => c.Name == oldColumn))
            return (false, null);
        foreach (var parentName in target.Inherits)
        {
            if (NewTables.TryGetValue(parentName, out var parent)
                && parent.InheritedColumns(NewTables).Concat(parent.Columns).Any(c => c.Name == newColumn))
                return (true, parentName);
        }
        return (false, null);
    }

    /// <summary>
    /// A parent's ADD COLUMN merges into a child that already has a column of that name (it then inherits it too), but a
    /// child's ADD COLUMN of a name it already inherits fails (42701): when both add it, the child's runs first. A need
    /// that no change provides is met, so a child whose column is already there does not hold the parent's ADD back.
    /// </summary>
    private void AfterChildrensAdd(PlannedChange add, QualifiedName parent, string column)
    {
        foreach (var child in _new.Tables)
        {
            if (child.Inherits.Contains(parent) && child.FindColumn(column) is not null)
                add.Need(FactState.Exists, DependencyKind.Column, child.QualifiedName, column);
        }
    }

    /// <summary>
    /// A child's DROP COLUMN of a column it also inherits fails (PostgreSQL: cannot drop inherited column); the parent's
    /// DROP COLUMN leaves the child's own copy in place and no longer inherited: when both drop it, the parent's runs first.
    /// </summary>
    private void AfterParentsDrop(PlannedChange drop, Table child, string column)
    {
        foreach (var parentName in child.Inherits)
        {
            if (_oldTables.TryGetValue(parentName, out var parent)
                && parent.InheritedColumns(_oldTables).Concat(parent.Columns).Any(c => c.Name == column))
                drop.Need(FactState.Gone, DependencyKind.Column, MapTable(parentName), column);
        }
    }

    /// <summary>
    /// CREATE TABLE … INHERITS gives a column the table declares again its parent's default when it declares none, and
    /// NOT NULL when a parent's is. The model's column is what the table declares (pull reads it so, after an
    /// ALTER TABLE ONLY … DROP DEFAULT or DROP NOT NULL, which PostgreSQL 15 allows): the default and NOT NULL it does not
    /// declare are dropped right after the CREATE, before any table inheriting from this one is created (it would take
    /// them on). pg_dump writes DEFAULT NULL for the default.
    /// </summary>
    private void DeclaredAsWrittenUnderParents(Table table)
    {
        if (table.Inherits.Count == 0)
            return;
        var inherited = table.InheritedColumns(NewTables).ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var column in table.Columns)
        {
            if (!inherited.ContainsKey(column.Name))
                continue;
            var created = column;
            var changes = ColumnChanges.None;
            if (column is { Default: null, GeneratedAs: null, Identity: null, Type.IsSerial: false } && InheritsDefault(table, column.Name) is { } passedOn)
            {
                created = created with { Default = passedOn };
                changes |= ColumnChanges.Default;
            }
            if (!column.NotNull && table.InheritsNotNull(column.Name, NewTables))
            {
                created = created with { NotNull = true };
                changes |= ColumnChanges.Nullability;
            }
            if (changes == ColumnChanges.None)
                continue;
            Add(ColumnRank, new AlterColumn(table.QualifiedName, created, column, changes))
                .Need(FactState.Exists, DependencyKind.Table, table.QualifiedName)
                .Provide(FactState.Exists, DependencyKind.Columns, table.QualifiedName);
        }
    }

    /// <summary>
    /// A default CREATE TABLE … INHERITS gives <paramref name="column"/> from a parent (the parent's own, or what it has
    /// from its parents when it declares none), in the new model; null when none does.
    /// </summary>
    private string? InheritsDefault(Table table, string column, HashSet<QualifiedName>? seen = null)
    {
        seen ??= [];
        foreach (var parentName in table.Inherits)
        {
            if (!seen.Add(parentName) || !NewTables.TryGetValue(parentName, out var parent))
                continue;
            var passedOn = parent.FindColumn(column) is { } own ? own.Default : InheritsDefault(parent, column, seen);
            if (passedOn is not null)
                return passedOn;
        }
        return null;
    }

    /// <summary>
    /// Whether an ancestor's column (by its new name) changes its default or NOT NULL: the ALTER on it passes through every
    /// table between it and the child, so the child's own are set again even when its nearest parent does not change.
    /// </summary>
    private bool AncestorColumnChanges(QualifiedName parent, string column, HashSet<QualifiedName>? seen = null)
    {
        if (ParentColumnChanges(parent, column))
            return true;
        if (!NewTables.TryGetValue(parent, out var table))
            return false;
        seen ??= [];
        foreach (var grandparent in table.Inherits)
        {
            if (seen.Add(grandparent) && NewTables.TryGetValue(grandparent, out var ancestor)
                && ancestor.InheritedColumns(NewTables).Concat(ancestor.Columns).Any(c => c.Name == column)
                && AncestorColumnChanges(grandparent, column, seen))
                return true;
        }
        return false;
    }

    /// <summary>Whether a table that does not change otherwise has a merged column whose ancestor's default or NOT NULL changes (it is set again).</summary>
    private bool InheritsColumnChanges(Table original, Table target) =>
        target.Inherits.Count > 0 && original.Inherits.Count > 0
        && target.Columns.Any(c => InheritedOnBothSides(original, target, c.Name, c.Name) is (true, { } parent) && AncestorColumnChanges(parent, c.Name));

    /// <summary>The default a parent's column (by its new name) has in the new model, which its ALTER passes on to its children.</summary>
    private string? ParentsNewDefault(QualifiedName parent, string column) =>
        NewTables.TryGetValue(parent, out var newParent)
            ? (newParent.FindColumn(column) ?? newParent.InheritedColumns(NewTables).FirstOrDefault(c => c.Name == column))?.Default
            : null;

    /// <summary>Whether a kept parent's column (by its new name) changes its default or NOT NULL, which PostgreSQL passes on to the children.</summary>
    private bool ParentColumnChanges(QualifiedName parent, string column)
    {
        if (!NewTables.TryGetValue(parent, out var newParent) || newParent.FindColumn(column) is not { } newColumn)
            return false;
        foreach (var (oldName, newName) in _tableMap)
        {
            if (newName != parent || !_oldTables.TryGetValue(oldName, out var oldParent))
                continue;
            var oldColumn = oldParent.Columns.FirstOrDefault(c => MapColumn(oldName, c.Name) == column);
            return oldColumn is null || oldColumn.Default != newColumn.Default || oldColumn.NotNull != newColumn.NotNull;
        }
        return false;
    }
}

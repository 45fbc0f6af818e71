using Strata.Diffing.Planning;
using Strata.Model;
using Index = Strata.Model.Index;

namespace Strata.Diffing;

/// <summary>Keys, checks, indexes and foreign keys of tables (and the indexes of materialized views).</summary>
internal sealed partial class DiffRun
{
    private const int DropForeignKeyRank = ChangeRank.Drops + 100;
    private const int DropIndexRank = ChangeRank.Drops + 200;
    private const int DropConstraintRank = ChangeRank.Drops + 300;
    private const int AddPrimaryKeyRank = ChangeRank.Creates + 400;
    private const int AddUniqueRank = ChangeRank.Creates + 500;
    private const int AddCheckRank = ChangeRank.Creates + 600;
    private const int CreateIndexRank = ChangeRank.Creates + 700;
    private const int AddForeignKeyRank = ChangeRank.Creates + 800;

    private void DiffForeignKeys(Table original, Table target)
    {
        var oldName = original.QualifiedName;
        var newName = target.QualifiedName;
        var old = Translate(original, newName);
        if (old.ForeignKeys == target.ForeignKeys && !_referencedKeysMayChange)
            return;
        bool Touched(QualifiedName table, IEnumerable<string> columns) =>
            (_retypedColumns.TryGetValue(table, out var retyped) && columns.Any(retyped.Contains))
            || (_recreatedColumns.TryGetValue(table, out var recreated) && columns.Any(recreated.Contains));
        DiffNamed(
            old.ForeignKeys, target.ForeignKeys,
            f => f.Name,
            f => f with { Name = "", Comment = null },
            f => Touched(newName, f.Columns) || Touched(f.ReferencedTable, f.ReferencedColumns)
                 || _droppedKeys.Contains(KeyOf(f.ReferencedTable, f.ReferencedColumns)),
            f => PlanDropForeignKey(oldName, newName, original.ForeignKeys.First(o => o.Name == f.Name), f.ReferencedTable, f.ReferencedColumns),
            f => PlanAddForeignKey(newName, f),
            (from, to) => AddRename(RenameGroup.Constraints, new RenameConstraint(newName, from, to)),
            (o, n) => CommentOnConstraint(newName, o.Comment, n.Name, n.Comment));
    }

    /// <summary>COMMENT ON CONSTRAINT for a kept constraint (<paramref name="table"/> by its new name) whose comment changed.</summary>
    private void CommentOnConstraint(QualifiedName table, string? oldComment, string name, string? comment)
    {
        if (oldComment != comment)
            Add(CommentRank, new SetComment(CommentTarget.Constraint, table, name, comment)).Need(FactState.Exists, DependencyKind.Table, table);
    }

    /// <summary>COMMENT ON INDEX for a kept index of <paramref name="relation"/> (a table, or a materialized view: <paramref name="on"/>).</summary>
    private void CommentOnIndex(QualifiedName relation, DependencyKind on, string? oldComment, string name, string? comment)
    {
        if (oldComment != comment)
            Add(CommentRank, new SetComment(CommentTarget.Index, new QualifiedName(relation.Schema, name), null, comment)).Need(FactState.Exists, on, relation);
    }

    private static (QualifiedName, string) KeyOf(QualifiedName table, IEnumerable<string> columns) =>
        (table, string.Join("\u0001", columns.Order(StringComparer.Ordinal)));

    /// <summary>A unique index that a foreign key can reference (no predicate, no expression).</summary>
    private static bool IsKey(Index index) => index.Unique && index.Where is null && index.Elements.All(e => e.Column is not null);

    /// <summary>A table's key on these columns (the table by its new name): the columns sorted, so that a foreign key finds it whatever their order.</summary>
    private static ObjectRef KeyRef(QualifiedName table, IEnumerable<string> columns) =>
        new(DependencyKind.Key, table, columns.TryGetNonEnumeratedCount(out var count) && count == 1
            ? columns.First()
            : string.Join(",", columns.Order(StringComparer.Ordinal)));

    /// <summary>
    /// A check, key or index reads <paramref name="columns"/> of its table (or view): it runs once they have their
    /// new form. Null when which columns an expression reads is not known (a model built from the DSL, whose
    /// expressions PostgreSQL has not read): it then waits for all the columns of the table.
    /// </summary>
    private static void ReadsColumns(PlannedChange planned, QualifiedName relation, DependencyKind kind, IEnumerable<string>? columns)
    {
        planned.Need(FactState.Exists, kind, relation);
        if (columns is null)
            planned.Need(FactState.Exists, DependencyKind.Columns, relation);
        else
        {
            foreach (var column in columns)
                planned.Need(FactState.Exists, DependencyKind.Column, relation, column);
        }
        UsesNewSchema(planned, relation.Schema);
    }

    /// <summary>The columns an index reads: its plain keys and included columns, and what its expressions and predicate read (null when not known).</summary>
    private static IEnumerable<string>? ColumnsRead(QualifiedName relation, Index index)
    {
        var plain = index.Elements.Where(e => e.Column is not null).Select(e => e.Column!).Concat(index.Include);
        if (!HasExpression(index))
            return plain;
        return index.Reads.IsKnown ? plain.Concat(index.Reads.ColumnsOf(relation)).Distinct(StringComparer.Ordinal) : null;
    }

    /// <summary>DROP CONSTRAINT of a primary key or unique constraint; foreign keys that reference it are rebuilt.</summary>
    private void PlanDropKey(SchemaChange drop, QualifiedName oldTable, QualifiedName newTable, string name, ValueList<string> columns)
    {
        _droppedKeys.Add(KeyOf(newTable, columns));
        var planned = Add(DropConstraintRank, drop)
            .Provide(FactState.Gone, KeyRef(newTable, columns))
            .Precede(FactState.Gone, DependencyKind.Table, oldTable);
        FreeName(planned, DependencyKind.RelationName, new QualifiedName(oldTable.Schema, name));
        UsesOldSchema(planned, oldTable.Schema);
    }

    private void PlanAddKey(int rank, SchemaChange add, QualifiedName table, string name, IEnumerable<string> columns)
    {
        var planned = Add(rank, add).Provide(FactState.Exists, KeyRef(table, columns));
        TakeName(planned, DependencyKind.RelationName, new QualifiedName(table.Schema, name));
        ReadsColumns(planned, table, DependencyKind.Table, columns);
    }

    private void PlanAddUnique(QualifiedName table, UniqueConstraint unique) =>
        PlanAddKey(AddUniqueRank, new AddUnique(table, unique), table, unique.Name, unique.Columns);

    private PlannedChange PlanDropIndex(QualifiedName relation, Index index, ObjectRef? key)
    {
        var planned = Add(DropIndexRank, new DropIndex(relation, index))
            .Precede(FactState.Gone, DependencyKind.Table, relation);
        FreeName(planned, DependencyKind.RelationName, new QualifiedName(relation.Schema, index.Name));
        if (key is { } dropped)
            planned.Provide(FactState.Gone, dropped);
        // Before a collation a key uses is dropped (or steps aside to be re-created).
        foreach (var collation in KeyCollations(index.Elements))
            planned.Precede(FactState.Gone, DependencyKind.Collation, collation);
        UsesOldSchema(planned, relation.Schema);
        return planned;
    }

    /// <param name="on">What the index is on: a table, or a materialized view (<see cref="DependencyKind.View"/>).</param>
    private void PlanCreateIndex(int rank, QualifiedName relation, Index index, DependencyKind on)
    {
        var planned = Add(rank, new CreateIndex(relation, index));
        TakeName(planned, DependencyKind.RelationName, new QualifiedName(relation.Schema, index.Name));
        if (IsKey(index))
            planned.Provide(FactState.Exists, KeyRef(relation, index.Elements.Select(e => e.Column!)));
        ReadsColumns(planned, relation, on, ColumnsRead(relation, index));
        CallsFunctions(planned, IndexFunctionsCalled(ModelSide.New, relation, index));
        foreach (var collation in KeyCollations(index.Elements))
            planned.Need(FactState.Exists, DependencyKind.Collation, collation);
    }

    /// <summary>
    /// DROP CONSTRAINT of a foreign key, by its table's old name: before the key it references is dropped
    /// and before its columns or the referenced ones change. <paramref name="newTable"/> is null for a dropped table.
    /// </summary>
    private void PlanDropForeignKey(QualifiedName oldTable, QualifiedName? newTable, ForeignKey foreignKey,
        QualifiedName referencedTable, IEnumerable<string> referencedColumns)
    {
        var planned = Add(DropForeignKeyRank, new DropForeignKey(oldTable, foreignKey))
            .Provide(FactState.Gone, DependencyKind.Constraint, newTable ?? oldTable, foreignKey.Name)
            .Precede(FactState.Gone, KeyRef(referencedTable, referencedColumns))
            .Precede(FactState.Gone, DependencyKind.Table, oldTable)
            .Precede(FactState.Gone, DependencyKind.Table, referencedTable)
            .Precede(FactState.Changed, DependencyKind.Table, referencedTable);
        if (newTable is { } kept)
            planned.Precede(FactState.Changed, DependencyKind.Table, kept);
        UsesOldSchema(planned, oldTable.Schema);
    }

    /// <summary>ADD CONSTRAINT … FOREIGN KEY once both tables, their columns and the referenced key exist.</summary>
    private void PlanAddForeignKey(QualifiedName table, ForeignKey foreignKey)
    {
        var planned = Add(AddForeignKeyRank, new AddForeignKey(table, foreignKey))
            .Need(FactState.Gone, DependencyKind.Constraint, table, foreignKey.Name)
            .Provide(FactState.Exists, DependencyKind.Constraint, table, foreignKey.Name)
            .Need(FactState.Exists, KeyRef(foreignKey.ReferencedTable, foreignKey.ReferencedColumns));
        ReadsColumns(planned, table, DependencyKind.Table, foreignKey.Columns);
        ReadsColumns(planned, foreignKey.ReferencedTable, DependencyKind.Table, foreignKey.ReferencedColumns);
    }

    /// <summary>
    /// Matches constraints or indexes by name; one whose definition is unchanged under a new name is
    /// renamed (no data at stake), any other difference is a drop and an add, unless <paramref name="alterInPlace"/>
    /// changes the old item into the new one (an index's storage parameters) and says so.
    /// </summary>
    /// <param name="kept">Called with the old and new item of one that stays (as it is, or renamed): what it changes in place.</param>
    private static void DiffNamed<T>(IReadOnlyList<T> oldItems, IReadOnlyList<T> newItems,
        Func<T, string> nameOf, Func<T, T> definitionOf, Func<T, bool> mustRebuild,
        Action<T> drop, Action<T> add, Action<string, string> rename, Action<T, T>? kept = null, Func<T, T, bool>? alterInPlace = null)
        where T : notnull
    {
        if (oldItems.Count == 0 && newItems.Count == 0)
            return;
        var newByName = newItems.ToDictionary(nameOf, StringComparer.Ordinal);
        var oldNames = oldItems.Select(nameOf).ToHashSet(StringComparer.Ordinal);
        var handled = new HashSet<string>(StringComparer.Ordinal);
        var unmatchedOld = new List<T>();
        foreach (var oldItem in oldItems)
        {
            var name = nameOf(oldItem);
            if (!newByName.TryGetValue(name, out var newItem))
            {
                unmatchedOld.Add(oldItem);
                continue;
            }
            handled.Add(name);
            if (!EqualityComparer<T>.Default.Equals(definitionOf(oldItem), definitionOf(newItem)) || mustRebuild(oldItem))
            {
                if (!mustRebuild(oldItem) && alterInPlace?.Invoke(oldItem, newItem) == true)
                {
                    kept?.Invoke(oldItem, newItem);
                    continue;
                }
                drop(oldItem);
                add(newItem);
            }
            else
            {
                kept?.Invoke(oldItem, newItem);
            }
        }
        var renameTargets = new Dictionary<T, Queue<T>>();
        foreach (var newItem in newItems)
        {
            if (oldNames.Contains(nameOf(newItem)))
                continue;
            var definition = definitionOf(newItem);
            if (!renameTargets.TryGetValue(definition, out var queue))
                renameTargets[definition] = queue = new Queue<T>();
            queue.Enqueue(newItem);
        }
        foreach (var oldItem in unmatchedOld)
        {
            if (!mustRebuild(oldItem) && renameTargets.TryGetValue(definitionOf(oldItem), out var queue) && queue.Count > 0)
            {
                var newItem = queue.Dequeue();
                handled.Add(nameOf(newItem));
                rename(nameOf(oldItem), nameOf(newItem));
                kept?.Invoke(oldItem, newItem);
            }
            else
            {
                drop(oldItem);
            }
        }
        foreach (var newItem in newItems)
        {
            if (!handled.Contains(nameOf(newItem)))
                add(newItem);
        }
    }
}

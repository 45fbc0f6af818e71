using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// Exclusion constraints of tables: added, dropped, renamed when equal but for the name (ALTER TABLE … RENAME
/// CONSTRAINT, which renames its index along), and dropped and added again when anything else changes (PostgreSQL
/// cannot alter one) or when a column it reads is dropped, retyped or rebuilt, as an index over such a column is. A
/// dropped table takes its exclusion constraints with it.
/// </summary>
internal sealed partial class DiffRun
{
    // With the other constraints: dropped before the columns they read change, added after the indexes.
    private const int DropExclusionRank = ChangeRank.Drops + 310;
    private const int AddExclusionRank = ChangeRank.Creates + 750;

    internal static readonly DiffPart ExclusionsPart = Part(DiffPhase.TableBound, order: 7, static run => run.DiffExclusions());

    private void DiffExclusions()
    {
        if (_old.Exclusions.Count == 0 && _new.Exclusions.Count == 0)
            return;
        var droppedTables = _droppedTables.Select(t => t.QualifiedName).ToHashSet();
        var newByTable = _new.Exclusions.ToDictionary(e => e.TableName);
        var compared = new HashSet<QualifiedName>();
        foreach (var old in _old.Exclusions)
        {
            if (droppedTables.Contains(old.TableName) || !_tableMap.TryGetValue(old.TableName, out var newName))
                continue;
            compared.Add(newName);
            var target = newByTable.GetValueOrDefault(newName)?.Constraints ?? [];
            var changedColumns = ChangedColumnsOf(old.TableName, newName);
            DiffNamed(
                old.Constraints.Select(c => TranslateExclusion(c, old.TableName, newName)).ToList(), target,
                c => c.Name,
                c => c with { Name = "" },
                c => UsesRecreatedCollation(c.Elements.Select(e => e.Key)) || ExclusionReadsChangedColumn(c, target.FirstOrDefault(n => n.Name == c.Name), old.TableName, newName, changedColumns),
                c => PlanDropExclusion(old.TableName, newName, old.Find(c.Name)!),
                c => PlanAddExclusion(newName, c),
                (from, to) => AddRename(RenameGroup.Constraints, new RenameConstraint(newName, from, to)));
        }
        foreach (var exclusions in _new.Exclusions)
        {
            if (compared.Contains(exclusions.TableName))
                continue;
            foreach (var exclusion in exclusions.Constraints)
                PlanAddExclusion(exclusions.TableName, exclusion);
        }
    }

    /// <summary>The old constraint as it reads after the renames: its columns by their new names (a dropped one marked so).</summary>
    private ExclusionConstraint TranslateExclusion(ExclusionConstraint old, QualifiedName oldName, QualifiedName newName) => old with
    {
        Elements = old.Elements.Select(e => e with { Key = MapKeyCollation(e.Key.Column is { } column ? e.Key with { Column = MapColumn(oldName, column) } : e.Key) }).ToValueList(),
        Include = old.Include.Select(c => MapColumn(oldName, c)).ToValueList(),
        Reads = old.Reads.Map(r => TranslateRead(oldName, newName, r)),
    };

    /// <summary>
    /// Whether the (translated) old constraint has a key, included column or expression input that is dropped, retyped or
    /// rebuilt: from what PostgreSQL recorded the expressions read, else from their text.
    /// </summary>
    private bool ExclusionReadsChangedColumn(ExclusionConstraint old, ExclusionConstraint? next, QualifiedName oldName, QualifiedName newName, HashSet<string> changedColumns)
    {
        bool Changed(string column) => column.StartsWith(DroppedColumnPrefix, StringComparison.Ordinal) || changedColumns.Contains(column);
        if (old.Elements.Any(e => e.Key.Column is { } column && Changed(column)) || old.Include.Any(Changed))
            return true;
        var index = old.AsIndex;
        if (!HasExpression(index))
            return false;
        return ReadsAnyColumn(Known(old.Reads, next?.Reads ?? ExpressionReads.Unknown), newName, IndexExpressions(index), changedColumns,
            [new(ModelSide.Old, $"exclusion constraint {oldName}.{old.Name}"), .. next is null ? Array.Empty<TextDecision>() : [new TextDecision(ModelSide.New, $"exclusion constraint {newName}.{next.Name}")]]);
    }

    /// <summary>DROP CONSTRAINT, by its table's old name: before the table is renamed or dropped and before a column it reads changes.</summary>
    private void PlanDropExclusion(QualifiedName oldName, QualifiedName newName, ExclusionConstraint exclusion)
    {
        var planned = Add(DropExclusionRank, new DropExclusion(oldName, exclusion))
            .Provide(FactState.Gone, DependencyKind.Constraint, newName, exclusion.Name)
            .Precede(FactState.Gone, DependencyKind.Table, oldName)
            .Precede(FactState.Changed, DependencyKind.Table, newName);
        FreeName(planned, DependencyKind.RelationName, new QualifiedName(oldName.Schema, exclusion.Name));
        foreach (var collation in KeyCollations(exclusion.Elements.Select(e => e.Key)))
            planned.Precede(FactState.Gone, DependencyKind.Collation, collation);
        UsesOldSchema(planned, oldName.Schema);
    }

    /// <summary>ADD CONSTRAINT … EXCLUDE once the columns it reads have their new form; its index takes its name among the schema's relations.</summary>
    private void PlanAddExclusion(QualifiedName table, ExclusionConstraint exclusion)
    {
        var planned = Add(AddExclusionRank, new AddExclusion(table, exclusion))
            .Need(FactState.Gone, DependencyKind.Constraint, table, exclusion.Name)
            .Provide(FactState.Exists, DependencyKind.Constraint, table, exclusion.Name);
        TakeName(planned, DependencyKind.RelationName, new QualifiedName(table.Schema, exclusion.Name));
        ReadsColumns(planned, table, DependencyKind.Table, ColumnsRead(table, exclusion.AsIndex));
        foreach (var collation in KeyCollations(exclusion.Elements.Select(e => e.Key)))
            planned.Need(FactState.Exists, DependencyKind.Collation, collation);
    }
}

/// <summary>ALTER TABLE … ADD CONSTRAINT … EXCLUDE.</summary>
public sealed record AddExclusion(QualifiedName Table, ExclusionConstraint Exclusion) : SchemaChange;

/// <summary>ALTER TABLE … DROP CONSTRAINT of an exclusion constraint, the table by its name when the drop runs.</summary>
public sealed record DropExclusion(QualifiedName Table, ExclusionConstraint Exclusion) : SchemaChange;

using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// CLUSTER ON: which index of a table or materialized view is marked clustered (pg_index.indisclustered). Decided once
/// every other change is planned, from what the plan does to the indexes: an index built (again) has lost the mark, one
/// renamed keeps it, a dropped one took it along. The changes this part plans are declared at the end of the file.
/// </summary>
internal sealed partial class DiffRun
{
    // After the indexes and keys are built and renamed, and after the materialized views are created (Finishing).
    private const int ClusterOnRank = ChangeRank.Finishing + 600;

    private void DiffClusterOn()
    {
        if (!_old.Tables.Any(t => t.ClusterOn is not null) && !_new.Tables.Any(t => t.ClusterOn is not null)
            && !_old.Views.Any(v => v.ClusterOn is not null) && !_new.Views.Any(v => v.ClusterOn is not null))
            return;

        // What the plan builds: the relations created (with their keys) and the indexes and keys added, by the relation's new name.
        var createdRelations = new HashSet<QualifiedName>();
        var builtIndexes = new HashSet<(QualifiedName Relation, string Index)>();
        foreach (var planned in _plan.Changes)
        {
            switch (planned.Change)
            {
                case CreateTable c:
                    createdRelations.Add(c.Table.QualifiedName);
                    break;
                case CreateView c:
                    createdRelations.Add(c.View.QualifiedName);
                    break;
                case CreateIndex c:
                    builtIndexes.Add((c.Table, c.Index.Name));
                    break;
                case AddPrimaryKey c:
                    builtIndexes.Add((c.Table, c.PrimaryKey.Name));
                    break;
                case AddUnique c:
                    builtIndexes.Add((c.Table, c.Unique.Name));
                    break;
                case AddExclusion c:
                    builtIndexes.Add((c.Table, c.Exclusion.Name));
                    break;
            }
        }
        // Index renames (a key's included) name the index by schema: (schema, old name) → new name.
        var renamedIndexes = new Dictionary<(string Schema, string From), string>();
        foreach (var group in _relationRenames)
        {
            foreach (var rename in group ?? [])
            {
                if (rename is RenameIndex r)
                    renamedIndexes[(r.Table.Schema, r.From)] = r.To;
            }
        }

        var oldTables = new Dictionary<QualifiedName, Table>();
        foreach (var table in _old.Tables)
            oldTables[MapTable(table.QualifiedName)] = table;
        foreach (var table in _new.Tables)
        {
            var old = createdRelations.Contains(table.QualifiedName) ? null : oldTables.GetValueOrDefault(table.QualifiedName);
            var indexNames = table.Indexes.Select(i => i.Name).Concat(table.Uniques.Select(u => u.Name));
            if (table.PrimaryKey is { } key)
                indexNames = indexNames.Append(key.Name);
            // An exclusion constraint's index (gist, btree) may be the clustered one too.
            indexNames = indexNames.Concat(_new.Exclusions.Where(e => e.Schema == table.Schema && e.Table == table.Name).SelectMany(e => e.Constraints).Select(c => c.Name));
            PlanClusterOn(table.QualifiedName, DependencyKind.Table, materialized: false, old?.ClusterOn, table.ClusterOn, indexNames);
        }

        var oldViews = new Dictionary<QualifiedName, View>();
        foreach (var view in _old.Views)
            oldViews[MapSchema(view.QualifiedName)] = view;
        foreach (var view in _new.Views.Where(v => v.Materialized))
        {
            var old = createdRelations.Contains(view.QualifiedName) ? null : oldViews.GetValueOrDefault(view.QualifiedName);
            PlanClusterOn(view.QualifiedName, DependencyKind.View, materialized: true, old?.ClusterOn, view.ClusterOn, view.Indexes.Select(i => i.Name));
        }

        void PlanClusterOn(QualifiedName relation, DependencyKind on, bool materialized, string? oldIndex, string? newIndex, IEnumerable<string> indexNames)
        {
            // The old mark, under the name its index has after the renames; gone when the index was built again or dropped.
            var kept = oldIndex is null ? null : renamedIndexes.GetValueOrDefault((relation.Schema, oldIndex), oldIndex);
            if (kept is not null && (builtIndexes.Contains((relation, kept)) || !indexNames.Contains(kept, StringComparer.Ordinal)))
                kept = null;
            if (kept == newIndex)
                return;
            var planned = Add(ClusterOnRank, new SetClusterOn(relation, materialized, newIndex)).Need(FactState.Exists, on, relation);
            if (newIndex is not null)
                planned.Need(FactState.Exists, DependencyKind.RelationName, new QualifiedName(relation.Schema, newIndex));
        }
    }
}

/// <summary>
/// ALTER TABLE | MATERIALIZED VIEW … CLUSTER ON <see cref="Index"/>, or SET WITHOUT CLUSTER when it is null: which index a
/// later CLUSTER orders the rows by. It marks the index and moves no row.
/// </summary>
public sealed record SetClusterOn(QualifiedName Relation, bool MaterializedView, string? Index) : SchemaChange;

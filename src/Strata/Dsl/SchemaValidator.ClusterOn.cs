using Strata.Model;

namespace Strata.Dsl;

internal static partial class SchemaValidator
{
    // The access methods PostgreSQL cannot CLUSTER by (pg_indexam_has_property(am, 'clusterable') is true for btree and gist only).
    private static readonly HashSet<string> UnclusterableMethods = new(["hash", "gin", "brin", "spgist"], StringComparer.Ordinal);

    /// <summary>
    /// ClusterOn: it names an index of its own table or materialized view (a key's or a unique constraint's index
    /// included) that PostgreSQL can cluster by, as ALTER TABLE … CLUSTER ON checks: not partial, of a method that
    /// keeps an order, and not on a partitioned table.
    /// </summary>
    private static void ValidateClusterOn(DatabaseModel model, Action<string, string> add)
    {
        foreach (var table in model.Tables)
        {
            if (table.ClusterOn is not { } name)
                continue;
            var where = table.QualifiedName.ToString();
            if (table.Partitioning?.IsPartitioned == true)
            {
                add(where, $"ClusterOn(\"{name}\"): PostgreSQL cannot mark an index clustered on a partitioned table; mark it on its partitions instead, or remove the call");
                continue;
            }
            var keys = (table.PrimaryKey is { } key ? [key.Name] : Array.Empty<string>()).Concat(table.Uniques.Select(u => u.Name));
            if (keys.Contains(name, StringComparer.Ordinal))
                continue;
            // An exclusion constraint's index is one PostgreSQL clusters by as well (of its method: gist, btree).
            var exclusionIndexes = model.Exclusions.Where(e => e.Schema == table.Schema && e.Table == table.Name)
                .SelectMany(e => e.Constraints).Select(c => c.AsIndex);
            CheckClusterIndex(where, "table", name, table.Indexes.Concat(exclusionIndexes).ToValueList(), keys, add);
        }
        foreach (var view in model.Views)
        {
            if (view.ClusterOn is not { } name)
                continue;
            var where = view.QualifiedName.ToString();
            if (!view.Materialized)
                add(where, $"ClusterOn(\"{name}\"): a plain view has no indexes to cluster on; remove the call, or make it a materialized view");
            else
                CheckClusterIndex(where, "materialized view", name, view.Indexes, [], add);
        }
    }

    private static void CheckClusterIndex(string where, string what, string name, ValueList<Model.Index> indexes, IEnumerable<string> keys, Action<string, string> add)
    {
        var index = indexes.FirstOrDefault(i => i.Name == name);
        if (index is null)
        {
            var names = indexes.Select(i => i.Name).Concat(keys).Order(StringComparer.Ordinal).ToList();
            add(where, $"ClusterOn(\"{name}\") names no index of the {what}"
                + (names.Count == 0 ? $"; it has none: declare the index first, or remove the call" : $"; name one of its indexes{(what == "table" ? ", its primary key or a unique constraint" : "")}: {string.Join(", ", names)}"));
        }
        else if (index.Where is not null)
            add(where, $"ClusterOn(\"{name}\"): PostgreSQL cannot cluster on a partial index (one with Where); name another index, or remove the call");
        else if (UnclusterableMethods.Contains(index.Method))
            add(where, $"ClusterOn(\"{name}\"): PostgreSQL cannot cluster on a {index.Method} index; name a btree or gist index, or remove the call");
    }
}

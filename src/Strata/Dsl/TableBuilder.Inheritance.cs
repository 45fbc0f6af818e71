using Strata.Model;

namespace Strata.Dsl;

// Table inheritance in the DSL: t.Inherits("items") is CREATE TABLE … INHERITS (items). The table declares only the
// columns it adds (or a parent's column it declares again, which PostgreSQL merges); the others are its parents'.
public sealed partial class TableBuilder
{
    private readonly List<QualifiedName> _inherits = [];

    /// <summary>
    /// INHERITS (parents…): the table has every column of <paramref name="parents"/> (names in this table's schema, or
    /// "schema.name"), in that order, before its own, and their checks. Declare only the columns it adds; a parent's column
    /// declared again is merged with it (same type), as pg_dump prints it.
    /// </summary>
    public TableBuilder Inherits(params string[] parents)
    {
        foreach (var parent in parents)
            Inherits(parent.Contains('.') ? QualifiedName.Parse(parent) : new QualifiedName(Schema, parent));
        return this;
    }

    /// <inheritdoc cref="Inherits(string[])"/>
    public TableBuilder Inherits(TableBuilder parent) => Inherits(new QualifiedName(parent.Schema, parent.Name));

    /// <inheritdoc cref="Inherits(string[])"/>
    public TableBuilder Inherits(QualifiedName parent)
    {
        if (_inherits.Contains(parent))
            DeclarationErrors.Add(new SchemaError($"{Schema}.{Name}", $"inherits from {parent} twice; PostgreSQL refuses a relation inherited more than once: name it once"));
        else
            _inherits.Add(parent);
        return this;
    }

    private bool InheritsAny => _inherits.Count > 0;
}

/// <summary>What PostgreSQL refuses of table inheritance.</summary>
internal static partial class SchemaValidator
{
    internal static readonly KindRules InheritanceRules = Register(new(Order: 47, static (model, _, add) => ValidateInheritance(model, add)));

    private static void ValidateInheritance(DatabaseModel model, Action<string, string> add)
    {
        var tables = new Dictionary<QualifiedName, Table>();
        foreach (var table in model.Tables)
            tables.TryAdd(table.QualifiedName, table);
        foreach (var table in model.Tables.Where(t => t.Inherits.Count > 0))
        {
            var where = table.QualifiedName.ToString();
            if (table.Partitioning is { IsPartition: true })
                add(where, "a partition cannot also inherit; remove t.Inherits(…) (a partition has its parent's columns)");
            else if (table.Partitioning is { IsPartitioned: true })
                add(where, "PostgreSQL cannot create a partitioned table as an inheritance child; remove t.Inherits(…) or the partition key");
            var merged = new Dictionary<string, (Column Column, QualifiedName From)>(StringComparer.Ordinal);
            foreach (var parentName in table.Inherits)
            {
                if (!tables.TryGetValue(parentName, out var parent))
                {
                    add(where, $"inherits from {parentName}, which is not declared; declare it with db.Table(…)");
                    continue;
                }
                if (parentName == table.QualifiedName || InheritsFrom(parent, table.QualifiedName, tables))
                    add(where, $"inherits from {parentName}, which inherits from it; PostgreSQL refuses circular inheritance");
                if (parent.Partitioning is { IsPartitioned: true })
                    add(where, $"inherits from {parentName}, which is partitioned; PostgreSQL cannot inherit from a partitioned table (declare a partition with t.PartitionOf instead)");
                else if (parent.Partitioning is { IsPartition: true })
                    add(where, $"inherits from {parentName}, which is a partition; PostgreSQL cannot inherit from a partition");
                foreach (var column in parent.InheritedColumns(tables).Concat(parent.Columns))
                {
                    if (!merged.TryAdd(column.Name, (column, parentName)) && !SameType(merged[column.Name].Column, column))
                        add(where, $"column \"{column.Name}\" is inherited from {merged[column.Name].From} and {parentName} with different types; PostgreSQL refuses to merge them: give it one type in both");
                }
            }
            foreach (var column in table.Columns)
            {
                if (merged.TryGetValue(column.Name, out var inherited) && !SameType(inherited.Column, column))
                    add($"{where}.{column.Name}", $"declares inherited column \"{column.Name}\" of {inherited.From} with another type; PostgreSQL merges a column declared again only with the same type and collation: declare it as {inherited.From} does, or remove it");
                if (merged.TryGetValue(column.Name, out inherited) && column.GeneratedAs is not null != (inherited.Column.GeneratedAs is not null))
                    add($"{where}.{column.Name}", $"declares inherited column \"{column.Name}\" of {inherited.From} {(column.GeneratedAs is null ? "as a plain column, but it is generated there" : "as generated, but it is a plain column there")}; declare it as the parent does, or remove it");
            }
        }
    }

    /// <summary>Whether two columns of the same name may be merged: PostgreSQL requires the same type, typmod and collation.</summary>
    private static bool SameType(Column a, Column b) =>
        Diffing.OwnedSequence.StorageType(a.Type) == Diffing.OwnedSequence.StorageType(b.Type) && a.Collation == b.Collation;

    private static bool InheritsFrom(Table table, QualifiedName ancestor, Dictionary<QualifiedName, Table> tables)
    {
        var seen = new HashSet<QualifiedName>();
        var pending = new Stack<Table>([table]);
        while (pending.TryPop(out var current))
        {
            foreach (var parent in current.Inherits)
            {
                if (parent == ancestor)
                    return true;
                if (seen.Add(parent) && tables.TryGetValue(parent, out var parentTable))
                    pending.Push(parentTable);
            }
        }
        return false;
    }
}

using System.Text;
using Strata.Model;

namespace Strata.Dsl;

// Partitioned tables in the DSL: a table's PARTITION BY (t.PartitionByRange("at"), or any key as PostgreSQL
// prints it with t.PartitionBy("RANGE (lower(name))")) and a partition's PARTITION OF parent bound.
public sealed partial class TableBuilder
{
    private string? _partitionKey;
    private QualifiedName? _partitionParent;
    private string? _partitionBound;

    /// <summary>PARTITION BY RANGE (columns): rows go to the partition whose FROM … TO … range holds the key.</summary>
    public TableBuilder PartitionByRange(params string[] columns) => PartitionBy("RANGE", columns);

    /// <summary>PARTITION BY LIST (column): rows go to the partition whose IN (…) list holds the key.</summary>
    public TableBuilder PartitionByList(params string[] columns) => PartitionBy("LIST", columns);

    /// <summary>PARTITION BY HASH (columns): rows go to the partition WITH (MODULUS m, REMAINDER r) of the key's hash.</summary>
    public TableBuilder PartitionByHash(params string[] columns) => PartitionBy("HASH", columns);

    /// <summary>
    /// PARTITION BY with the key as PostgreSQL prints it (pg_get_partkeydef), for expressions, operator classes and
    /// collations: <c>t.PartitionBy("RANGE (lower(name) COLLATE \"C\")")</c>. The table holds no rows itself: they live
    /// in its partitions (<see cref="PartitionOf(string, string)"/>).
    /// </summary>
    public TableBuilder PartitionBy(string key)
    {
        if (_partitionKey is not null)
            DeclarationErrors.Add(new SchemaError($"{Schema}.{Name}", "declares PARTITION BY more than once; a table has one partition key"));
        _partitionKey = key;
        return this;
    }

    private TableBuilder PartitionBy(string strategy, string[] columns)
    {
        if (columns.Length == 0)
        {
            DeclarationErrors.Add(new SchemaError($"{Schema}.{Name}", $"PARTITION BY {strategy} names no column; name at least one: t.PartitionBy{strategy[0]}{strategy[1..].ToLowerInvariant()}(\"column\")"));
            return this;
        }
        return PartitionBy($"{strategy} ({string.Join(", ", columns.Select(PrintedIdentifier))})");
    }

    /// <summary>
    /// Makes this table a partition of <paramref name="parent"/> (a name in this table's schema, or "schema.name") for
    /// the values <paramref name="bound"/> gives after FOR VALUES: <c>"FROM ('2024-01-01') TO ('2025-01-01')"</c>,
    /// <c>"IN ('eu', 'uk')"</c>, <c>"WITH (MODULUS 4, REMAINDER 0)"</c>, or <c>"DEFAULT"</c> for the rows no other
    /// partition takes. Its columns are the parent's: declare none. It may have its own checks, indexes, comment and,
    /// with <see cref="PartitionBy(string)"/>, partitions of its own.
    /// </summary>
    public TableBuilder PartitionOf(string parent, string bound) =>
        PartitionOf(parent.Contains('.') ? QualifiedName.Parse(parent) : new QualifiedName(Schema, parent), bound);

    /// <inheritdoc cref="PartitionOf(string, string)"/>
    public TableBuilder PartitionOf(TableBuilder parent, string bound) => PartitionOf(new QualifiedName(parent.Schema, parent.Name), bound);

    /// <inheritdoc cref="PartitionOf(string, string)"/>
    public TableBuilder PartitionOf(QualifiedName parent, string bound)
    {
        if (_partitionParent is not null)
            DeclarationErrors.Add(new SchemaError($"{Schema}.{Name}", "is declared a partition more than once; a table is a partition of one table"));
        _partitionParent = parent;
        var trimmed = bound.Trim();
        _partitionBound = trimmed.Equals("DEFAULT", StringComparison.OrdinalIgnoreCase) ? "DEFAULT"
            : trimmed.StartsWith("FOR VALUES ", StringComparison.OrdinalIgnoreCase) ? trimmed
            : "FOR VALUES " + trimmed;
        return this;
    }

    private TablePartitioning? BuildPartitioning() =>
        _partitionKey is null && _partitionParent is null ? null : new TablePartitioning(_partitionKey, _partitionParent, _partitionBound);

    private bool IsPartition => _partitionParent is not null;

    /// <summary>A column name as PostgreSQL's quote_ident prints it in a partition key: bare when lower-case and plain, else quoted.</summary>
    private static string PrintedIdentifier(string name)
    {
        var plain = name.Length > 0 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_')
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
        if (plain)
            return name;
        var quoted = new StringBuilder("\"");
        foreach (var c in name)
            quoted.Append(c == '"' ? "\"\"" : c.ToString());
        return quoted.Append('"').ToString();
    }
}

/// <summary>What PostgreSQL refuses of partitioned tables and partitions.</summary>
internal static partial class SchemaValidator
{
    internal static readonly KindRules PartitionRules = Register(new(Order: 45, static (model, _, add) => ValidatePartitioning(model, add)));

    private static readonly string[] Strategies = ["RANGE", "LIST", "HASH"];

    /// <summary>The columns of a partition: its top parent's (none when the parent is not declared, which is reported).</summary>
    private static IEnumerable<Column> PartitionColumns(Table table, Dictionary<QualifiedName, Table> tables)
    {
        var seen = new HashSet<QualifiedName>();
        var current = table;
        while (current.PartitionOf is { } parent && seen.Add(parent) && tables.TryGetValue(parent, out var parentTable))
            current = parentTable;
        return current == table ? [] : current.Columns;
    }

    private static void ValidatePartitioning(DatabaseModel model, Action<string, string> add)
    {
        var tables = new Dictionary<QualifiedName, Table>();
        foreach (var table in model.Tables)
            tables.TryAdd(table.QualifiedName, table);
        foreach (var table in model.Tables)
        {
            if (table.Partitioning is not { } partitioning)
                continue;
            var where = table.QualifiedName.ToString();
            if (partitioning.Key is { } key)
            {
                if (!Strategies.Any(s => key.StartsWith(s + " (", StringComparison.OrdinalIgnoreCase) && key.EndsWith(')')))
                    add(where, $"partition key \"{key}\" is not RANGE (…), LIST (…) or HASH (…); write it as PostgreSQL does: t.PartitionBy(\"RANGE (column)\"), or use t.PartitionByRange/List/Hash(\"column\")");
                if (table.Unlogged)
                    add(where, "a partitioned table cannot be unlogged (PostgreSQL refuses it); remove t.Unlogged()");
                if (table.Options.Count > 0)
                    add(where, $"a partitioned table takes no storage parameters (PostgreSQL refuses WITH ({string.Join(", ", table.Options)})); set them on its partitions instead and remove t.With(…) here");
                foreach (var index in table.Indexes.Where(i => i.Concurrently))
                    add(where, $"index \"{index.Name}\": PostgreSQL cannot create an index on a partitioned table CONCURRENTLY; remove .Concurrently()");
                ValidateUniqueKeys(table, key, tables, add);
            }
            if (partitioning.Parent is not { } parentName)
                continue;
            if (table.Columns.Count > 0)
                add(where, $"a partition takes its columns from {parentName}; remove its own t.Column(…) declarations (declare them on {parentName})");
            if (!tables.TryGetValue(parentName, out var parent))
            {
                add(where, $"is a partition of {parentName}, which is not declared; declare it with db.Table(…, t => t.PartitionByRange(…))");
                continue;
            }
            if (parent.Partitioning?.Key is not { } parentKey)
            {
                add(where, $"is a partition of {parentName}, which is not partitioned; give {parentName} a partition key (t.PartitionByRange/List/Hash)");
                continue;
            }
            if (parentName == table.QualifiedName || IsPartitionOf(parent, table.QualifiedName, tables))
                add(where, "is a partition of itself (through its parents); a partition's parents cannot include it");
            var bound = partitioning.Bound ?? "";
            var strategy = Strategies.FirstOrDefault(s => parentKey.StartsWith(s, StringComparison.OrdinalIgnoreCase));
            var expected = strategy switch
            {
                "RANGE" => "FOR VALUES FROM",
                "LIST" => "FOR VALUES IN",
                "HASH" => "FOR VALUES WITH",
                _ => null,
            };
            if (bound.Equals("DEFAULT", StringComparison.OrdinalIgnoreCase))
            {
                if (strategy == "HASH")
                    add(where, $"{parentName} is partitioned by HASH, which has no default partition; give the partition a bound \"WITH (MODULUS m, REMAINDER r)\"");
            }
            else if (expected is not null && !bound.StartsWith(expected, StringComparison.OrdinalIgnoreCase))
            {
                var example = strategy switch
                {
                    "RANGE" => "\"FROM (…) TO (…)\"",
                    "LIST" => "\"IN (…)\"",
                    _ => "\"WITH (MODULUS m, REMAINDER r)\"",
                };
                add(where, $"bound \"{bound}\" does not fit {parentName}, which is partitioned by {strategy}; write it as {example} or \"DEFAULT\"");
            }
        }

        foreach (var group in model.Tables.Where(t => t.Partitioning?.Bound is "DEFAULT").GroupBy(t => t.PartitionOf!.Value).Where(g => g.Count() > 1))
            add(group.Key.ToString(), $"has more than one default partition ({string.Join(", ", group.Select(t => t.QualifiedName))}); a partitioned table has at most one");
    }

    /// <summary>
    /// A primary key, unique constraint or unique index of a partitioned table (or of a table it is a partition of)
    /// must hold every column of the key: PostgreSQL enforces it per partition. A key over an expression allows none.
    /// </summary>
    private static void ValidateUniqueKeys(Table table, string key, Dictionary<QualifiedName, Table> tables, Action<string, string> add)
    {
        var open = key.IndexOf('(');
        var elements = open < 0 ? [] : key[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries);
        var columns = elements.Select(KeyColumn).ToList();
        var seen = new HashSet<QualifiedName>();
        for (Table? owner = table; owner is not null && seen.Add(owner.QualifiedName);
             owner = owner.PartitionOf is { } parent ? tables.GetValueOrDefault(parent) : null)
        {
            var keys = new List<(string What, IReadOnlyList<string> Columns)>();
            if (owner.PrimaryKey is { } primaryKey)
                keys.Add(($"primary key \"{primaryKey.Name}\"", primaryKey.Columns));
            keys.AddRange(owner.Uniques.Select(u => ($"unique constraint \"{u.Name}\"", (IReadOnlyList<string>)u.Columns)));
            keys.AddRange(owner.Indexes.Where(i => i.Unique).Select(i => ($"unique index \"{i.Name}\"", (IReadOnlyList<string>)i.Elements.Select(e => e.Column ?? "").ToList())));
            foreach (var (what, keyColumns) in keys)
            {
                if (columns.Any(c => c is null))
                    add(owner.QualifiedName.ToString(), $"{what}: {table.QualifiedName} is partitioned by an expression ({key}), and PostgreSQL allows no unique key on such a table; drop the key or partition by columns");
                else if (columns.FirstOrDefault(c => !keyColumns.Contains(c!)) is { } missing)
                    add(owner.QualifiedName.ToString(), $"{what} lacks column \"{missing}\" of the partition key of {table.QualifiedName} ({key}); PostgreSQL requires a unique key on a partitioned table to include every partitioning column: add it to the key");
            }
        }
    }

    /// <summary>The column a partition key element names (as pg_get_partkeydef prints it), or null for an expression.</summary>
    private static string? KeyColumn(string element)
    {
        var name = element;
        // An element may carry COLLATE and an operator class after the column.
        var space = name.StartsWith('"') ? name.IndexOf('"', 1) + 1 : name.IndexOf(' ');
        if (space > 0 && space < name.Length)
            name = name[..space];
        if (name.Length > 1 && name[0] == '"' && name[^1] == '"')
            return name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        return name.Length > 0 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '$') && !char.IsAsciiDigit(name[0]) ? name : null;
    }

    private static bool IsPartitionOf(Table table, QualifiedName ancestor, Dictionary<QualifiedName, Table> tables)
    {
        var seen = new HashSet<QualifiedName>();
        for (var current = table; current.PartitionOf is { } parent && seen.Add(parent);)
        {
            if (parent == ancestor)
                return true;
            if (!tables.TryGetValue(parent, out current!))
                return false;
        }
        return false;
    }
}

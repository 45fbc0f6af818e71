namespace Strata.Bench.SchemaGen;

/// <summary>The kinds of column the benchmark schema uses; each writer knows how to spell every one.</summary>
internal enum ColumnKind
{
    IdentityKey,
    Text,
    Varchar,
    Integer,
    Numeric,
    Boolean,
    TimestampTz,
    Jsonb,
    Uuid,
    Enum,
    BigInt,
}

internal sealed record EnumSpec(string Name, IReadOnlyList<string> Values);

/// <summary>
/// One column. <see cref="Default"/> is the SQL text of a literal default (<c>0</c>, <c>true</c>,
/// <c>'draft'</c> is written as the bare enum value), <see cref="DefaultSql"/> an expression.
/// </summary>
internal sealed record ColumnSpec(
    string Name,
    ColumnKind Kind,
    bool NotNull = false,
    int? Length = null,
    string? EnumName = null,
    object? Default = null,
    string? DefaultSql = null);

internal sealed record IndexSpec(string Name, IReadOnlyList<string> Columns, bool Unique);

internal sealed record CheckSpec(string Name, string Expression);

/// <summary>A single-column foreign key to <c>id</c> of <see cref="ReferencedTable"/>; <see cref="Inline"/> picks the DSL's column form over the table form.</summary>
internal sealed record ForeignKeySpec(string Name, string Column, string ReferencedTable, string OnDelete, bool Inline);

internal sealed record TableSpec(
    string Name,
    List<ColumnSpec> Columns,
    List<IndexSpec> Indexes,
    List<CheckSpec> Checks,
    List<ForeignKeySpec> ForeignKeys);

internal sealed record BenchSchemaSpec(List<EnumSpec> Enums, List<TableSpec> Tables, int Seed, int ChangePercent, ChangeSummary Changes);

/// <summary>What the change mode did, for the generator's console line and the benchmark report.</summary>
internal sealed record ChangeSummary(int ColumnsAddedTables, int ColumnsDroppedTables, int IndexesAdded, int ColumnsWidened, int TablesAdded, int EnumValuesAdded)
{
    public static ChangeSummary None { get; } = new(0, 0, 0, 0, 0, 0);

    public int Total => ColumnsAddedTables + ColumnsDroppedTables + IndexesAdded + ColumnsWidened + TablesAdded + EnumValuesAdded;

    public override string ToString() => Total == 0
        ? "no change"
        : $"{ColumnsAddedTables} tables gain 2 columns, {ColumnsDroppedTables} lose one, {IndexesAdded} new indexes, " +
          $"{ColumnsWidened} varchar columns widened, {TablesAdded} new tables, {EnumValuesAdded} enum value added";
}

/// <summary>
/// Builds the benchmark schema from a seed. The base schema depends only on the table count and the
/// seed; the change is drawn from its own random stream, so "seed 42 with a 5% change" is exactly
/// "seed 42" plus the change, which is what the after-change benchmark needs.
/// </summary>
internal static class BenchSchemaFactory
{
    private static readonly (string Name, string[] Values)[] EnumCatalog =
    [
        ("order_status", ["draft", "placed", "paid", "shipped", "delivered", "cancelled"]),
        ("priority", ["low", "normal", "high", "urgent"]),
        ("visibility", ["public", "internal", "private", "secret"]),
        ("currency", ["eur", "usd", "gbp", "chf", "jpy", "sek"]),
        ("region", ["north", "south", "east", "west", "central"]),
        ("tier", ["free", "basic", "pro", "team", "enterprise"]),
        ("channel", ["web", "mobile", "api", "email", "phone", "partner"]),
        ("severity", ["debug", "info", "warning", "error", "fatal"]),
        ("lifecycle", ["new", "active", "paused", "archived"]),
        ("approval", ["pending", "approved", "rejected", "escalated"]),
    ];

    private static readonly string[] Nouns =
        ["account", "invoice", "order", "product", "customer", "shipment", "payment", "ticket", "project", "task",
         "document", "comment", "review", "coupon", "warehouse", "supplier", "contract", "meeting", "asset", "report"];

    private static readonly int[] VarcharLengths = [16, 32, 64, 128, 255];

    private static readonly string[] OnDeleteActions = ["no action", "cascade", "set null", "restrict"];

    public static BenchSchemaSpec Create(int tableCount, int seed, int changePercent)
    {
        var random = new Random(seed);
        var enums = CreateEnums(random, Math.Clamp(tableCount / 100, 2, EnumCatalog.Length));
        var tables = new List<TableSpec>(tableCount);
        for (var i = 0; i < tableCount; i++)
            tables.Add(CreateTable(random, i, tables, enums));

        var changes = changePercent > 0
            ? ApplyChange(new Random(unchecked(seed * 7919 + 17)), tables, enums, changePercent)
            : ChangeSummary.None;
        return new BenchSchemaSpec(enums, tables, seed, changePercent, changes);
    }

    private static List<EnumSpec> CreateEnums(Random random, int count)
    {
        // A seeded prefix of each catalog entry, so that the enums differ in size.
        var enums = new List<EnumSpec>(count);
        for (var i = 0; i < count; i++)
        {
            var (name, values) = EnumCatalog[i];
            enums.Add(new EnumSpec(name, values.Take(random.Next(3, values.Length + 1)).ToList()));
        }
        return enums;
    }

    private static TableSpec CreateTable(Random random, int index, List<TableSpec> earlier, List<EnumSpec> enums)
    {
        var name = $"{Nouns[index % Nouns.Length]}_{index:D4}";
        var status = enums[random.Next(enums.Count)];
        var columns = new List<ColumnSpec>
        {
            new("id", ColumnKind.IdentityKey, NotNull: true),
            new("name", ColumnKind.Text, NotNull: random.Next(5) != 0),
            new("code", ColumnKind.Varchar, NotNull: true, Length: VarcharLengths[random.Next(VarcharLengths.Length)]),
            new("quantity", ColumnKind.Integer, NotNull: true, Default: random.Next(3)),
            new("amount", ColumnKind.Numeric),
            new("active", ColumnKind.Boolean, NotNull: true, Default: random.Next(4) != 0),
            new("created_at", ColumnKind.TimestampTz, NotNull: true, DefaultSql: "now()"),
            new("payload", ColumnKind.Jsonb),
            new("external_id", ColumnKind.Uuid, NotNull: true, DefaultSql: "gen_random_uuid()"),
            new("status", ColumnKind.Enum, NotNull: true, EnumName: status.Name, Default: status.Values[0]),
            new("parent_id", ColumnKind.BigInt),
        };

        // Mostly a recent table, sometimes an old one, and the first table refers to itself (a tree).
        var referenced = index == 0 ? name : earlier[Math.Max(0, index - 1 - random.Next(Math.Min(index, 50)))].Name;
        var foreignKeys = new List<ForeignKeySpec>
        {
            new($"{name}_parent_id_fkey", "parent_id", referenced, OnDeleteActions[random.Next(OnDeleteActions.Length)], Inline: random.Next(2) == 0),
        };

        var indexes = new List<IndexSpec> { new($"{name}_parent_id_idx", ["parent_id"], Unique: false) };
        indexes.Add(random.Next(2) == 0
            ? new IndexSpec($"{name}_code_idx", ["code"], Unique: true)
            : new IndexSpec($"{name}_status_created_at_idx", ["status", "created_at"], Unique: false));

        var checks = new List<CheckSpec>
        {
            random.Next(2) == 0
                ? new CheckSpec($"{name}_quantity_check", "quantity >= 0")
                : new CheckSpec($"{name}_amount_check", "amount >= 0"),
        };

        return new TableSpec(name, columns, indexes, checks, foreignKeys);
    }

    /// <summary>
    /// About <paramref name="percent"/>% of the tables change, each in one way only: a table never both
    /// loses and gains a column, because that drop + add is a rename candidate that both tools stop to
    /// ask about.
    /// </summary>
    private static ChangeSummary ApplyChange(Random random, List<TableSpec> tables, List<EnumSpec> enums, int percent)
    {
        var budget = Math.Max(1, (int)Math.Round(tables.Count * percent / 100.0));
        var addColumns = Math.Max(1, budget * 40 / 100);
        var dropColumns = budget * 20 / 100;
        var addIndexes = budget * 20 / 100;
        var widen = budget * 10 / 100;
        var addTables = Math.Max(1, budget * 10 / 100);

        var order = Shuffled(random, Enumerable.Range(0, tables.Count).ToArray());
        var next = 0;
        IEnumerable<TableSpec> Take(int count)
        {
            for (var i = 0; i < count && next < order.Length; i++)
                yield return tables[order[next++]];
        }

        var summary = new int[5];
        foreach (var table in Take(addColumns).ToList())
        {
            table.Columns.Add(new ColumnSpec("note", ColumnKind.Text));
            table.Columns.Add(new ColumnSpec("score", ColumnKind.Integer, NotNull: true, Default: 0));
            summary[0]++;
        }
        foreach (var table in Take(dropColumns).ToList())
        {
            table.Columns.RemoveAll(c => c.Name == "payload");
            summary[1]++;
        }
        foreach (var table in Take(addIndexes).ToList())
        {
            table.Indexes.Add(new IndexSpec($"{table.Name}_name_idx", ["name"], Unique: false));
            summary[2]++;
        }
        foreach (var table in Take(widen).ToList())
        {
            var code = table.Columns.FindIndex(c => c.Name == "code");
            table.Columns[code] = table.Columns[code] with { Length = 512 };
            summary[3]++;
        }
        var baseCount = tables.Count;
        for (var i = 0; i < addTables; i++)
        {
            tables.Add(CreateTable(random, baseCount + i, tables, enums));
            summary[4]++;
        }

        var grown = enums[random.Next(enums.Count)];
        enums[enums.IndexOf(grown)] = grown with { Values = [.. grown.Values, "retired"] };

        return new ChangeSummary(summary[0], summary[1], summary[2], summary[3], summary[4], EnumValuesAdded: 1);
    }

    private static T[] Shuffled<T>(Random random, IReadOnlyList<T> items)
    {
        var copy = items.ToArray();
        random.Shuffle(copy);
        return copy;
    }
}

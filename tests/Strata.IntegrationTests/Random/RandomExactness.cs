using Strata.Diffing;
using Strata.Model;

namespace Strata.IntegrationTests.Random;

/// <summary>
/// Issue 16's exactness features, added to a random pair once its models are built: foreign keys MATCH FULL, comments
/// on primary keys, unique constraints, foreign keys, checks and indexes (a commented index sometimes renamed in B),
/// unlogged tables, typed-literal defaults (<c>'1'::numeric</c>, <c>'0.5'::real</c>), a check that reads no column and
/// NO INHERIT checks. A gets some; B keeps A's mostly, changes, removes or adds them. Only on plain tables (not
/// partitioned, not a partition, outside inheritance), so that PostgreSQL's rules for those stay out of the way. From a
/// stream of its own, so that the schemas of every seed stay as they were apart from these.
/// </summary>
internal sealed class RandomExactness(int seed)
{
    private static readonly string[] Comments = ["Billing", "it's here", "two\nlines", "\"quoted\""];
    private static readonly string[] NumericDefaults = ["'1'::numeric", "'-2.5'::numeric"];
    private static readonly string[] RealDefaults = ["'0.5'::real", "'-1'::real"];
    private const string ConstantCheckSuffix = "_const_check";

    private readonly System.Random _random = new(unchecked(seed * 104729 + 73));

    private bool Chance(double probability) => _random.NextDouble() < probability;

    public RandomPair Decorate(RandomPair pair)
    {
        var log = new List<string>(pair.Mutations);
        var renames = new List<Rename>(pair.Renames);
        var a = Decorate(pair.A, null, renames, log);
        var b = Decorate(pair.B, a, renames, log);
        // An index renamed only when the generator renamed nothing: its renames end its mutations, and so do these.
        if (renames.Count == 0 && Chance(0.15))
            b = RenameIndex(a, b, renames, log);
        return pair with { A = a, B = b, Renames = renames, Mutations = log };
    }

    /// <param name="before">A, when <paramref name="model"/> is B: what B may keep.</param>
    private DatabaseModel Decorate(DatabaseModel model, DatabaseModel? before, IReadOnlyList<Rename> renames, List<string> log)
    {
        string OldSchema(string schema) =>
            renames.FirstOrDefault(r => r.Kind == ObjectKind.Schema && r.To == schema)?.From ?? schema;
        QualifiedName OldRelation(QualifiedName name) =>
            renames.FirstOrDefault(r => r.Kind == ObjectKind.Table && r.To == name.ToString()) is { } r
                ? QualifiedName.Parse(r.From)
                : new QualifiedName(OldSchema(name.Schema), name.Name);
        string OldColumn(Table table, QualifiedName old, string column) =>
            renames.FirstOrDefault(r => r.Kind == ObjectKind.Column && r.To == table.QualifiedName + "." + column) is { } r
                ? r.From[(old.ToString().Length + 1)..]
                : column;

        var referenced = model.Tables.SelectMany(t => t.ForeignKeys).Select(f => f.ReferencedTable).ToHashSet();
        var tables = model.Tables.Select(table =>
        {
            if (!IsPlain(table, model))
                return table;
            var oldName = OldRelation(table.QualifiedName);
            var old = before?.FindTable(oldName);
            var name = table.QualifiedName;

            // Unlogged only when no foreign key references the table: PostgreSQL lets only an unlogged table do so.
            var unlogged = !referenced.Contains(name)
                && (old is { Unlogged: true } ? Chance(0.7) : Chance(before is null ? 0.15 : 0.1));
            if (before is not null && old is not null && unlogged != old.Unlogged)
                log.Add($"table {name}: {(unlogged ? "unlogged" : "logged")}");

            var columns = table.Columns.Select(column =>
            {
                if (TypedDefaults(column) is not { } choices)
                    return column;
                var previous = old?.FindColumn(OldColumn(table, oldName, column.Name));
                if (previous?.Default is { } kept && choices.Contains(kept) && Chance(0.7))
                    return column with { Default = kept };
                if (!Chance(before is null ? 0.25 : 0.15))
                    return column;
                var value = choices[_random.Next(choices.Length)];
                if (before is not null)
                    log.Add($"column {name}.{column.Name}: default {value}");
                return column with { Default = value };
            }).ToValueList();

            var primaryKey = table.PrimaryKey is { } key
                ? key with { Comment = Comment(old?.PrimaryKey?.Name == key.Name ? old.PrimaryKey.Comment : null, before, log, $"primary key {key.Name}") }
                : null;
            var uniques = table.Uniques.Select(u => u with
            {
                Comment = Comment(old?.Uniques.FirstOrDefault(o => o.Name == u.Name)?.Comment, before, log, $"unique {u.Name}"),
            }).ToValueList();
            var foreignKeys = table.ForeignKeys.Select(f =>
            {
                var oldKey = old?.ForeignKeys.FirstOrDefault(o => o.Name == f.Name);
                var matchFull = oldKey is { MatchFull: true } ? Chance(0.7) : Chance(before is null ? 0.25 : 0.15);
                if (before is not null && oldKey is not null && matchFull != oldKey.MatchFull)
                    log.Add($"foreign key {f.Name}: MATCH {(matchFull ? "FULL" : "SIMPLE")}");
                return f with { MatchFull = matchFull, Comment = Comment(oldKey?.Comment, before, log, $"foreign key {f.Name}") };
            }).ToValueList();
            var indexes = table.Indexes.Select(i => i with
            {
                Comment = Comment(old?.Indexes.FirstOrDefault(o => o.Name == i.Name)?.Comment, before, log, $"index {i.Name}"),
            }).ToValueList();

            var checks = table.Checks.Select(c =>
            {
                var oldCheck = old?.Checks.FirstOrDefault(o => o.Name == c.Name);
                var noInherit = oldCheck is { NoInherit: true } ? Chance(0.7) : Chance(before is null ? 0.2 : 0.1);
                if (before is not null && oldCheck is not null && noInherit != oldCheck.NoInherit)
                    log.Add($"check {c.Name}: {(noInherit ? "NO INHERIT" : "inherited")}");
                return c with { NoInherit = noInherit, Comment = Comment(oldCheck?.Comment, before, log, $"check {c.Name}") };
            }).ToList();
            // A check that reads no column: A's kept mostly (the generator's mutations never touch it).
            var constantName = ConstantCheckName(table);
            var hadConstant = old?.Checks.Any(c => c.Name == ConstantCheckName(old)) == true;
            if (constantName is not null && !checks.Any(c => c.Name == constantName)
                && (hadConstant ? Chance(0.8) : Chance(before is null ? 0.1 : 0.05)))
            {
                var oldCheck = old?.Checks.FirstOrDefault(c => c.Name == ConstantCheckName(old));
                checks.Add(new CheckConstraint(constantName, "1 < 2", NoInherit: oldCheck?.NoInherit ?? Chance(0.3),
                    Comment: Comment(oldCheck?.Comment, before, log, $"check {constantName}")));
                if (before is not null && !hadConstant)
                    log.Add($"table {name}: check (1 < 2) added");
            }
            else if (before is not null && hadConstant)
                log.Add($"table {name}: check (1 < 2) dropped");

            return table with
            {
                Unlogged = unlogged, Columns = columns, PrimaryKey = primaryKey, Uniques = uniques, ForeignKeys = foreignKeys,
                Indexes = indexes, Checks = checks.ToValueList(),
            };
        }).ToValueList();

        return (model with { Tables = tables }).Normalize();
    }

    /// <summary>A comment for a constraint or index: A's (<paramref name="kept"/>) mostly kept in B, else changed, removed or new.</summary>
    private string? Comment(string? kept, DatabaseModel? before, List<string> log, string what)
    {
        if (kept is not null && Chance(0.6))
            return kept;
        string? comment = null;
        if (Chance(before is null ? 0.15 : kept is not null ? 0.5 : 0.1))
            comment = Comments[_random.Next(Comments.Length)];
        if (before is not null && comment != kept)
            log.Add($"{what}: comment {(comment is null ? "removed" : "set")}");
        return comment;
    }

    /// <summary>B with one index of a table that both models have renamed (mostly a commented one), and its rename decision.</summary>
    private DatabaseModel RenameIndex(DatabaseModel a, DatabaseModel b, List<Rename> renames, List<string> log)
    {
        var candidates = b.Tables.Where(t => IsPlain(t, b) && a.FindTable(t.QualifiedName) is not null)
            .SelectMany(t => t.Indexes.Where(i => a.FindTable(t.QualifiedName)!.Indexes.Any(o => o.Name == i.Name)).Select(i => (Table: t, Index: i)))
            .ToList();
        var commented = candidates.Where(c => c.Index.Comment is not null).ToList();
        if (commented.Count > 0 && Chance(0.8))
            candidates = commented;
        if (candidates.Count == 0)
            return b;
        var (table, index) = candidates[_random.Next(candidates.Count)];
        var to = index.Name.Length > 56 ? index.Name[..56] + "_rn" : index.Name + "_rn";
        if (RelationNames(a, table.Schema).Concat(RelationNames(b, table.Schema)).Contains(to))
            return b;
        renames.Add(new Rename(ObjectKind.Index, table.Schema + "." + index.Name, table.Schema + "." + to));
        log.Add($"index {index.Name} renamed to {to}{(index.Comment is null ? "" : " (commented)")}");
        var renamed = table with { Indexes = table.Indexes.Select(i => i == index ? i with { Name = to } : i).ToValueList() };
        return (b with { Tables = b.Tables.Select(t => t == table ? renamed : t).ToValueList() }).Normalize();
    }

    /// <summary>The names of the schema's relations (tables, views, sequences, indexes and the indexes of keys), which share one namespace.</summary>
    private static IEnumerable<string> RelationNames(DatabaseModel model, string schema) =>
        model.Tables.Where(t => t.Schema == schema).SelectMany(t =>
                t.Indexes.Select(i => i.Name).Concat(t.Uniques.Select(u => u.Name)).Append(t.Name).Concat(t.PrimaryKey is { } k ? [k.Name] : []))
            .Concat(model.Views.Where(v => v.Schema == schema).SelectMany(v => v.Indexes.Select(i => i.Name).Append(v.Name)))
            .Concat(model.Sequences.Where(s => s.Schema == schema).Select(s => s.Name));

    /// <summary>The check that reads no column, named after its table (null when the name would be too long for PostgreSQL).</summary>
    private static string? ConstantCheckName(Table table) =>
        table.Name.Length + ConstantCheckSuffix.Length <= 63 ? table.Name + ConstantCheckSuffix : null;

    /// <summary>Neither partitioned nor a partition, and outside inheritance: NO INHERIT and UNLOGGED have rules of their own there.</summary>
    private static bool IsPlain(Table table, DatabaseModel model) =>
        table.Partitioning is null && table.Inherits.Count == 0 && !model.Tables.Any(t => t.Inherits.Contains(table.QualifiedName));

    /// <summary>The typed literals a column may default to: numeric without a typmod (which would print otherwise), real, boolean.</summary>
    private static string[]? TypedDefaults(Column column)
    {
        if (column.Identity is not null || column.GeneratedAs is not null || column.Type.ArrayDimensions > 0)
            return null;
        return column.Type switch
        {
            { Kind: TypeKind.Numeric, Precision: null } => NumericDefaults,
            { Kind: TypeKind.Real } => RealDefaults,
            { Kind: TypeKind.Boolean } => ["true"],
            _ => null,
        };
    }
}

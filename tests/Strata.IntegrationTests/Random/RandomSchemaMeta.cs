using Strata.Diffing;
using Strata.Model;

namespace Strata.IntegrationTests.Random;

/// <summary>
/// Comments on schemas (public's included, removed or its own) and the clustered index of tables and materialized views
/// (an index, the primary key or a unique constraint; a materialized view's, on an index added here), added to a random pair once its models are built: A gets some,
/// B keeps A's, moves or drops them, or gets new ones. From a stream of its own, so that the schemas of every seed stay
/// as they were apart from these.
/// </summary>
internal sealed class RandomSchemaMeta(int seed)
{
    private static readonly string?[] Comments = ["Billing", "it's here", "two\nlines", "\"quoted\"", null];

    private readonly System.Random _random = new(unchecked(seed * 104729 + 61));

    private bool Chance(double probability) => _random.NextDouble() < probability;

    public RandomPair Decorate(RandomPair pair)
    {
        var log = new List<string>(pair.Mutations);
        var a = Decorate(pair.A, null, pair.Renames, log);
        var b = Decorate(pair.B, a, pair.Renames, log);
        return pair with { A = a, B = b, Mutations = log };
    }

    /// <param name="before">A, when <paramref name="model"/> is B: what B may keep.</param>
    private DatabaseModel Decorate(DatabaseModel model, DatabaseModel? before, IReadOnlyList<Rename> renames, List<string> log)
    {
        string OldName(string schema) =>
            renames.FirstOrDefault(r => r.Kind == ObjectKind.Schema && r.To == schema)?.From ?? schema;
        QualifiedName OldRelation(QualifiedName name) =>
            renames.FirstOrDefault(r => r.Kind == ObjectKind.Table && r.To == name.ToString()) is { } r
                ? QualifiedName.Parse(r.From)
                : new QualifiedName(OldName(name.Schema), name.Name);

        var comments = new List<SchemaComment>();
        foreach (var schema in model.Schemas.Prepend(QualifiedName.DefaultSchema))
        {
            var kept = before?.SchemaComments.FirstOrDefault(c => c.Schema == OldName(schema));
            if (kept is not null && Chance(0.6))
                comments.Add(kept with { Schema = schema });
            else if (Chance(before is null ? 0.3 : 0.2))
            {
                // null: none, which only public can say differently from nothing.
                var comment = Comments[_random.Next(Comments.Length)];
                comments.Add(new SchemaComment(schema, comment));
                if (before is not null)
                    log.Add($"schema {schema}: comment {(comment is null ? "removed" : "set")}");
            }
            else if (kept is not null)
                log.Add($"schema {schema}: comment dropped");
        }

        var tables = model.Tables.Select(table =>
        {
            if (table.Partitioning?.IsPartitioned == true)
                return table;
            var candidates = table.Indexes.Where(Clusterable).Select(i => i.Name).Concat(table.Uniques.Select(u => u.Name));
            if (table.PrimaryKey is { } key)
                candidates = candidates.Append(key.Name);
            var choice = Choose(candidates.ToList(), before?.FindTable(OldRelation(table.QualifiedName))?.ClusterOn, before is null);
            if (before is not null && choice != before.FindTable(OldRelation(table.QualifiedName))?.ClusterOn)
                log.Add($"table {table.QualifiedName}: clustered on {choice ?? "nothing"}");
            return table with { ClusterOn = choice };
        }).ToValueList();
        var views = model.Views.Select(view =>
        {
            if (!view.Materialized)
                return view;
            // The generator's materialized views have no index: one on the first column to cluster on, kept in B mostly.
            var hadIndex = before?.FindView(OldRelation(view.QualifiedName))?.Indexes.Any(i => i.Name == ClusterIndexName(view)) == true;
            if (FirstColumn(view, model) is { } column && (hadIndex ? Chance(0.8) : Chance(before is null ? 0.5 : 0.3)))
                view = view with { Indexes = view.Indexes.Append(new Model.Index(ClusterIndexName(view), ValueList.Create(IndexElement.OnColumn(column)))).ToValueList() };
            var choice = Choose(view.Indexes.Where(Clusterable).Select(i => i.Name).ToList(), before?.FindView(OldRelation(view.QualifiedName))?.ClusterOn, before is null);
            if (before is not null && choice != before.FindView(OldRelation(view.QualifiedName))?.ClusterOn)
                log.Add($"materialized view {view.QualifiedName}: clustered on {choice ?? "nothing"}");
            return view with { ClusterOn = choice };
        }).ToValueList();

        return (model with { Tables = tables, Views = views, SchemaComments = comments.ToValueList() }).Normalize();
    }

    private static string ClusterIndexName(View view) => view.Name + "_meta_idx";

    // Types with a default btree operator class (json, for one, has none).
    private static readonly HashSet<TypeKind> Ordered =
    [
        TypeKind.SmallInt, TypeKind.Integer, TypeKind.BigInt, TypeKind.SmallSerial, TypeKind.Serial, TypeKind.BigSerial,
        TypeKind.Numeric, TypeKind.Boolean, TypeKind.Text, TypeKind.Varchar, TypeKind.Char, TypeKind.Uuid, TypeKind.Date,
        TypeKind.Timestamp, TypeKind.TimestampTz,
    ];

    /// <summary>The first column of the generator's <c>SELECT "c1", … FROM table</c> when it can take a btree index, or null.</summary>
    private static string? FirstColumn(View view, DatabaseModel model)
    {
        var lexemes = Strata.Sql.SqlLexer.Tokenize(view.Definition).Lexemes();
        if (lexemes.Count < 2 || !lexemes[1].IsName || view.DependsOn.Count != 1)
            return null;
        var column = model.FindTable(view.DependsOn[0])?.FindColumn(lexemes[1].Value);
        return column is { Type: { ArrayDimensions: 0 } type } && Ordered.Contains(type.Kind) ? column.Name : null;
    }

    /// <summary>A's mark kept when its index is still there (mostly), else one of the candidates or none.</summary>
    private string? Choose(List<string> candidates, string? before, bool first)
    {
        if (before is not null && candidates.Contains(before) && Chance(0.6))
            return before;
        if (candidates.Count == 0 || !Chance(first ? 0.35 : 0.3))
            return null;
        return candidates[_random.Next(candidates.Count)];
    }

    // What PostgreSQL can CLUSTER on (as the validator says): a whole index of an ordered method.
    private static bool Clusterable(Model.Index index) => index.Where is null && index.Method is "btree" or "gist";
}

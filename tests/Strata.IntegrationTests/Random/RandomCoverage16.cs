using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Random;

/// <summary>
/// The rest of issue 16's features, added to a random pair once its models are built, in objects of their own (so that
/// the generator's renames and drops never reach them):
/// <list type="bullet">
/// <item>two checks with the same expression named as PostgreSQL names two unnamed ones (<c>t_n_check</c>, <c>t_n_check1</c>);</item>
/// <item>checks <c>col IN ('a', 'b')</c> and <c>col = ANY (ARRAY['a'::character varying, …]::text[])</c> on varchar and
/// text columns whose type B may change, which makes PostgreSQL reprint them;</item>
/// <item>a view whose select list has typed NULLs and constants (<c>NULL::integer AS x</c>, <c>NULL::integer</c>,
/// <c>'a'::text</c>, <c>1::bigint</c>), to which PostgreSQL adds aliases;</item>
/// <item>extensions of PostgreSQL 15's contrib (citext, hstore, pg_trgm, btree_gist, uuid-ossp), some at a fixed older
/// version, some in a schema of their own, with a column of an extension's type, a gin_trgm_ops index, a gist index on an
/// integer and a uuid_generate_v4() default;</item>
/// <item>schemas whose names differ only by case or need quoting (<c>"Foo"</c>, <c>foo</c>, <c>"Billing Data"</c>) with
/// tables in them and a key from one to the other.</item>
/// </list>
/// A gets some; B keeps them mostly, changes, drops or adds some. From a stream of its own, so that the schemas of every
/// seed stay as they were apart from these.
/// </summary>
internal sealed class RandomCoverage16(int seed)
{
    public const string ChecksTable = "cov16_checks";
    public const string ExtensionsTable = "cov16_ext";
    public const string ViewName = "cov16_view";
    public const string ExtensionSchema = "Cov Ext";
    public static readonly string[] QuotedSchemas = ["Foo", "foo", "Billing Data"];

    private static readonly string[] ExtensionNames = ["citext", "hstore", "pg_trgm", "btree_gist", "uuid-ossp"];

    // Versions other than the default that PostgreSQL 15's contrib installs directly (a script of their own). B keeps an
    // extension's version: a down migration cannot go back to an older one (PostgreSQL ships no downgrade scripts).
    private static readonly Dictionary<string, string> OlderVersions = new(StringComparer.Ordinal)
    {
        ["citext"] = "1.4", ["hstore"] = "1.4", ["pg_trgm"] = "1.3", ["btree_gist"] = "1.2",
    };

    // The view's select list, in this order; no two without an alias print the same column name (int4, text, int8).
    private static readonly string[] ViewItems =
        ["NULL::integer AS x", "NULL::integer", "'a'::text", "1::bigint", "'b'::character varying AS y", "\"id\"", "\"code\""];

    private static readonly ColumnType[] CodeTypes = [Types.Varchar(10), Types.Varchar(20), Types.Text];

    private readonly System.Random _random = new(unchecked(seed * 104729 + 89));

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public RandomPair Decorate(RandomPair pair)
    {
        var a = NewPlan();
        var b = Mutate(a, out var log);
        return pair with
        {
            A = Merge(pair.A, a.Build()),
            B = Merge(pair.B, b.Build()),
            Mutations = [.. pair.Mutations, .. log],
        };
    }

    private sealed record ExtensionPlan(string Name, string Schema, string? Version, bool Used);

    /// <summary>What this class adds to one model: A's, or B's after <see cref="Mutate"/>.</summary>
    private sealed record Plan(
        IReadOnlyList<ExtensionPlan> Extensions,
        bool Checks,
        ColumnType CodeType,
        ColumnType LabelType,
        bool FirstDuplicate,
        bool SecondDuplicate,
        string? CodeCheck,
        string? LabelCheck,
        IReadOnlyList<string> View,
        IReadOnlyList<string> Schemas,
        bool CrossCaseKey)
    {
        public DatabaseModel Build()
        {
            var db = new SchemaBuilder();
            foreach (var extension in Extensions)
                Scope(db, extension.Schema).Extension(extension.Name, version: extension.Version);
            if (Extensions.Any(e => e.Used))
                db.Table(ExtensionsTable, DefineExtensionsTable);
            if (Checks)
            {
                db.Table(ChecksTable, DefineChecksTable);
                if (View.Count > 0)
                    db.View(ViewName, $"SELECT {string.Join(", ", View)} FROM \"public\".\"{ChecksTable}\"");
            }
            foreach (var schema in Schemas)
            {
                db.Schema(schema).Table(TableIn(schema), t =>
                {
                    t.Column("id", Types.Integer).PrimaryKey();
                    t.Column("name", Types.Text);
                    if (CrossCaseKey && schema == "Foo" && Schemas.Contains("foo"))
                        t.Column("foo_id", Types.Integer).References(new QualifiedName("foo", TableIn("foo")).ToString(), "id");
                });
            }
            return db.Build();
        }

        private void DefineChecksTable(TableBuilder t)
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("n", Types.Integer);
            t.Column("code", CodeType);
            t.Column("label", LabelType);
            // What PostgreSQL names two unnamed checks with the same expression on one column (and pull writes back).
            if (FirstDuplicate)
                t.Check(ChecksTable + "_n_check", "\"n\" > 0");
            if (SecondDuplicate)
                t.Check(ChecksTable + "_n_check1", "\"n\" > 0");
            if (CodeCheck is { } code)
                t.Check(ChecksTable + "_code_check", code);
            if (LabelCheck is { } label)
                t.Check(ChecksTable + "_label_check", label);
        }

        private void DefineExtensionsTable(TableBuilder t)
        {
            t.Column("id", Types.Integer).PrimaryKey();
            foreach (var extension in Extensions.Where(e => e.Used))
            {
                switch (extension.Name)
                {
                    case "citext":
                        t.Column("email", Types.Raw("citext")).Unique();
                        break;
                    case "hstore":
                        t.Column("tags", Types.Raw("hstore"));
                        break;
                    case "pg_trgm":
                        t.Column("body", Types.Text);
                        t.Index(IndexKey.Column("body").OperatorClass("gin_trgm_ops")).Named(ExtensionsTable + "_body_trgm").Using("gin");
                        break;
                    case "btree_gist":
                        t.Column("n", Types.Integer);
                        t.Index("n").Named(ExtensionsTable + "_n_gist").Using("gist");
                        break;
                    case "uuid-ossp":
                        t.Column("uid", Types.Uuid).DefaultSql("uuid_generate_v4()");
                        break;
                }
            }
        }

        private static SchemaScope Scope(SchemaBuilder db, string schema) => schema == QualifiedName.DefaultSchema ? db : db.Schema(schema);
    }

    private static string TableIn(string schema) => schema == "Billing Data" ? "Invoice Lines" : "items";

    private Plan NewPlan()
    {
        var extensions = new List<ExtensionPlan>();
        if (Chance(0.35))
        {
            foreach (var name in ExtensionNames)
            {
                if (Chance(0.4))
                    extensions.Add(NewExtension(name));
            }
        }
        var checks = Chance(0.35);
        var codeType = Pick(CodeTypes);
        var labelType = Chance(0.5) ? Types.Text : Types.Varchar(10);
        var duplicates = checks && Chance(0.6);
        var view = checks && Chance(0.5) ? NewView() : [];
        var schemas = Chance(0.25) ? QuotedSchemas.Where(_ => Chance(0.6)).ToList() : [];
        return new Plan(extensions, checks, codeType, labelType, duplicates, duplicates, InCheck("code", codeType), InCheck("label", labelType), view,
            schemas, Chance(0.5));
    }

    private ExtensionPlan NewExtension(string name)
    {
        var used = Chance(0.7);
        var version = OlderVersions.TryGetValue(name, out var older) && Chance(0.3) ? older : null;
        return new ExtensionPlan(name, !used && Chance(0.4) ? ExtensionSchema : QualifiedName.DefaultSchema, version, used);
    }

    private List<string> NewView()
    {
        var items = ViewItems.Where(_ => Chance(0.5)).ToList();
        return items.Count > 0 ? items : [ViewItems[0]];
    }

    /// <summary>A check that the column is one of a few values, in one of the forms a user or pg_dump writes (mostly).</summary>
    private string? InCheck(string column, ColumnType type)
    {
        if (!Chance(0.7))
            return null;
        string[] values = Chance(0.5) ? ["'a'", "'b'"] : ["'a'", "'b'", "'it''s'"];
        var quoted = $"\"{column}\"";
        string Array(string cast) => "ARRAY[" + string.Join(", ", values.Select(v => v + cast)) + "]";
        return _random.Next(4) switch
        {
            0 => $"{quoted} IN ({string.Join(", ", values)})",
            1 => $"{quoted} = ANY ({Array("::character varying")}::text[])",
            // As pg_dump prints the first form on a varchar column.
            2 => $"({quoted})::text = ANY (({Array("::character varying")})::text[])",
            _ => type.Kind == TypeKind.Text ? $"{quoted} = ANY ({Array("::text")})" : $"{quoted} IN ({string.Join(", ", values)})",
        };
    }

    private Plan Mutate(Plan a, out List<string> log)
    {
        log = [];
        var extensions = new List<ExtensionPlan>();
        foreach (var extension in a.Extensions)
        {
            if (Chance(0.15))
            {
                log.Add($"extension {extension.Name} dropped");
                continue;
            }
            var changed = extension;
            if (Chance(0.2))
            {
                changed = changed with { Used = !changed.Used, Schema = QualifiedName.DefaultSchema };
                log.Add($"extension {extension.Name}: {(changed.Used ? "used" : "no longer used")}");
            }
            else if (!changed.Used && Chance(0.3))
                changed = changed with { Schema = changed.Schema == ExtensionSchema ? QualifiedName.DefaultSchema : ExtensionSchema };
            if (changed.Schema != extension.Schema)
                log.Add($"extension {extension.Name}: moved to {changed.Schema}");
            extensions.Add(changed);
        }
        foreach (var name in ExtensionNames.Where(n => a.Extensions.All(e => e.Name != n)))
        {
            if (Chance(0.1))
            {
                extensions.Add(NewExtension(name));
                log.Add($"extension {name} added");
            }
        }

        var checks = a.Checks;
        var (codeType, labelType, first, second, codeCheck, labelCheck, view) = (a.CodeType, a.LabelType, a.FirstDuplicate, a.SecondDuplicate, a.CodeCheck, a.LabelCheck, a.View);
        if (checks && Chance(0.1))
        {
            checks = false;
            log.Add($"table {ChecksTable} dropped");
        }
        else if (!checks && Chance(0.15))
        {
            checks = true;
            (first, second) = Chance(0.5) ? (true, true) : (false, false);
            codeCheck = InCheck("code", codeType);
            labelCheck = InCheck("label", labelType);
            view = Chance(0.5) ? NewView() : [];
            log.Add($"table {ChecksTable} added");
        }
        else if (checks)
        {
            if (Chance(0.3))
            {
                // Mostly one of the two dropped, the other kept: the case pull's names make likely.
                (first, second) = _random.Next(3) switch { 0 => (false, second), 1 => (first, false), _ => (!first, !second) };
                log.Add($"checks {ChecksTable}_n_check/_check1: {(first ? "kept" : "none")}/{(second ? "kept" : "none")}");
            }
            if (Chance(0.3))
            {
                codeType = Pick(CodeTypes.Where(t => t != codeType).ToList());
                log.Add($"change type {ChecksTable}.code → {codeType}");
            }
            if (Chance(0.25))
            {
                labelType = labelType.Kind == TypeKind.Text ? Types.Varchar(10) : Types.Text;
                log.Add($"change type {ChecksTable}.label → {labelType}");
            }
            if (Chance(0.25))
            {
                codeCheck = InCheck("code", codeType);
                log.Add($"check {ChecksTable}_code_check: {codeCheck ?? "dropped"}");
            }
            if (Chance(0.2))
            {
                labelCheck = InCheck("label", labelType);
                log.Add($"check {ChecksTable}_label_check: {labelCheck ?? "dropped"}");
            }
            if (Chance(0.35))
            {
                var item = Pick(ViewItems);
                view = view.Contains(item) ? view.Where(i => i != item).ToList() : ViewItems.Where(i => i == item || view.Contains(i)).ToList();
                log.Add($"view {ViewName}: {(view.Contains(item) ? "added" : "removed")} {item}");
            }
        }

        var schemas = a.Schemas.ToList();
        if (schemas.Count > 0 && Chance(0.2))
        {
            var dropped = Pick(schemas);
            schemas.Remove(dropped);
            log.Add($"schema \"{dropped}\" dropped with its table");
        }
        if (Chance(0.15) && QuotedSchemas.Except(schemas).ToList() is { Count: > 0 } missing)
        {
            var added = Pick(missing);
            schemas = QuotedSchemas.Where(s => s == added || schemas.Contains(s)).ToList();
            log.Add($"schema \"{added}\" added with a table");
        }
        var crossCaseKey = a.CrossCaseKey;
        if (Chance(0.2))
        {
            crossCaseKey = !crossCaseKey;
            log.Add($"key \"Foo\" → foo: {(crossCaseKey ? "added" : "dropped")}");
        }

        return new Plan(extensions, checks, codeType, labelType, first, second, codeCheck, labelCheck, view, schemas, crossCaseKey);
    }

    /// <summary>The generator's model with this class's objects added (their names are its own: nothing is declared twice).</summary>
    private static DatabaseModel Merge(DatabaseModel model, DatabaseModel added) => (model with
    {
        Schemas = model.Schemas.Concat(added.Schemas).Distinct(StringComparer.Ordinal).ToValueList(),
        Tables = model.Tables.Concat(added.Tables).ToValueList(),
        Views = model.Views.Concat(added.Views).ToValueList(),
        Extensions = model.Extensions.Concat(added.Extensions).ToValueList(),
    }).Normalize();
}

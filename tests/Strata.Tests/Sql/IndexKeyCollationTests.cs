using Strata.CodeGeneration;
using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Tests.CodeGeneration;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>
/// An index key's own COLLATE, the storage parameters of a key's index (PRIMARY KEY / UNIQUE … WITH), a collation moved to
/// another schema and a composite field's collation of another schema: DSL, validator, pull's C#, snapshot, differ and SQL
/// (the PostgreSQL round trips are the corpus pairs exactness-index-key-collation, index-key-collations-user-defined,
/// key-index-storage-parameters and collations-moved-and-in-composite-fields).
/// </summary>
public class IndexKeyCollationTests
{
    private static Action<SchemaBuilder> People(Func<IndexKey, IndexKey> name, bool withCollation = false) => db =>
    {
        var sorting = db.Schema("sorting");
        var bytes = withCollation ? sorting.Collation("byte_order", c => c.LcCollate("C").LcCtype("POSIX")) : default;
        db.Table("people", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("name", Types.Text);
            t.Index(name(IndexKey.Column("name"))).Named("people_name");
            t.Index(IndexKey.Expression("lower(name)").Collate("POSIX").Desc()).Named("people_lower").Include("id").Where("name IS NOT NULL");
            if (withCollation)
                t.Index(IndexKey.Column("name").Collate(bytes)).Named("people_bytes");
        });
        sorting.Table("marker", t => t.Column("id", Types.Integer));
    };

    [Fact]
    public void A_key_s_collation_is_written_after_the_key_and_before_its_operator_class_and_order()
    {
        var sql = Create(People(k => k.Collate("C").OperatorClass("text_pattern_ops").NullsFirst(), withCollation: true));

        Assert.Contains("""CREATE INDEX "people_name" ON "public"."people" USING btree ("name" COLLATE "C" "text_pattern_ops" NULLS FIRST);""", sql);
        Assert.Contains("""CREATE INDEX "people_lower" ON "public"."people" USING btree ((lower(name)) COLLATE "POSIX" DESC) INCLUDE ("id") WHERE name IS NOT NULL;""", sql);
        Assert.Contains("""CREATE INDEX "people_bytes" ON "public"."people" USING btree ("name" COLLATE "sorting"."byte_order");""", sql);
        // The collation the key uses first, the index after it.
        Assert.True(sql.IndexOf("CREATE COLLATION \"sorting\".\"byte_order\"", StringComparison.Ordinal) < sql.IndexOf("CREATE INDEX \"people_bytes\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Pull_writes_a_key_s_collation_back_and_the_snapshot_keeps_it_only_when_used()
    {
        var model = Build(People(k => k.Collate("C"), withCollation: true));
        var without = Build(db => db.Table("people", t => t.Column("name", Types.Text).Unique()));

        var code = string.Concat(CSharpSchemaWriter.Write(model, "Generated", "AppSchema").Select(f => f.Content));
        AssertSnapshotNamesOnlyWhenUsed(model, without, "collation");
        AssertSnapshotNamesOnlyWhenUsed(model, without, "collationSchema");

        Assert.Contains("t.Index(IndexKey.Column(\"name\").Collate(\"C\")).Named(\"people_name\");", code);
        Assert.Contains("IndexKey.Column(\"name\").Collate(\"sorting\", \"byte_order\")", code);
        Assert.Contains("IndexKey.Expression(\"lower(name)\").Desc().Collate(\"POSIX\")", code);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model])[0]);
    }

    [Fact]
    public void A_key_s_collation_changed_re_creates_its_index_and_one_unchanged_leaves_it()
    {
        var up = Up(People(k => k.Collate("C")), People(k => k.Collate("POSIX")));

        Assert.Equal("""
            DROP INDEX "public"."people_name";
            CREATE INDEX "people_name" ON "public"."people" USING btree ("name" COLLATE "POSIX");
            """, up);
        Assert.Equal("", Up(People(k => k.Collate("C")), People(k => k.Collate("C"))));
        Assert.Contains("DROP INDEX \"public\".\"people_name\"", Up(People(k => k.Collate("C")), People(k => k)));
    }

    [Fact]
    public void An_index_whose_key_collation_is_re_created_is_built_again_over_the_new_one_and_dropped_before_the_old_one()
    {
        Action<SchemaBuilder> Folded(string locale) => db =>
        {
            var fold = db.Collation("fold", c => c.Provider("icu").Locale(locale).Deterministic(false));
            db.Table("words", t =>
            {
                t.Column("word", Types.Text);
                t.Index(IndexKey.Column("word").Collate(fold)).Named("words_fold");
            });
        };

        var up = Up(Folded("und-u-ks-level2"), Folded("und-u-ks-level1"));

        var dropIndex = up.IndexOf("DROP INDEX \"public\".\"words_fold\"", StringComparison.Ordinal);
        var create = up.IndexOf("CREATE COLLATION \"public\".\"fold\"", StringComparison.Ordinal);
        var createIndex = up.IndexOf("CREATE INDEX \"words_fold\"", StringComparison.Ordinal);
        var dropOld = up.IndexOf("DROP COLLATION", StringComparison.Ordinal);
        Assert.True(dropIndex >= 0 && dropIndex < dropOld && create < createIndex, up);
    }

    [Fact]
    public void A_key_collation_of_a_managed_schema_must_be_declared()
    {
        var db = new SchemaBuilder();
        db.Schema("sorting").Table("t", t =>
        {
            t.Column("a", Types.Text);
            t.Index(IndexKey.Column("a").Collate("sorting", "missing")).Named("t_a");
            t.Exclude("btree", e => e.Key(IndexKey.Expression("lower(a)").Collate("sorting", "gone"), "=")).Named("t_one");
        });

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("index sorting.t_a: key a uses collation sorting.missing, which is not declared; declare it with db.Collation(\"sorting.missing\", c => …)"));
        Assert.Contains(errors, e => e.StartsWith("exclusion constraint sorting.t.t_one: key (lower(a)) uses collation sorting.gone, which is not declared"));
    }

    private static Action<SchemaBuilder> Accounts(string? keyFill, string? uniqueFill) => db =>
        db.Table("accounts", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("email", Types.Text);
            if (keyFill is not null)
                t.PrimaryKeyWith("fillfactor", keyFill);
            var unique = t.Unique("email").Deferrable();
            if (uniqueFill is not null)
                unique.With("fillfactor", uniqueFill).With("deduplicate_items", "off");
        });

    [Fact]
    public void A_key_s_storage_parameters_are_written_after_its_columns_and_before_deferrable()
    {
        var sql = Create(Accounts("70", "80"));

        Assert.Contains("""CONSTRAINT "accounts_pkey" PRIMARY KEY ("id") WITH ("fillfactor"='70'),""", sql);
        Assert.Contains("""CONSTRAINT "accounts_email_key" UNIQUE ("email") WITH ("deduplicate_items"='off', "fillfactor"='80') DEFERRABLE""", sql);
    }

    [Fact]
    public void A_key_s_storage_parameters_change_in_place_on_its_index_and_a_new_key_takes_them_along()
    {
        Assert.Equal("""
            ALTER INDEX "public"."accounts_pkey" SET ("fillfactor"='90');
            ALTER INDEX "public"."accounts_email_key" RESET ("deduplicate_items", "fillfactor");
            """, Up(Accounts("70", "80"), Accounts("90", null)));
        Assert.Equal("", Up(Accounts("70", "80"), Accounts("70", "80")));
        Assert.Contains("ADD CONSTRAINT \"t_pkey\" PRIMARY KEY (\"id\") WITH (\"fillfactor\"='50');", Up(
            db => db.Table("t", t => t.Column("id", Types.Integer)),
            db => db.Table("t", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.PrimaryKeyWith("fillfactor", "50");
            })));
    }

    [Fact]
    public void Pull_writes_a_key_s_storage_parameters_back_and_the_snapshot_keeps_them_only_when_set()
    {
        var model = Build(Accounts("70", "80"));

        var code = string.Concat(CSharpSchemaWriter.Write(model, "Generated", "AppSchema").Select(f => f.Content));
        AssertSnapshotNamesOnlyWhenUsed(model, Build(Accounts(null, null)), "options");

        Assert.Contains("t.PrimaryKeyWith(\"fillfactor\", \"70\");", code);
        Assert.Contains(".With(\"deduplicate_items\", \"off\").With(\"fillfactor\", \"80\")", code);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model])[0]);
    }

    [Fact]
    public void A_storage_parameter_for_a_table_without_a_primary_key_is_refused_with_the_remedy()
    {
        var db = new SchemaBuilder();
        db.Table("t", t =>
        {
            t.Column("id", Types.Integer);
            t.PrimaryKeyWith("fillfactor", "50");
        });

        var error = Assert.Single(Assert.Throws<SchemaValidationException>(() => db.Build()).Errors).ToString();

        Assert.StartsWith("public.t: PrimaryKeyComment(), PrimaryKeyWith() or DeferrablePrimaryKey() is called but the table declares no primary key", error);
    }

    private static Action<SchemaBuilder> Moved(string schema) => db =>
    {
        db.Schema("sorting");
        var lookup = db.Schema("lookup");
        var bytes = db.Schema(schema).Collation("byte_order", c => c.LcCollate("C").LcCtype("POSIX"));
        lookup.Composite("label", c => c.Field("value", Types.Text, bytes).Field("plain", Types.Text, collate: "C"));
        db.Table("items", t =>
        {
            t.Column("name", Types.Text).Collate(bytes);
            t.Index(IndexKey.Expression("lower(name)").Collate(bytes)).Named("items_lower");
        });
    };

    [Fact]
    public void A_collation_moved_to_another_schema_is_set_to_it_and_what_uses_it_is_left_as_it_is()
    {
        Assert.Equal("""ALTER COLLATION "sorting"."byte_order" SET SCHEMA "lookup";""", Up(Moved("sorting"), Moved("lookup")));
    }

    [Fact]
    public void A_composite_field_s_collation_of_another_schema_keeps_its_schema_in_sql_pull_and_snapshot()
    {
        var model = Build(Moved("sorting"));

        var code = string.Concat(CSharpSchemaWriter.Write(model, "Generated", "AppSchema").Select(f => f.Content));
        Assert.Contains("""CREATE TYPE "lookup"."label" AS ("value" text COLLATE "sorting"."byte_order", "plain" text COLLATE "C");""", Create(Moved("sorting")));
        Assert.Contains(".Field(\"value\", Types.Text, new QualifiedName(\"sorting\", \"byte_order\"))", code);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model])[0]);
        var snapshot = new Strata.Snapshots.Snapshot("0123456789abcdef0123456789abcdef", null, model, []);
        Assert.Equal(model, Strata.Snapshots.SnapshotSerializer.Deserialize(Strata.Snapshots.SnapshotSerializer.Serialize(snapshot), "snapshot.json").Schema);
    }

    [Fact]
    public void A_key_collate_that_is_its_column_s_own_is_no_key_collation_as_pull_reads_it()
    {
        var model = Build(db => db.Table("t", t =>
        {
            t.Column("a", Types.Text).Collate("C");
            t.Column("b", Types.Text);
            t.Index(IndexKey.Column("a").Collate("C"), IndexKey.Column("b").Collate("default")).Named("t_same");
            t.Index(IndexKey.Column("a").Collate("POSIX"), IndexKey.Column("b").Collate("C")).Named("t_own");
        }));

        var indexes = model.Tables[0].Indexes;
        Assert.All(indexes.Single(i => i.Name == "t_same").Elements, e => Assert.Null(e.Collation));
        Assert.Equal(["POSIX", "C"], indexes.Single(i => i.Name == "t_own").Elements.Select(e => e.Collation));
    }

    [Fact]
    public void Pull_tells_a_key_s_own_collation_from_pg_get_indexdef_walking_its_keys()
    {
        Assert.Equal<bool>([false, true, true], ModelReader.PrintedKeysWithCollate(
            ["lower(code)", "(name || note)", "lower(note)"],
            """CREATE INDEX people_mixed ON public.people USING btree (lower(code), (name || note) COLLATE "C", lower(note) COLLATE "POSIX" text_pattern_ops DESC)""",
            "btree")!);
        // A predicate naming COLLATE is not a key's.
        Assert.Equal<bool>([false], ModelReader.PrintedKeysWithCollate(
            ["lower(name)"],
            """CREATE INDEX i ON public.t USING btree (lower(name)) WHERE lower(name) COLLATE "C" > 'a'::text""",
            "btree")!);
        Assert.Null(ModelReader.PrintedKeysWithCollate(["upper(name)"], """CREATE INDEX i ON public.t USING btree (lower(name))""", "btree"));
    }

    [Fact]
    public void The_random_round_trips_generate_key_collations_and_key_index_storage_parameters_and_change_them()
    {
        var pairs = Enumerable.Range(1, 200).Select(seed => new Strata.IntegrationTests.Random.RandomSchemaGenerator(seed).NextPair()).ToList();

        IEnumerable<IndexElement> Keys(DatabaseModel model) => model.Tables.SelectMany(t => t.Indexes).SelectMany(i => i.Elements);
        Assert.Contains(pairs, p => Keys(p.A).Any(k => k.Collation is "C" or "POSIX"));
        Assert.Contains(pairs, p => Keys(p.A).Any(k => k.Collation is not null && p.A.FindCollation(CollationReference.KeyOf(k.CollationSchema, k.Collation)) is not null));
        Assert.Contains(pairs, p => p.A.Tables.Any(t => t.PrimaryKey?.Options.Count > 0));
        Assert.Contains(pairs, p => p.A.Tables.Any(t => t.Uniques.Any(u => u.Options.Count > 0)));
        Assert.Contains(pairs, p => p.Mutations.Any(m => m.StartsWith("key collations of index ", StringComparison.Ordinal)));
        Assert.Contains(pairs, p => p.Mutations.Any(m => m.StartsWith("storage parameters of key ", StringComparison.Ordinal)));
        // An index whose key collation is re-created, or dropped with it.
        Assert.Contains(pairs, p => Keys(p.A).Any(k => k.Collation is { } name && p.A.FindCollation(CollationReference.KeyOf(k.CollationSchema, name)) is { } old
            && p.B.FindCollation(old.QualifiedName) is { } now && !now.SameDefinition(old)));
    }
}

using Strata.CodeGeneration;
using Strata.Dsl;
using Strata.IntegrationTests.Random;
using Strata.Model;

namespace Strata.Tests.CodeGeneration;

public sealed class CSharpSchemaWriterTests
{
    /// <summary>Every kind the model has, with names that only work quoted and text that needs escaping.</summary>
    internal static DatabaseModel EveryKind()
    {
        var db = new SchemaBuilder();
        db.Enum("mood", ["sad", "ok", "it's", "x y", "Zed\"quoted\""], "How someone \"feels\"\nsecond line");
        db.Enum("empty_enum");
        db.Sequence("plain_seq");
        db.Sequence("order_numbers", new SequenceOptions(DataType: "integer", StartWith: 1000, IncrementBy: 5, MinValue: 10, MaxValue: 99999, Cache: 3, Cycle: true), "numbers for orders");
        db.Schema("archive");
        var billing = db.Schema("Billing Dept");
        billing.Enum("status", "open", "paid");
        billing.Sequence("inv", new SequenceOptions(StartWith: -5, IncrementBy: -1, MaxValue: -1, MinValue: long.MinValue));
        var email = db.Domain("email", Types.Varchar(320), d => d.NotNull().Default("nobody@example.com").Check("VALUE ~ '@'")
            .Check("length(VALUE) > 3", "email \"long\" enough").Collate("C").Comment("an address\nsecond line"));
        billing.Domain("states", Types.ArrayOf(Types.Enum("Billing Dept.status")), d => d.DefaultSql("'{open}'::\"Billing Dept\".status[]"));
        billing.Domain("small", Types.Domain("public.positive"));
        db.Domain("positive", Types.Integer, d => d.Check("VALUE > 0"));

        db.Table("users", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("email", Types.Varchar(320)).NotNull().Unique();
            t.Column("handle", Types.Text).Unique("users_handle_unique", nullsNotDistinct: true);
            t.Column("mood", Types.Enum("mood")).Default("ok");
            t.Column("age", Types.SmallInt).Check("age >= 0");
            t.Column("score", Types.Numeric(12, 2)).Default(0).Check("score < 1000", name: "score_limit");
            t.Column("ratio", Types.Numeric(5));
            t.Column("n", Types.Numeric());
            t.Column("big_default", Types.BigInt).Default(9_000_000_000L);
            t.Column("negative", Types.Integer).DefaultSql("'-1'::integer");
            t.Column("active", Types.Boolean).NotNull().Default(true);
            t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()");
            t.Column("at3", Types.TimestampTz(3));
            t.Column("local", Types.Timestamp()).Default(new DateTime(2024, 1, 2, 3, 4, 5));
            t.Column("t", Types.Time(2));
            t.Column("ttz", Types.TimeTz());
            t.Column("span", Types.Interval(6));
            t.Column("d", Types.Date);
            t.Column("c", Types.Char(3));
            t.Column("c1", Types.Char());
            t.Column("v", Types.Varchar());
            t.Column("note", Types.Text).Default("it's \"quoted\" \\ back");
            t.Column("multi", Types.Text).Default("line one\nline two");
            t.Column("tags", Types.ArrayOf(Types.Text)).NotNull().DefaultSql("'{}'::text[]");
            t.Column("grid", Types.ArrayOf(Types.Integer, 2));
            t.Column("moods", Types.ArrayOf(Types.Enum("mood")));
            t.Column("doc", Types.Jsonb).DefaultSql("'{}'::jsonb");
            t.Column("j", Types.Json);
            t.Column("raw", Types.Bytea);
            t.Column("ip", Types.Inet);
            t.Column("net", Types.Cidr);
            t.Column("mac", Types.MacAddr);
            t.Column("uid", Types.Uuid).DefaultSql("gen_random_uuid()");
            t.Column("real", Types.Real);
            t.Column("dbl", Types.DoublePrecision);
            t.Column("search", Types.Raw("tsvector"));
            t.Column("point", Types.Raw("geometry(Point,4326)"));
            t.Column("email_lower", Types.Text).GeneratedAs("lower((email)::text)").Comment("generated from \"email\"");
            t.Column("class", Types.Integer).Comment("a C# keyword as a column");
            t.Check("users_email_check2", "(email)::text <> ''::text");
            t.Check("multi_line", "age > 0\nOR age IS NULL");
            t.Index("email", "handle");
            t.Index(IndexKey.Expression("lower((email)::text)")).Named("users_email_lower").Unique();
            t.Index(IndexKey.Column("created_at").Desc().NullsLast(), "id").Include("mood").Where("active");
            t.Index(IndexKey.Column("email").OperatorClass("text_pattern_ops").NullsFirst());
            t.Index("tags").Using("gin");
            t.Index("handle").Unique().NullsNotDistinct().Named("users_handle_nnd");
            t.Index("age").Concurrently();
            t.Comment("People who sign in.\nTwo lines, 'quotes' and \"double quotes\".");
        });
        db.Table("Order Items", t =>
        {
            t.Column("order id", Types.Integer).NotNull();
            t.Column("line", Types.SmallInt).NotNull();
            t.Column("user_id", Types.BigInt).References("users", "id", onDelete: ReferentialAction.Cascade, onUpdate: ReferentialAction.SetNull);
            t.Column("other_user", Types.BigInt).References("users", "id", name: "order_items_other_fk");
            t.Column("serial_no", Types.Serial);
            t.Column("big_serial", Types.BigSerial);
            t.Column("small_serial", Types.SmallSerial);
            t.Column("id2", Types.Integer).Identity(IdentityGeneration.ByDefault, new SequenceOptions(StartWith: 100, IncrementBy: 10, Cache: 5, Cycle: true));
            t.Column("id3", Types.SmallInt).Identity(IdentityGeneration.ByDefault);
            t.PrimaryKey("order id", "line");
            t.Unique("user_id", "line");
            t.Unique("other_user", "line").Named("my_unique").NullsNotDistinct();
            t.ForeignKey("user_id").References("users", "id").Deferrable(initiallyDeferred: true).Named("deferred_fk");
            t.ForeignKey("other_user").References("users", "id").Deferrable().OnDelete(ReferentialAction.Restrict);
        });
        db.Table("class", t =>
        {
            t.Column("we\"ird", Types.Text);
            t.Column("a.b", Types.Integer);
            t.Column("contact", email).Default("x@y.z");
            t.Column("old contacts", Types.ArrayOf(email));
            t.Column("states", Types.Domain("Billing Dept.states"));
            t.PrimaryKeyNamed("class_primary", "a.b");
        });
        db.Table("dots.in.name", t => t.Column("x", Types.Integer).PrimaryKey());
        billing.Table("Invoices", t =>
        {
            t.Column("id", Types.Uuid).PrimaryKey();
            t.Column("status", Types.Enum("Billing Dept.status")).NotNull().Default("open");
            t.Column("user_id", Types.BigInt).NotNull().References("public.users", "id", onDelete: ReferentialAction.SetDefault);
            t.Column("line_order", Types.Integer);
            t.Column("line", Types.SmallInt);
            t.Column("dotted", Types.Integer);
            t.ForeignKey("line_order", "line").References("public.Order Items", "order id", "line").OnDelete(ReferentialAction.Cascade);
            t.ForeignKey("dotted").References(new QualifiedName("public", "dots.in.name"), "x");
        });
        db.View("active_users", "SELECT id, email FROM users WHERE active").Comment("only the active ones");
        db.View("multi_line_view", """"
            SELECT u.id,
                u."class" AS "Weird ""Name"""
               FROM users u
            """").DependsOn("Billing Dept.Invoices");
        db.MaterializedView("user_counts", "SELECT count(*) AS n FROM active_users", v =>
        {
            v.Index("n").Unique();
            v.Index(IndexKey.Expression("n * 2").Desc(), IndexKey.Column("n").NullsFirst()).Named("user counts \"doubled\"").Where("n > 0");
        }).DependsOn(new QualifiedName("public", "dots.in.name")).Comment("counts");
        billing.View("open_invoices", "SELECT * FROM \"Billing Dept\".\"Invoices\" WHERE status = 'open'");

        // A view whose text names a table it does not read (here as a column alias): the DSL's search of
        // the text would add it, so the writer must say the dependencies exactly.
        db.View("aliases", "SELECT 1 AS users");
        var withAlias = db.Build();
        return withAlias with
        {
            Views = withAlias.Views.Select(v => v.Name == "aliases" ? v with { DependsOn = ValueList<QualifiedName>.Empty } : v).ToValueList(),
            Tables = withAlias.Tables.Append(new Table("public", "bare", ValueList.Create(new Column("c", new ColumnType(TypeKind.Char))))).ToValueList(),
        };
    }

    [Fact]
    public void A_schema_with_every_kind_builds_back_equal()
    {
        var model = EveryKind().Normalize();
        Assert.Contains(model.Views, v => v.Name == "aliases" && v.DependsOn.Count == 0);

        var built = GeneratedSchemas.RoundTrip([model]).Single();

        Assert.Equal(model, built);
    }

    [Fact]
    public void User_types_whose_names_hold_a_dot_are_named_by_their_kind_and_build_back_equal()
    {
        // Types.Enum("a.b") would read the dot as the schema's end: the writer names such a type through its kind.
        var db = new SchemaBuilder();
        var dotted = db.Schema("x.y");
        dotted.Enum("mood.v2", "ok", "sad");
        dotted.Domain("e.mail", Types.Text, d => d.Check("VALUE ~ '@'"));
        db.Domain("moods.list", Types.ArrayOf(ColumnType.UserType(TypeKind.Enum, new QualifiedName("x.y", "mood.v2"))));
        db.Table("people", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("mood", ColumnType.UserType(TypeKind.Enum, new QualifiedName("x.y", "mood.v2")));
            t.Column("mail", ColumnType.UserType(TypeKind.Domain, new QualifiedName("x.y", "e.mail")));
            t.Column("mails", Types.ArrayOf(ColumnType.UserType(TypeKind.Domain, new QualifiedName("x.y", "e.mail")), 2));
            t.Column("moods", ColumnType.UserType(TypeKind.Domain, new QualifiedName("public", "moods.list")));
        });
        var model = db.Build().Normalize();

        var code = string.Concat(CSharpSchemaWriter.Write(model, "App", "AppSchema").Select(f => f.Content));

        Assert.Contains("ColumnType.UserType(TypeKind.Domain, new QualifiedName(\"x.y\", \"e.mail\"))", code);
        Assert.Contains("ColumnType.UserType(TypeKind.Enum, new QualifiedName(\"x.y\", \"mood.v2\"))", code);
        Assert.DoesNotContain("new ColumnType(", code);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model]).Single());
    }

    [Fact]
    public void A_domain_is_written_with_the_enums_and_its_columns_name_it()
    {
        var db = new SchemaBuilder();
        var positive = db.Domain("positive", Types.Integer, d => d.NotNull().Default(1).Check("VALUE > 0").Check("VALUE < 100", "small").Comment("a count"));
        db.Domain("plain", Types.Text);
        db.Table("t", t => t.Column("n", positive));

        var file = CSharpSchemaWriter.Write(db.Build(), "App.Schema", "AppSchema")[1].Content;

        Assert.Contains("""
                    db.Domain("plain", Types.Text);
                    db.Domain("positive", Types.Integer, d => d.NotNull().Default(1).Check("VALUE > 0").Check("VALUE < 100", "small").Comment("a count"));
            """, file);
        Assert.Contains("t.Column(\"n\", Types.Domain(\"positive\"));", file);
    }

    [Fact]
    public void A_large_schema_is_split_into_files_of_table_groups_that_build_back_equal()
    {
        var db = new SchemaBuilder();
        for (var i = 0; i < 7; i++)
            db.Table($"t{i:00}", t => t.Column("id", Types.Integer).PrimaryKey());
        db.Enum("e", "a");
        var sales = db.Schema("sales");
        for (var i = 0; i < 3; i++)
            sales.Table($"s{i}", t => t.Column("id", Types.Integer).PrimaryKey());
        var model = db.Build();

        var files = CSharpSchemaWriter.Write(model, "App.Schema", "AppSchema", tablesPerFile: 3);

        Assert.Equal(["AppSchema.cs", "AppSchema.Public.1.cs", "AppSchema.Public.2.cs", "AppSchema.Public.3.cs", "AppSchema.Sales.cs"], files.Select(f => f.FileName));
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model], tablesPerFile: 3).Single());
    }

    [Fact]
    public void Schemas_whose_names_differ_only_by_case_or_punctuation_get_distinct_files_and_methods_that_build_back_equal()
    {
        var db = new SchemaBuilder();
        foreach (var schema in new[] { "Foo", "foo", "FOO", "a.b", "a_b", "X1" })
            db.Schema(schema).Table("t", t => t.Column("id", Types.Integer).PrimaryKey());
        var x = db.Schema("x");
        for (var i = 0; i < 4; i++)
            x.Table($"t{i}", t => t.Column("id", Types.Integer).PrimaryKey());
        var model = db.Build();

        var files = CSharpSchemaWriter.Write(model, "App.Schema", "AppSchema", tablesPerFile: 3);

        // Numbered in schema name order (ordinal), so the same database is written with the same names again.
        Assert.Equal(["AppSchema.AB.cs", "AppSchema.AB2.cs", "AppSchema.FOO.cs", "AppSchema.Foo2.cs", "AppSchema.Foo3.cs", "AppSchema.X.1.cs", "AppSchema.X.2.cs", "AppSchema.X1.cs", "AppSchema.cs"],
            files.Select(f => f.FileName).Order(StringComparer.Ordinal));
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model], tablesPerFile: 3).Single());
    }

    [Fact]
    public void The_written_code_reads_like_hand_written_DSL()
    {
        var db = new SchemaBuilder();
        db.Enum("mood", "sad", "happy");
        db.Table("users", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("email", Types.Varchar(320)).NotNull().Unique();
            t.Column("mood", Types.Enum("mood")).Default("happy");
        });
        db.Table("posts", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("author_id", Types.BigInt).NotNull().References("users", "id", onDelete: ReferentialAction.Cascade);
            t.Column("title", Types.Text).NotNull().Check("length(title) > 0");
            t.Index("author_id");
        });

        var files = CSharpSchemaWriter.Write(db.Build(), "Blog.Schema", "BlogSchema");

        Assert.Equal(["BlogSchema.cs", "BlogSchema.Public.cs"], files.Select(f => f.FileName));
        Assert.Contains("        DefinePublic(db);\n", files[0].Content, StringComparison.Ordinal);
        Assert.Equal("""
            using Strata.Dsl;
            using Strata.Model;

            namespace Blog.Schema;

            public sealed partial class BlogSchema
            {
                /// <summary>Schema public: 2 tables.</summary>
                private static void DefinePublic(SchemaScope db)
                {
                    db.Enum("mood", "sad", "happy");

                    db.Table("posts", t =>
                    {
                        t.Column("id", Types.BigInt).Identity().PrimaryKey();
                        t.Column("author_id", Types.BigInt).NotNull().References("users", "id", onDelete: ReferentialAction.Cascade);
                        t.Column("title", Types.Text).NotNull().Check("length(title) > 0");
                        t.Index("author_id");
                    });

                    db.Table("users", t =>
                    {
                        t.Column("id", Types.BigInt).Identity().PrimaryKey();
                        t.Column("email", Types.Varchar(320)).NotNull().Unique();
                        t.Column("mood", Types.Enum("mood")).Default("happy");
                    });
                }
            }

            """, files[1].Content);
    }

    [Fact]
    public void A_materialized_views_indexes_are_written_in_its_lambda_as_a_tables_are()
    {
        var db = new SchemaBuilder();
        db.Table("orders", t => t.Column("customer", Types.Text));
        db.MaterializedView("customers", "SELECT DISTINCT customer FROM orders", v =>
        {
            v.Index("customer").Unique();
            v.Index(IndexKey.Expression("lower(customer)")).Named("customers_lower").Where("customer <> ''");
        }).Comment("one row per customer");
        var model = db.Build();

        var files = CSharpSchemaWriter.Write(model, "Shop.Schema", "ShopSchema");

        Assert.Contains("""
                    db.MaterializedView("customers", "SELECT DISTINCT customer FROM orders", v =>
                    {
                        v.Index("customer").Unique();
                        v.Index(IndexKey.Expression("lower(customer)")).Named("customers_lower").Where("customer <> ''");
                    })
                        .Comment("one row per customer");
                }
            """, files[1].Content, StringComparison.Ordinal);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model]).Single());
    }

    [Fact]
    public void Names_that_are_CSharp_keywords_or_not_identifiers_become_valid_method_names()
    {
        var db = new SchemaBuilder();
        db.Schema("class").Table("t", t => t.Column("id", Types.Integer));
        db.Schema("2024 data").Table("t", t => t.Column("id", Types.Integer));
        db.Schema("Class").Table("t", t => t.Column("id", Types.Integer));
        db.Schema("€").Table("t", t => t.Column("id", Types.Integer));
        var model = db.Build();

        var files = CSharpSchemaWriter.Write(model, "My.Namespace", "class");

        Assert.Contains("public sealed partial class @class : ISchemaDefinition", files[0].Content, StringComparison.Ordinal);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model]).Single());
    }

    public static TheoryData<int> RandomBatches() => [0, 1, 2, 3];

    [Theory]
    [MemberData(nameof(RandomBatches))]
    public void Random_schemas_build_back_equal(int batch)
    {
        const int perBatch = 50;
        var models = new List<(int Seed, DatabaseModel Model)>();
        for (var seed = batch * perBatch + 1; seed <= (batch + 1) * perBatch; seed++)
        {
            var pair = new RandomSchemaGenerator(seed).NextPair();
            models.Add((seed, pair.A));
            models.Add((seed, pair.B));
        }

        var built = GeneratedSchemas.RoundTrip(models.Select(m => m.Model).ToList());

        for (var i = 0; i < models.Count; i++)
            Assert.True(models[i].Model == built[i], $"seed {models[i].Seed}: the written C# builds a different model");
    }
}

public sealed class CSharpLiteralsTests
{
    private static readonly string[] Texts =
    [
        "", "plain", "it's", "say \"hi\"", "\"starts and ends with quotes\"", "a \"\"\" run of three", "back\\slash", "tab\there",
        "line one\nline two", "  indented\n    more\n", "\nleading newline", "trailing newline\n", "blank\n   \nline of spaces",
        "windows\r\nline", "bell\u0007", "nul\0", "emoji 😀", "lone \ud800 surrogate", "line\u2028separator", "SELECT \"A\"\nFROM \"B\"\"C\"",
    ];

    [Fact]
    public void Every_string_literal_the_writer_uses_compiles_back_to_the_same_text()
    {
        var fields = Texts.Select((text, i) => $"    public static readonly string F{i} = {CSharpLiterals.String(text, "    ")};\n");
        var source = "namespace Literals;\npublic static class Holder\n{\n" + string.Concat(fields) + "}\n";

        var holder = GeneratedSchemas.Compile([("Holder.cs", source)]).GetType("Literals.Holder", throwOnError: true)!;

        for (var i = 0; i < Texts.Length; i++)
            Assert.Equal(Texts[i], (string)holder.GetField($"F{i}")!.GetValue(null)!);
        Assert.Equal("\"say \\\"hi\\\"\"", CSharpLiterals.Escaped("say \"hi\""));
        Assert.Equal("\"\"\"say \"hi\" \"\"\"", CSharpLiterals.String("say \"hi\" "));
    }

    [Theory]
    [InlineData("class", "@class")]
    [InlineData("Class", "Class")]
    [InlineData("string", "@string")]
    public void Keywords_get_an_at_sign(string name, string expected) => Assert.Equal(expected, CSharpLiterals.Identifier(name));
}

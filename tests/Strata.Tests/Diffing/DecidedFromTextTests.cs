using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Diffing;

/// <summary>
/// A decision that needs what an expression reads, taken from its text because its model does not know the reads
/// (a model built from the DSL), is listed in <see cref="SchemaDiff.DecidedFromText"/>: generate asks PostgreSQL for
/// them only then.
/// </summary>
public class DecidedFromTextTests
{
    private static readonly QualifiedName Items = new("public", "items");

    private static SchemaDiff Diff(DatabaseModel from, DatabaseModel to) => SchemaDiffer.Diff(from, to, RenameDecisions.None);

    /// <summary>Every expression of the model with reads PostgreSQL could have recorded (here: nothing it names).</summary>
    private static DatabaseModel WithKnownReads(DatabaseModel model) => model with
    {
        Tables = model.Tables.Select(t => t with
        {
            Columns = t.Columns.Select(c => c with { Reads = ExpressionReads.Nothing }).ToValueList(),
            Checks = t.Checks.Select(c => c with { Reads = ExpressionReads.Nothing }).ToValueList(),
            Indexes = t.Indexes.Select(i => i with { Reads = ExpressionReads.Nothing }).ToValueList(),
        }).ToValueList(),
        Views = model.Views.Select(v => v with { Reads = new([ReadObject.OfColumn(Items, "price")]) }).ToValueList(),
    };

    private static DatabaseModel Moods(params string[] values) => Build(db =>
    {
        var mood = db.Enum("mood", values);
        db.Table("items", t =>
        {
            t.Column("feeling", mood);
            t.Column("note", Types.Text);
            t.Check("note_not_sad", "note <> 'sad'");
        });
    });

    [Fact]
    public void An_enum_that_gains_a_value_lists_the_expressions_whose_text_decided_whether_they_use_it()
    {
        var diff = Diff(Moods("ok"), Moods("ok", "sad"));

        // The text found 'sad' and took it for the new value, so the type is re-created; then the check is asked
        // (from its text again, on both sides) whether it reads the column the re-creation converts.
        Assert.Equal([new(ModelSide.Old, "check public.items.note_not_sad"), new(ModelSide.New, "check public.items.note_not_sad")], diff.DecidedFromText);
        Assert.Contains(diff.Changes, c => c is RecreateEnum);
    }

    // Only an expression with a literal of a new value, a cast of something else to the type or an enum function
    // (enum_last(NULL::mood)) may use a new value; generate asks no server about the others.
    [Fact]
    public void An_enum_that_gains_a_value_lists_only_the_expressions_that_may_use_a_new_value()
    {
        DatabaseModel Items(string? check, params string[] values) => Build(db =>
        {
            var mood = db.Enum("mood", values);
            db.Table("items", t =>
            {
                t.Column("feeling", mood).Default("ok");
                t.Column("qty", Types.Integer).Default("0");
                t.Check("qty_positive", "qty >= 0");
                if (check is not null)
                    t.Check("latest", check);
            });
        });

        var unrelated = Diff(Items(null, "ok"), Items("qty < 100", "ok", "sad"));
        Assert.Empty(unrelated.DecidedFromText);
        Assert.Contains(unrelated.Changes, c => c is AddEnumValue);

        var naming = Diff(Items(null, "ok"), Items("feeling <> enum_last(NULL::mood)", "ok", "sad"));
        Assert.Contains(new TextDecision(ModelSide.New, "check public.items.latest"), naming.DecidedFromText);
        Assert.Contains(naming.Changes, c => c is RecreateEnum);
    }

    [Theory]
    [InlineData("note <> 'sad'", true)]
    [InlineData("feeling = ANY ('{ok,sad}'::mood[])", true)]
    [InlineData("feeling <> 'ok'", false)]
    [InlineData("feeling <> 'ok'::mood", false)]
    [InlineData("feeling <> enum_last(feeling)", true)]
    [InlineData("feeling <> NULL::mood", true)]
    [InlineData("feeling <> (note)::public.mood", true)]
    [InlineData("feeling <> note::\"mood\"", true)]
    [InlineData("feeling <> CAST(note AS mood)", true)]
    [InlineData("feeling <> note::known_mood", true)]
    [InlineData("moody::text <> note", false)]
    [InlineData("feeling::text <> note::moods", false)]
    public void Whether_an_expression_may_use_a_new_enum_value_is_read_from_its_literals_casts_and_enum_functions(string expression, bool may) =>
        Assert.Equal(may, DiffRun.MayUseNewValues(expression, ["sad"], ["mood", "known_mood"]));

    [Fact]
    public void The_same_models_with_recorded_reads_decide_without_the_text()
    {
        var diff = Diff(WithKnownReads(Moods("ok")), WithKnownReads(Moods("ok", "sad")));

        Assert.Empty(diff.DecidedFromText);
        Assert.Contains(diff.Changes, c => c is AddEnumValue);
        Assert.DoesNotContain(diff.Changes, c => c is RecreateEnum);
    }

    [Fact]
    public void A_fresh_model_with_no_old_side_decides_nothing_from_text()
    {
        var model = Build(db =>
        {
            var mood = db.Enum("mood", ["ok", "sad"]);
            db.Table("items", t =>
            {
                t.Column("feeling", mood).Default("sad");
                t.Column("price", Types.Integer);
                t.Column("doubled", Types.Integer).GeneratedAs("price * 2");
                t.Check("positive", "price > 0");
                t.Index(IndexKey.Expression("price + 1"));
            });
            db.View("all_items", "SELECT * FROM items");
        });

        Assert.Empty(Diff(DatabaseModel.Empty, model).DecidedFromText);
        Assert.Empty(Diff(model, model).DecidedFromText);
    }

    [Fact]
    public void A_retyped_column_lists_the_generated_columns_and_checks_of_its_table_on_both_sides()
    {
        DatabaseModel Schema(ColumnType priceType) => Build(db => db.Table("items", t =>
        {
            t.Column("price", priceType);
            t.Column("doubled", Types.BigInt).GeneratedAs("price * 2");
            t.Check("positive", "price > 0");
        }));

        var diff = Diff(Schema(Types.Integer), Schema(Types.BigInt));

        // The generated column's text names price, so it is rebuilt; then the check is asked whether it reads the rebuilt column.
        Assert.Equal(
            [
                new(ModelSide.Old, "check public.items.positive"), new(ModelSide.Old, "generated public.items.doubled"),
                new(ModelSide.New, "check public.items.positive"), new(ModelSide.New, "generated public.items.doubled"),
            ],
            diff.DecidedFromText);
        Assert.Empty(Diff(WithKnownReads(Schema(Types.Integer)), WithKnownReads(Schema(Types.BigInt))).DecidedFromText);
    }

    [Fact]
    public void A_view_with_a_star_over_a_table_that_gains_a_column_is_listed_on_both_sides()
    {
        DatabaseModel Schema(bool withNote) => Build(db =>
        {
            db.Table("items", t =>
            {
                t.Column("price", Types.Integer);
                if (withNote)
                    t.Column("note", Types.Text);
            });
            db.View("priced", "SELECT * FROM items");
            db.View("counted", "SELECT price FROM items");
        });

        var diff = Diff(Schema(false), Schema(true));

        Assert.Equal([new(ModelSide.Old, "view public.priced"), new(ModelSide.New, "view public.priced")], diff.DecidedFromText);
        Assert.Contains(diff.Changes, c => c is DropView { View.Name: "priced" });
    }

    // Read from the lexer's tokens: a name or cast in a comment or string is none, a dollar-quoted or escaped string
    // is read as its value, and a quoted name is a name.
    [Theory]
    [InlineData("note <> '-- ::mood'", false)]
    [InlineData("feeling <> note /* ::mood */", false)]
    [InlineData("feeling <> note -- enum_last(feeling)", false)]
    [InlineData("feeling <> $$ok$$::mood", false)]
    [InlineData("feeling <> $$sad$$", true)]
    [InlineData("feeling <> $x$sad$x$", true)]
    [InlineData("note <> U&'\\0073ad'", true)]
    [InlineData("note <> E'\\x73ad'", true)]
    [InlineData("note <> E'\\'sad'", false)]
    [InlineData("feeling <> \"enum_last\"(feeling)", true)]
    [InlineData("feeling <> 'ok' /* a literal */ ::mood", false)]
    [InlineData("feeling <> note::\"Mood\"", true)]
    [InlineData("feeling <> note::\"public\".\"mood\"", true)]
    public void Whether_an_expression_may_use_a_new_enum_value_is_read_from_its_lexemes_not_its_characters(string expression, bool may) =>
        Assert.Equal(may, DiffRun.MayUseNewValues(expression, ["sad"], ["mood", "known_mood"]));

    [Theory]
    [InlineData("price > 0", "price", true)]
    [InlineData("PRICE > 0", "price", true)]
    [InlineData("\"Price\" > 0", "Price", true)]
    [InlineData("t.price > 0", "price", true)]
    [InlineData("unit_price > 0", "price", false)]
    [InlineData("price$2 > 0", "price", false)]
    [InlineData("note <> 'price'", "price", true)]
    [InlineData("note <> $$price$$", "price", true)]
    [InlineData("note <> 'unit_price'", "price", false)]
    [InlineData("note <> 'x' -- price", "price", false)]
    [InlineData("note <> 'x' /* price */", "price", false)]
    [InlineData("\"unit price\" > 0", "price", false)]
    [InlineData("\"unit price\" > 0", "unit price", true)]
    public void Whether_an_expression_names_a_column_is_read_from_its_names_and_string_constants_not_its_comments(string expression, string column, bool names) =>
        Assert.Equal(names, DiffRun.MentionsColumn(expression, column));

    [Theory]
    [InlineData("('ok'::mood)::text", true)]
    [InlineData("note::\"Mood\"", true)]
    [InlineData("note::public.mood[]", true)]
    [InlineData("pg_typeof(note) = 'public.mood'::regtype", true)]
    [InlineData("pg_typeof(note) = '\"mood\"'::regtype", true)]
    [InlineData("note::text /* was ::mood */", false)]
    [InlineData("note::moods", false)]
    [InlineData("note = 'moody'", false)]
    public void Whether_a_text_names_a_type_is_read_from_its_names_and_string_constants_not_its_comments(string expression, bool names) =>
        Assert.Equal(names, DiffRun.MentionsColumn(expression, "mood"));

    [Theory]
    [InlineData("SELECT * FROM items", true)]
    [InlineData("SELECT count(*) AS n FROM items", true)]
    [InlineData("SELECT i.* FROM items i", true)]
    [InlineData("SELECT price * 2 AS p FROM items", true)]
    [InlineData("SELECT price /* all */ FROM items", false)]
    [InlineData("SELECT '*' AS star FROM items", false)]
    public void A_star_in_a_views_query_is_one_outside_its_strings_and_comments(string query, bool star) =>
        Assert.Equal(star, DiffRun.HasStar(query));

    private static DatabaseModel MoodDomain(string labelDefault, params string[] moods) => Build(db =>
    {
        var mood = db.Enum("mood", moods);
        db.Domain("label", Types.Text, d => d.DefaultSql(labelDefault));
        db.Table("items", t => t.Column("feeling", mood));
    });

    private static DatabaseModel WithDomainReads(DatabaseModel model, ExpressionReads reads) => model with
    {
        Domains = model.Domains.Select(d => d with { DefaultReads = reads }).ToValueList(),
    };

    [Fact]
    public void A_domain_default_whose_reads_are_known_decides_from_them_and_one_whose_reads_are_not_from_its_text()
    {
        var mood = new ReadObject(ReadKind.Type, new QualifiedName("public", "mood"));

        // 'sad' is a new value of mood: the text cannot tell a text literal from a constant of the enum.
        var fromText = Diff(MoodDomain("'ok'", "ok"), MoodDomain("'sad'", "ok", "sad"));
        Assert.Contains(new TextDecision(ModelSide.New, "default of domain public.label"), fromText.DecidedFromText);
        Assert.Contains(fromText.Changes, c => c is RecreateEnum);

        var readsNothing = Diff(WithDomainReads(MoodDomain("'ok'", "ok"), ExpressionReads.Nothing), WithDomainReads(MoodDomain("'sad'", "ok", "sad"), ExpressionReads.Nothing));
        Assert.Empty(readsNothing.DecidedFromText);
        Assert.Contains(readsNothing.Changes, c => c is AddEnumValue);
        Assert.DoesNotContain(readsNothing.Changes, c => c is RecreateEnum);

        var readsMood = Diff(WithDomainReads(MoodDomain("'ok'", "ok"), new([mood])), WithDomainReads(MoodDomain("'sad'::mood::text", "ok", "sad"), new([mood])));
        Assert.Empty(readsMood.DecidedFromText);
        Assert.Contains(readsMood.Changes, c => c is RecreateEnum);
    }

    [Fact]
    public void A_domain_default_that_names_a_re_created_enum_is_set_again_from_its_reads_or_listed_when_its_text_decides()
    {
        var mood = new ReadObject(ReadKind.Type, new QualifiedName("public", "mood"));
        var old = MoodDomain("('ok'::mood)::text", "ok", "sad", "meh");
        var without = MoodDomain("('ok'::mood)::text", "ok", "sad");

        var fromText = Diff(old, without);
        Assert.Contains(new TextDecision(ModelSide.New, "default of domain public.label"), fromText.DecidedFromText);
        Assert.Contains(fromText.Changes, c => c is AlterDomain { Changes: DomainChanges.Default });

        var fromReads = Diff(WithDomainReads(old, new([mood])), WithDomainReads(without, new([mood])));
        Assert.Empty(fromReads.DecidedFromText);
        Assert.Contains(fromReads.Changes, c => c is AlterDomain { Changes: DomainChanges.Default });

        // Reads that name no enum: nothing to set again.
        var readsNothing = Diff(WithDomainReads(old, ExpressionReads.Nothing), WithDomainReads(without, ExpressionReads.Nothing));
        Assert.Empty(readsNothing.DecidedFromText);
        Assert.DoesNotContain(readsNothing.Changes, c => c is AlterDomain);
    }

    [Fact]
    public void A_renamed_domains_unchanged_default_that_reads_an_enum_gaining_a_value_adds_the_value_in_place()
    {
        var mood = new ReadObject(ReadKind.Type, new QualifiedName("public", "mood"));
        DatabaseModel Schema(string domain, params string[] moods) => WithDomainReads(Build(db =>
        {
            var type = db.Enum("mood", moods);
            db.Domain(domain, Types.Text, d => d.DefaultSql("enum_last(NULL::mood)::text"));
            db.Table("items", t => t.Column("feeling", type));
        }), new([mood]));
        var renamed = new RenameDecisions([new Rename(ObjectKind.Domain, "public.label", "public.tag")], []);

        // The same default read the same type before the rename: it cannot use a value the type did not have.
        var diff = SchemaDiffer.Diff(Schema("label", "ok"), Schema("tag", "ok", "sad"), renamed);

        Assert.Empty(diff.DecidedFromText);
        Assert.Contains(diff.Changes, c => c is RenameDomain);
        Assert.Contains(diff.Changes, c => c is AddEnumValue);
        Assert.DoesNotContain(diff.Changes, c => c is RecreateEnum);
    }
}

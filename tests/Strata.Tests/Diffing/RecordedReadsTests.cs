using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Diffing;

/// <summary>
/// Where a model knows what its expressions read (it was read from PostgreSQL: pg_depend), the differ decides from
/// that and never from the SQL text. The expressions here are written so that their text says the opposite of
/// their recorded reads: a decision taken from the text would give the other answer.
/// </summary>
public class RecordedReadsTests
{
    private static readonly QualifiedName Items = new("public", "items");

    private static ExpressionReads ReadsColumns(params string[] columns) => new(columns.Select(c => ReadObject.OfColumn(Items, c)));

    private static ExpressionReads ReadsType(string type) => new([new ReadObject(ReadKind.Type, new QualifiedName("public", type))]);

    private static DatabaseModel WithTable(DatabaseModel model, Func<Table, Table> change) =>
        model with { Tables = model.Tables.Select(t => t.QualifiedName == Items ? change(t) : t).ToValueList() };

    private static Table WithCheckReads(Table table, ExpressionReads reads) =>
        table with { Checks = table.Checks.Select(c => c with { Reads = reads }).ToValueList() };

    private static Table WithColumnReads(Table table, string column, ExpressionReads reads) =>
        table with { Columns = table.Columns.Select(c => c.Name == column ? c with { Reads = reads } : c).ToValueList() };

    private static Table WithIndexReads(Table table, ExpressionReads reads) =>
        table with { Indexes = table.Indexes.Select(i => i with { Reads = reads }).ToValueList() };

    private static IReadOnlyList<SchemaChange> Diff(DatabaseModel from, DatabaseModel to) => SchemaDiffer.Diff(from, to, RenameDecisions.None).Changes;

    [Fact]
    public void A_check_that_reads_a_rebuilt_generated_column_is_rebuilt_with_it_whatever_its_text_says()
    {
        DatabaseModel Schema(string generated) => Build(db => db.Table("items", t =>
        {
            t.Column("price", Types.Integer);
            t.Column("doubled", Types.Integer).GeneratedAs(generated);
            t.Check("positive", "price_alias > 0");
        }));
        var from = WithTable(Schema("price * 2"), t => WithCheckReads(t, ReadsColumns("doubled")));
        var to = WithTable(Schema("price + price"), t => WithCheckReads(t, ReadsColumns("doubled")));

        var changes = Diff(from, to);

        Assert.Contains(changes, c => c is DropCheck { Check.Name: "positive" });
        Assert.Contains(changes, c => c is AddCheck { Check.Name: "positive" });
        // Unknown reads fall back to the text, which does not name the column.
        Assert.DoesNotContain(Diff(Schema("price * 2"), Schema("price + price")), c => c is DropCheck);
    }

    [Fact]
    public void A_check_whose_text_names_a_rebuilt_column_it_does_not_read_is_kept()
    {
        DatabaseModel Schema(string generated) => Build(db => db.Table("items", t =>
        {
            t.Column("price", Types.Integer);
            t.Column("doubled", Types.Integer).GeneratedAs(generated);
            t.Check("positive", "price > 0 AND 'doubled' <> ''");
        }));
        var reads = ReadsColumns("price");

        var changes = Diff(WithTable(Schema("price * 2"), t => WithCheckReads(t, reads)), WithTable(Schema("price + price"), t => WithCheckReads(t, reads)));

        Assert.DoesNotContain(changes, c => c is DropCheck or AddCheck);
        // Searched in the text, the quoted word counts as the column.
        Assert.Contains(Diff(Schema("price * 2"), Schema("price + price")), c => c is DropCheck);
    }

    [Fact]
    public void A_generated_column_that_reads_a_retyped_column_is_rebuilt_whatever_its_text_says()
    {
        DatabaseModel Schema(ColumnType priceType) => WithTable(Build(db => db.Table("items", t =>
        {
            t.Column("price", priceType);
            t.Column("label", Types.Text).GeneratedAs("'fixed'::text");
        })), t => WithColumnReads(t, "label", ReadsColumns("price")));

        var changes = Diff(Schema(Types.Integer), Schema(Types.BigInt));

        Assert.Contains(changes, c => c is DropColumn { Column.Name: "label" });
        Assert.Contains(changes, c => c is AddColumn { Column.Name: "label" });
    }

    [Fact]
    public void An_index_expression_that_reads_a_rebuilt_column_is_rebuilt_whatever_its_text_says()
    {
        DatabaseModel Schema(string generated) => Build(db => db.Table("items", t =>
        {
            t.Column("price", Types.Integer);
            t.Column("doubled", Types.Integer).GeneratedAs(generated);
            t.Index(IndexKey.Expression("abs(price_alias)")).Named("by_abs");
        }));
        var reads = ReadsColumns("doubled");

        var changes = Diff(WithTable(Schema("price * 2"), t => WithIndexReads(t, reads)), WithTable(Schema("price + price"), t => WithIndexReads(t, reads)));

        Assert.Contains(changes, c => c is DropIndex { Index.Name: "by_abs" });
        Assert.Contains(changes, c => c is CreateIndex { Index.Name: "by_abs" });
    }

    private static DatabaseModel MoodSchema(string[] values, string? defaultValue) => Build(db =>
    {
        var mood = db.Enum("mood", values);
        db.Table("items", t =>
        {
            var column = t.Column("feeling", mood);
            if (defaultValue is not null)
                column.DefaultSql(defaultValue);
        });
    });

    [Fact]
    public void An_expression_that_reads_an_enum_gaining_values_is_taken_to_use_them_when_it_is_new_or_changed_and_its_text_may()
    {
        DatabaseModel Schema(string[] values, string defaultValue) =>
            WithTable(MoodSchema(values, defaultValue), t => WithColumnReads(t, "feeling", ReadsType("mood")));

        // The default changes to the new value: it reads the type (pg_depend) and its literal is the new value.
        var usesNew = Diff(Schema(["sad", "ok"], "'ok'::mood"), Schema(["sad", "ok", "happy"], "'happy'::mood"));
        Assert.Contains(usesNew, c => c is RecreateEnum);
        Assert.DoesNotContain(usesNew, c => c is AddEnumValue);
        // Through a function of the enum, which no literal shows.
        var throughFunction = Diff(Schema(["sad", "ok"], "'ok'::mood"), Schema(["sad", "ok", "happy"], "enum_last(NULL::mood)"));
        Assert.Contains(throughFunction, c => c is RecreateEnum);
        // The default changes to an old value: pg_depend says it reads the type, and its text names only an old
        // value, which PostgreSQL accepts in the transaction that adds another: the value is added in place.
        var changed = Diff(Schema(["sad", "ok"], "'ok'::mood"), Schema(["sad", "ok", "happy"], "'sad'::mood"));
        Assert.Contains(changed, c => c is AddEnumValue);
        Assert.DoesNotContain(changed, c => c is RecreateEnum);
        // Read from its text (no reads known), the same change only adds the value.
        var byText = Diff(MoodSchema(["sad", "ok"], "'ok'::mood"), MoodSchema(["sad", "ok", "happy"], "'sad'::mood"));
        Assert.Contains(byText, c => c is AddEnumValue);

        // An unchanged default existed before the value did, so it cannot use it: the value is added.
        var unchanged = Diff(Schema(["sad", "ok"], "'ok'::mood"), Schema(["sad", "ok", "happy"], "'ok'::mood"));
        Assert.Contains(unchanged, c => c is AddEnumValue { Value: "happy" });
        Assert.DoesNotContain(unchanged, c => c is RecreateEnum);
    }

    [Fact]
    public void An_expression_that_does_not_read_the_enum_does_not_re_create_it_whatever_its_text_says()
    {
        DatabaseModel Schema(string[] values) => Build(db =>
        {
            var mood = db.Enum("mood", values);
            db.Table("items", t =>
            {
                t.Column("feeling", mood);
                t.Column("note", Types.Text);
                t.Check("not_happy", "note <> 'happy'");
            });
        });
        DatabaseModel Read(string[] values) => WithTable(Schema(values), t => WithCheckReads(t, ReadsColumns("note")));

        var changes = Diff(Read(["sad"]), Read(["sad", "happy"]));

        Assert.Contains(changes, c => c is AddEnumValue { Value: "happy" });
        Assert.DoesNotContain(changes, c => c is RecreateEnum);
        // Searched in the text, the literal counts as a use of the value.
        Assert.Contains(Diff(Schema(["sad"]), Schema(["sad", "happy"])), c => c is RecreateEnum);
    }

    private static DatabaseModel ViewSchema(bool withNote, string definition, bool printed) => Build(db =>
    {
        db.Table("items", t =>
        {
            t.Column("id", Types.Integer);
            if (withNote)
                t.Column("note", Types.Text);
        });
        db.View("item_view", definition);
    }) is var model && printed
        ? model with { Views = model.Views.Select(v => v with { Reads = new ExpressionReads([new ReadObject(ReadKind.Relation, Items)]) }).ToValueList() }
        : model;

    [Fact]
    public void A_view_read_from_PostgreSQL_is_rebuilt_for_a_new_column_by_its_printed_form_not_by_a_star_in_its_text()
    {
        // PostgreSQL prints count(*) as it is: the view does not change when the table gains a column.
        var counted = Diff(ViewSchema(false, "SELECT count(*) AS n FROM items", printed: true), ViewSchema(true, "SELECT count(*) AS n FROM items", printed: true));
        Assert.DoesNotContain(counted, c => c is DropView or CreateView);
        // Without printed forms any * counts.
        var byText = Diff(ViewSchema(false, "SELECT count(*) AS n FROM items", printed: false), ViewSchema(true, "SELECT count(*) AS n FROM items", printed: false));
        Assert.Contains(byText, c => c is DropView);

        // SELECT * printed: the expanded column list differs once the table has the new column.
        var star = Diff(ViewSchema(false, "SELECT items.id FROM items", printed: true), ViewSchema(true, "SELECT items.id, items.note FROM items", printed: true));
        Assert.Contains(star, c => c is DropView);
        Assert.Contains(star, c => c is CreateView);
    }
}

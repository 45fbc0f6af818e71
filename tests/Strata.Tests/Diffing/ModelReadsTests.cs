using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Diffing;

/// <summary>
/// <see cref="ModelReads"/>: reads move between models by name and never change a declared text; carried over only
/// where the object (and, for a view, what it reads) did not change.
/// </summary>
public class ModelReadsTests
{
    private static readonly QualifiedName Items = new("public", "items");
    private static readonly QualifiedName Priced = new("public", "priced");

    private static ExpressionReads Reads(params string[] columns) => new(columns.Select(c => ReadObject.OfColumn(Items, c)));

    private static DatabaseModel Schema(bool withNote, string check = "price > 0") => Build(db =>
    {
        db.Table("items", t =>
        {
            t.Column("price", Types.Integer);
            t.Column("doubled", Types.Integer).GeneratedAs("price * 2");
            if (withNote)
                t.Column("note", Types.Text);
            t.Check("positive", check);
            t.Index(IndexKey.Expression("price + 1"));
        });
        db.View("priced", "SELECT * FROM items");
    });

    /// <summary>As a scratch build would print it: other text, and reads.</summary>
    private static DatabaseModel Printed(DatabaseModel model, params string[] viewReads) => model with
    {
        Tables = model.Tables.Select(t => t with
        {
            Columns = t.Columns.Select(c => c.GeneratedAs is null ? c : c with { GeneratedAs = "(price * 2)", Reads = Reads("price") }).ToValueList(),
            Checks = t.Checks.Select(c => c with { Expression = "(" + c.Expression + ")", Reads = Reads("price") }).ToValueList(),
            Indexes = t.Indexes.Select(i => i with { Reads = Reads("price") }).ToValueList(),
        }).ToValueList(),
        Views = model.Views.Select(v => v with { Definition = "SELECT items.price FROM items", Reads = Reads(viewReads) }).ToValueList(),
    };

    [Fact]
    public void Reads_copied_from_a_printed_model_keep_every_declared_text()
    {
        var declared = Schema(withNote: false);

        var copied = ModelReads.CopiedFrom(declared, Printed(declared, "doubled", "price"));

        var table = copied.FindTable(Items)!;
        Assert.Equal("price > 0", table.Checks.Single().Expression);
        Assert.Equal(["price"], table.Checks.Single().Reads.ColumnsOf(Items));
        Assert.Equal("price * 2", table.Columns.Single(c => c.Name == "doubled").GeneratedAs);
        Assert.Equal(["price"], table.Columns.Single(c => c.Name == "doubled").Reads.ColumnsOf(Items));
        Assert.Equal(["price"], table.Indexes.Single().Reads.ColumnsOf(Items));
        Assert.Equal("SELECT * FROM items", copied.FindView(Priced)!.Definition);
        Assert.Equal(["doubled", "price"], copied.FindView(Priced)!.Reads.ColumnsOf(Items));
        Assert.False(copied.FindTable(Items)!.Columns.Single(c => c.Name == "price").Reads.IsKnown);
    }

    [Fact]
    public void Reads_are_carried_over_only_to_objects_that_did_not_change()
    {
        var before = ModelReads.CopiedFrom(Schema(withNote: false), Printed(Schema(withNote: false), "doubled", "price"));

        var same = ModelReads.CarriedOver(Schema(withNote: false), before);
        var widened = ModelReads.CarriedOver(Schema(withNote: true), before);

        Assert.True(same.FindTable(Items)!.Checks.Single().Reads.IsKnown);
        Assert.True(same.FindView(Priced)!.Reads.IsKnown);
        // The table gained a column: its expressions may resolve otherwise, and the view's * reads the new column.
        Assert.False(widened.FindTable(Items)!.Checks.Single().Reads.IsKnown);
        Assert.False(widened.FindView(Priced)!.Reads.IsKnown);
    }

    [Fact]
    public void A_view_with_known_reads_on_both_sides_is_rebuilt_when_it_reads_a_new_column_whatever_its_text()
    {
        var from = ModelReads.CopiedFrom(Schema(withNote: false), Printed(Schema(withNote: false), "doubled", "price"));
        var expanded = ModelReads.CopiedFrom(Schema(withNote: true), Printed(Schema(withNote: true), "doubled", "note", "price"));
        var notExpanded = ModelReads.CopiedFrom(Schema(withNote: true), Printed(Schema(withNote: true), "doubled", "price"));

        var rebuilt = SchemaDiffer.Diff(from, expanded, RenameDecisions.None);
        var kept = SchemaDiffer.Diff(from, notExpanded, RenameDecisions.None);

        Assert.Contains(rebuilt.Changes, c => c is DropView);
        Assert.DoesNotContain(kept.Changes, c => c is DropView);
        Assert.Empty(rebuilt.DecidedFromText);
        Assert.Empty(kept.DecidedFromText);
    }
}

using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// Table inheritance migrated A → B and back on PostgreSQL, read back, and written as C#: a parent's columns changed
/// under children that declare one of them again, a parent dropped under a child that keeps its columns, a parent gained.
/// </summary>
public sealed class InheritanceScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static void Family(SchemaBuilder db, bool wide)
    {
        db.Table("items", t =>
        {
            t.Column("id", wide ? Types.BigInt : Types.Integer).NotNull();
            t.Column("name", Types.Text);
            if (wide)
                t.Column("price", Types.Numeric(10, 2));
            t.Check("items_id_positive", "id > 0");
            t.Check("items_here_only", "id < 1000000", noInherit: true);
        });
        db.Table("labels", t => t.Column("label", Types.Text));
        db.Table("special", t =>
        {
            t.Column("extra", Types.Text);
            t.PrimaryKey("id");
            t.Index("name");
            t.Inherits("items", "labels");
        });
        db.Table("tagged", t =>
        {
            t.Column("id", wide ? Types.BigInt : Types.Integer).NotNull();
            t.Column("tag", Types.Text);
            t.Check("tagged_tag_set", "tag IS NOT NULL");
            t.Inherits("items");
        });
        db.Table("deep", t => t.Inherits("special"));
    }

    [Fact]
    public Task A_parents_columns_change_on_the_parent_alone_under_children_and_grandchildren() => RoundTripAsync(
        db => Family(db, wide: false),
        db => Family(db, wide: true));

    [Fact]
    public Task A_parent_is_dropped_under_a_child_that_keeps_its_columns_and_gained_back() => RoundTripAsync(
        db =>
        {
            db.Table("items", t =>
            {
                t.Column("id", Types.Integer).NotNull();
                t.Column("name", Types.Text);
                t.Check("items_id_positive", "id > 0");
            });
            db.Table("kept", t =>
            {
                t.Column("id", Types.Integer).NotNull();
                t.Column("name", Types.Text);
                t.Column("extra", Types.Text);
                t.Check("items_id_positive", "id > 0");
                t.Inherits("items");
            });
            db.Table("gone", t => t.Inherits("items"));
        },
        db => db.Table("kept", t =>
        {
            t.Column("id", Types.Integer).NotNull();
            t.Column("extra", Types.Text);
        }),
        new RenameDecisions([], [(ObjectKind.Column, "public.kept.name")]));

    [Fact]
    public Task A_parent_its_child_and_grandchild_add_the_same_column_in_one_migration() => RoundTripAsync(
        db =>
        {
            db.Table("events", t => t.Column("id", Types.Integer).NotNull());
            db.Table("clicks", t =>
            {
                t.Column("x", Types.Integer);
                t.Inherits("events");
            });
            db.Table("double_clicks", t => t.Inherits("clicks"));
            db.Table("views", t => t.Inherits("events"));
        },
        db =>
        {
            // The child's ADD COLUMN must run before its parent's, which then merges into it (up); the parent's DROP
            // COLUMN before its child's, which PostgreSQL refuses while the column is still inherited (down).
            db.Table("events", t =>
            {
                t.Column("id", Types.Integer).NotNull();
                t.Column("score", Types.Integer).NotNull().Default(0);
            });
            db.Table("clicks", t =>
            {
                t.Column("x", Types.Integer);
                t.Column("score", Types.Integer).NotNull().Default(0);
                t.Inherits("events");
            });
            db.Table("double_clicks", t =>
            {
                t.Column("score", Types.Integer).NotNull().Default(0);
                t.Inherits("clicks");
            });
            db.Table("views", t => t.Inherits("events"));
        });

    [Fact]
    public Task A_parent_gains_NOT_NULL_and_a_default_under_a_child_that_declares_the_column_without_them() => RoundTripAsync(
        db =>
        {
            db.Table("items", t =>
            {
                t.Column("id", Types.Integer);
                t.Column("name", Types.Text);
            });
            db.Table("special", t =>
            {
                t.Column("id", Types.Integer);
                t.Column("name", Types.Text);
                t.Inherits("items");
            });
        },
        db =>
        {
            db.Table("items", t =>
            {
                t.Column("id", Types.Integer).NotNull();
                t.Column("name", Types.Text).Default("unnamed");
            });
            // Declared nullable: the child drops the NOT NULL its parent's passes on (PostgreSQL 15 lets it), and has no default.
            db.Table("special", t =>
            {
                t.Column("id", Types.Integer);
                t.Column("name", Types.Text);
                t.Inherits("items");
            });
        });

    [Fact]
    public Task A_child_stops_declaring_a_column_its_parent_keeps_and_declares_it_again() => RoundTripAsync(
        db =>
        {
            db.Table("items", t =>
            {
                t.Column("id", Types.Integer).NotNull();
                t.Column("name", Types.Text);
            });
            db.Table("special", t =>
            {
                t.Column("name", Types.Text);
                t.Column("extra", Types.Text);
                t.Inherits("items");
            });
        },
        db =>
        {
            db.Table("items", t =>
            {
                t.Column("id", Types.Integer).NotNull();
                t.Column("name", Types.Text);
            });
            // PostgreSQL refuses to drop an inherited column from the child: the child is created again without it.
            db.Table("special", t =>
            {
                t.Column("extra", Types.Text);
                t.Inherits("items");
            });
        });
}

using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>Schema pairs found by the review of issue 2 (see the review report).</summary>
public sealed class ReviewFindingsScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static RenameDecisions Renames(params Rename[] renames) => new(renames, []);

    // The view's query names the table in unquoted capitals, which PostgreSQL folds to lower case; the
    // DSL's dependency scan compares case-sensitively, misses the dependency, and the type change is refused.
    [Fact]
    public Task Changing_a_column_type_under_a_view_that_names_the_table_in_capitals() => RoundTripAsync(
        db =>
        {
            db.Table("users", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("name", Types.Text);
            });
            db.View("user_names", "SELECT ID, NAME FROM USERS");
        },
        db =>
        {
            db.Table("users", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("name", Types.Varchar(100));
            });
            db.View("user_names", "SELECT ID, NAME FROM USERS");
        });

    // Tables and indexes share one namespace per schema: the table rename runs before the index rename.
    [Fact]
    public Task Renaming_a_table_to_the_old_name_of_one_of_its_indexes() => RoundTripAsync(
        db => db.Table("old", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("x", Types.Integer);
            t.Index("x").Named("new");
        }),
        db => db.Table("new", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("x", Types.Integer);
            t.Index("x").Named("new_x_idx");
        }),
        Renames(new Rename(ObjectKind.Table, "public.old", "public.new")));

    // The new value is used only inside an array literal ('{happy}'), which the differ's search for
    // "'happy'" does not see: ADD VALUE then a use of the value in the same transaction.
    [Fact]
    public Task Adding_an_enum_value_used_by_an_array_default() => RoundTripAsync(
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok");
            db.Table("people", t => t.Column("moods", Types.ArrayOf(mood)));
        },
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok", "happy");
            db.Table("people", t => t.Column("moods", Types.ArrayOf(mood)).DefaultSql("'{happy}'"));
        });

    // The dropped enum keeps its name until DropEnums, which runs after RenameEnums: the rename collides.
    [Fact]
    public Task Renaming_an_enum_to_the_name_of_a_dropped_enum() => RoundTripAsync(
        db =>
        {
            var status = db.Enum("status", "a", "b");
            var state = db.Enum("state", "x", "y");
            db.Table("t", t =>
            {
                t.Column("s1", status);
                t.Column("s2", state);
            });
        },
        db =>
        {
            var status = db.Enum("status", "x", "y");
            db.Table("t", t => t.Column("s2", status));
        },
        new RenameDecisions([new Rename(ObjectKind.Enum, "public.state", "public.status")], [(ObjectKind.Column, "public.t.s1")]));

    // PostgreSQL expands * when the view is created: a column added later is in a view built from B, not in the migrated one.
    [Fact]
    public Task Adding_a_column_to_a_table_that_a_select_star_view_reads() => RoundTripAsync(
        db =>
        {
            db.Table("t", t => t.Column("a", Types.Integer));
            db.View("v", "SELECT * FROM t");
        },
        db =>
        {
            db.Table("t", t =>
            {
                t.Column("a", Types.Integer);
                t.Column("b", Types.Integer);
            });
            db.View("v", "SELECT * FROM t");
        });

    // A dropped table's foreign keys are only dropped early when they reference another dropped table:
    // the kept table's primary key is dropped (DropConstraints) while the doomed table still references it.
    [Fact]
    public Task Dropping_a_table_and_the_primary_key_its_foreign_key_referenced() => RoundTripAsync(
        db =>
        {
            db.Table("parent", t => t.Column("id", Types.Integer).PrimaryKey());
            db.Table("child", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("parent_id", Types.Integer).References("parent", "id");
            });
        },
        db => db.Table("parent", t => t.Column("id", Types.Integer).NotNull()));

    [Fact]
    public Task Renaming_a_sequence_to_the_name_of_a_dropped_sequence() => RoundTripAsync(
        db =>
        {
            db.Sequence("counter");
            db.Sequence("tickets");
        },
        db => db.Sequence("counter"),
        new RenameDecisions([new Rename(ObjectKind.Sequence, "public.tickets", "public.counter")], []));

    // A table's row type shares the type namespace with enums; the enum is dropped (DropEnums) only after
    // CreateTables. Turning an enum into a lookup table of the same name is a common refactoring.
    [Fact]
    public Task Replacing_an_enum_with_a_lookup_table_of_the_same_name() => RoundTripAsync(
        db =>
        {
            var status = db.Enum("status", "open", "closed");
            db.Table("tickets", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("status", status);
            });
        },
        db =>
        {
            db.Table("status", t => t.Column("name", Types.Text).PrimaryKey());
            db.Table("tickets", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("status", Types.Text).References("status", "name");
            });
        });

    // A string literal holding a line "--> statement-breakpoint" is split by the migration file format.
    [Fact]
    public Task A_comment_with_a_line_that_looks_like_a_statement_breakpoint() => RoundTripAsync(
        db => db.Table("t", t => t.Column("a", Types.Integer)),
        db => db.Table("t", t => t.Column("a", Types.Integer)).Comment("first\n--> statement-breakpoint\nsecond"));

    // The serial's sequence is renamed only when both sides own one; dropping it then uses the new
    // table and column names, which the sequence never got.
    [Fact]
    public Task Renaming_a_serial_column_and_turning_it_into_a_plain_integer() => RoundTripAsync(
        db => db.Table("t", t => t.Column("id", Types.Serial).PrimaryKey()),
        db => db.Table("t", t => t.Column("ident", Types.Integer).PrimaryKey()),
        Renames(new Rename(ObjectKind.Column, "public.t.id", "public.t.ident")));
}

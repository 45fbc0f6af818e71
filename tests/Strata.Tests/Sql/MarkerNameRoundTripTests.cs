using Strata.Dsl;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>
/// Every statement the SQL generator writes, rendered into up.sql and down.sql, parses back through the
/// migration-file parser to the same statements, for names that hold the statement breakpoint (at a name's
/// end, or on a line of its own), directives and line breaks.
/// </summary>
public class MarkerNameRoundTripTests
{
    public static TheoryData<string> Shapes => new()
    {
        "x--> statement-breakpoint",
        "a\n--> statement-breakpoint\nb",
        "a\n--> statement-breakpoint",
        "a\r\n--> statement-breakpoint\r\nb",
        "a\n-- strata:no-transaction\nb",
        "two\nlines",
        "cr\rinside",
        "quote\"and\\back\\\nslash",
    };

    private static Action<SchemaBuilder> Everything(string shape) => db =>
    {
        string N(string what) => what + shape;
        var mood = db.Enum(N("mood"), [N("happy"), "sad"], comment: N("feelings"));
        db.Sequence(N("seq"), comment: N("counter"));
        var app = db.Schema(N("app"));
        app.Table(N("parent"), t =>
        {
            t.Column(N("id"), Types.Serial).PrimaryKey();
            t.Column(N("code"), Types.Text).NotNull().Unique(N("code_key"));
        });
        app.Table(N("child"), t =>
        {
            t.Column(N("id"), Types.Integer).Identity();
            t.Column(N("parent"), Types.Integer).References(N("parent"), N("id"), name: N("parent_fkey"));
            t.Column(N("note"), Types.Text).Default(N("default")).Comment(N("column comment"));
            t.Column(N("mood"), mood).Default(N("happy"));
            t.Check(N("check"), "true");
            t.Index(N("note")).Named(N("note_idx"));
            t.Comment(N("table comment"));
        });
        // SQL the user wrote (or PostgreSQL printed) with the shape inside a string and a quoted name.
        db.View(N("view"), $"SELECT '{N("text").Replace("'", "''")}'::text AS \"{N("col").Replace("\"", "\"\"")}\"");
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Creating_and_dropping_everything_parses_back_to_the_same_statements(string shape)
    {
        var up = Statements(Empty, Everything(shape));
        var down = Statements(Everything(shape), Empty);

        AssertParsesBack(up, MigrationScript.RenderUp(up), "up.sql");
        AssertParsesBack(down, MigrationScript.RenderDown(up: down, down: down), "down.sql");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Altering_renaming_and_adding_values_parses_back_to_the_same_statements(string shape)
    {
        string N(string what) => what + shape;
        Action<SchemaBuilder> before = db =>
        {
            db.Enum(N("mood"), N("happy"));
            db.Table(N("t"), t =>
            {
                t.Column(N("n"), Types.Integer);
                t.Column(N("old"), Types.Text);
                t.Column(N("i"), Types.Integer).NotNull();
            });
        };
        Action<SchemaBuilder> after = db =>
        {
            db.Enum(N("mood"), N("happy"), N("sad"));
            db.Table(N("t"), t =>
            {
                t.Column(N("n"), Types.Serial);
                t.Column(N("new"), Types.Text);
                t.Column(N("i"), Types.Integer).Identity();
            });
        };

        // A name with a double quote is quoted in a hint, as PostgreSQL quotes it.
        var up = Statements(before, after, $"column:public.{Strata.Diffing.ObjectKey.Part(N("t"))}.{Strata.Diffing.ObjectKey.Part(N("old"))}={Strata.Diffing.ObjectKey.Part(N("new"))}");

        AssertParsesBack(up, MigrationScript.RenderUp(up), "up.sql");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_name_is_written_on_one_line(string shape)
    {
        var quoted = SqlIdentifier.Quote(shape);

        Assert.DoesNotContain('\n', quoted);
        Assert.DoesNotContain('\r', quoted);
    }

    [Fact]
    public void A_name_with_a_line_break_is_written_with_unicode_escapes_and_others_keep_the_plain_form()
    {
        Assert.Equal("U&\"a\\000A--> statement-breakpoint\\000D\\000Ab\\\\\"\"\"", SqlIdentifier.Quote("a\n--> statement-breakpoint\r\nb\\\""));
        Assert.Equal("\"x--> statement-breakpoint\\\"\"\"", SqlIdentifier.Quote("x--> statement-breakpoint\\\""));
    }

    [Fact]
    public void A_string_and_a_quoted_name_of_a_view_query_running_over_a_marker_line_are_written_in_one_line_form()
    {
        var sql = Create(db => db.View("v", "SELECT 'it''s\n--> statement-breakpoint\nb' AS \"x\n--> statement-breakpoint\n\", E'e' AS y"));

        Assert.Equal("CREATE VIEW \"public\".\"v\" AS\nSELECT E'it''s\\n--> statement-breakpoint\\nb' AS U&\"x\\000A--> statement-breakpoint\\000A\", E'e' AS y;", sql);
    }

    [Fact]
    public void An_escape_string_over_a_marker_line_is_refused_naming_the_view() =>
        Assert.Contains("View public.v", Assert.Throws<MigrationTextException>(() => Create(db => db.View("v", "SELECT E'a\n--> statement-breakpoint\n' AS x"))).Message);

    private static void AssertParsesBack(IReadOnlyList<SqlStatement> statements, string file, string fileName)
    {
        Assert.NotEmpty(statements);
        var parsed = MigrationScript.Parse(file, fileName);
        Assert.Equal(statements.Select(s => s.Sql), parsed.Statements.Select(s => s.Sql));
    }
}

using Strata.CodeGeneration;
using Strata.Dsl;
using Strata.Model;
using Strata.Tests.CodeGeneration;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>
/// A table column's COLLATE through the DSL, the validator, pull's C#, the snapshot and the SQL (the PostgreSQL round
/// trips are in the integration tests' ColumnCollationScenarios).
/// </summary>
public class ColumnCollationTests
{
    private static void Codes(SchemaBuilder db) => db.Table("codes", t =>
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("code", Types.Text).NotNull().Collate("C");
        t.Column("label", Types.Varchar(20));
    });

    [Fact]
    public void A_column_declares_its_collation()
    {
        var model = Build(Codes);

        Assert.Equal("C", model.Tables[0].FindColumn("code")!.Collation);
        Assert.Null(model.Tables[0].FindColumn("label")!.Collation);
    }

    [Fact]
    public void A_collation_on_a_type_that_has_none_or_an_empty_one_is_refused()
    {
        var db = new SchemaBuilder();
        db.Table("t", t =>
        {
            t.Column("n", Types.Integer).Collate("C");
            t.Column("s", Types.Text).Collate(" ");
        });

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("public.t.n: a collation applies to text types only, not to integer; remove Collate(…)"));
        Assert.Contains(errors, e => e.StartsWith("public.t.s: the collation is empty"));
    }

    [Fact]
    public void Pull_writes_the_collation_back_and_the_snapshot_keeps_it_only_when_set()
    {
        var model = Build(Codes);

        var code = string.Concat(CSharpSchemaWriter.Write(model, "Generated", "AppSchema").Select(f => f.Content));
        var json = AssertSnapshotNamesOnlyWhenUsed(model, Build(db => db.Table("codes", t => t.Column("code", Types.Text))), "collation");

        Assert.Contains("t.Column(\"code\", Types.Text).NotNull().Collate(\"C\");", code);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model])[0]);
        Assert.Contains("\"collation\": \"C\"", json);
    }

    [Fact]
    public void A_new_column_is_created_with_its_collation_and_a_changed_one_altered_in_place()
    {
        Assert.Contains("\"code\" text COLLATE \"C\" NOT NULL,", Create(Codes));

        var up = Up(Codes, db => db.Table("codes", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("code", Types.Text).NotNull();
            t.Column("label", Types.Varchar(20)).Collate("POSIX");
        }));

        Assert.Equal("""
            ALTER TABLE "public"."codes" ALTER COLUMN "code" TYPE text;
            ALTER TABLE "public"."codes" ALTER COLUMN "label" TYPE varchar(20) COLLATE "POSIX";
            """, up);
    }
}

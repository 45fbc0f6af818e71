using Strata.Dsl;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class ViewDependencyTests
{
    [Theory]
    [InlineData("SELECT ID, NAME FROM USERS")]
    [InlineData("SELECT id, name FROM Public.Users")]
    [InlineData("SELECT id, name FROM \"users\"")]
    [InlineData("SELECT id, name FROM \"public\".\"users\"")]
    public void A_view_depends_on_a_table_however_PostgreSQL_would_read_its_name(string query)
    {
        var model = Build(db =>
        {
            db.Table("users", t =>
            {
                t.Column("id", Types.Integer);
                t.Column("name", Types.Text);
            });
            db.View("user_names", query);
        });

        Assert.Equal(["public.users"], model.Views[0].DependsOn.Select(d => d.ToString()));
    }

    [Fact]
    public void A_quoted_name_in_capitals_is_not_the_lower_case_table()
    {
        var model = Build(db =>
        {
            db.Table("users", t => t.Column("id", Types.Integer));
            db.View("v", "SELECT 1 FROM \"USERS\"");
        });

        Assert.Empty(model.Views[0].DependsOn);
    }

    [Fact]
    public void A_select_star_view_is_rebuilt_when_its_table_gains_a_column()
    {
        var sql = Up(
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

        Assert.Equal("""
            DROP VIEW "public"."v";
            ALTER TABLE "public"."t" ADD COLUMN "b" integer;
            CREATE VIEW "public"."v" AS
            SELECT * FROM t;
            """, sql);
    }

    [Fact]
    public void A_view_naming_its_columns_survives_its_table_gaining_a_column()
    {
        var sql = Up(
            db =>
            {
                db.Table("t", t => t.Column("a", Types.Integer));
                db.View("v", "SELECT a FROM t");
            },
            db =>
            {
                db.Table("t", t =>
                {
                    t.Column("a", Types.Integer);
                    t.Column("b", Types.Integer);
                });
                db.View("v", "SELECT a FROM t");
            });

        Assert.Equal("""
            ALTER TABLE "public"."t" ADD COLUMN "b" integer;
            """, sql);
    }
}

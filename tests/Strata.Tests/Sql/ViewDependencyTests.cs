using Strata.Dsl;
using Strata.Model;
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

    // A regex for names took the double quote inside the constant or comment for the start of a quoted
    // identifier that ran to the next double quote, and so missed users.
    [Theory]
    [InlineData("SELECT '\"' AS mark, id FROM users WHERE \"id\" > 0")]
    [InlineData("SELECT E'it\\'s \"' AS mark, id FROM users WHERE \"id\" > 0")]
    [InlineData("SELECT $q$\"$q$ AS mark, id FROM users WHERE \"id\" > 0")]
    [InlineData("SELECT id /* the \" mark */ FROM users WHERE \"id\" > 0")]
    public void A_double_quote_in_a_string_or_comment_does_not_hide_the_names_after_it(string query)
    {
        var model = Build(db =>
        {
            db.Table("users", t => t.Column("id", Types.Integer));
            db.View("v", query);
        });

        Assert.Equal(["public.users"], model.Views[0].DependsOn.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("SELECT 'users' AS label, id FROM orders")]
    [InlineData("SELECT $$users$$ AS label, id FROM orders")]
    [InlineData("SELECT id FROM orders -- not users")]
    [InlineData("SELECT id /* users */ FROM orders")]
    public void A_name_in_a_string_or_comment_is_not_a_dependency(string query)
    {
        var model = Build(db =>
        {
            db.Table("users", t => t.Column("id", Types.Integer));
            db.Table("orders", t => t.Column("id", Types.Integer));
            db.View("v", query);
        });

        Assert.Equal(["public.orders"], model.Views[0].DependsOn.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("SELECT id FROM billing . invoices")]
    [InlineData("SELECT id FROM billing /* the ledger */ . invoices")]
    [InlineData("SELECT id FROM billing\n  .invoices")]
    public void A_qualified_name_with_space_or_a_comment_around_its_dot_is_that_schema_s_relation(string query)
    {
        var model = Build(db =>
        {
            db.Table("invoices", t => t.Column("id", Types.Integer));
            db.Schema("billing").Table("invoices", t => t.Column("id", Types.Integer));
            db.View("v", query);
        });

        Assert.Equal(["billing.invoices"], model.Views[0].DependsOn.Select(d => d.ToString()));
    }

    [Fact]
    public void A_quoted_name_with_a_dot_in_it_is_one_name_not_a_schema_and_a_name()
    {
        var model = Build(db =>
        {
            db.Table("billing.invoices", t => t.Column("id", Types.Integer));
            db.Schema("billing").Table("invoices", t => t.Column("id", Types.Integer));
            db.View("v", "SELECT id FROM \"billing.invoices\"");
        });

        Assert.Equal([new QualifiedName("public", "billing.invoices")], model.Views[0].DependsOn);
    }

    [Fact]
    public void A_keyword_quoted_as_a_name_is_a_dependency()
    {
        var model = Build(db =>
        {
            db.Table("order", t => t.Column("id", Types.Integer));
            db.View("v", "SELECT o.id FROM \"order\" o");
        });

        Assert.Equal(["public.order"], model.Views[0].DependsOn.Select(d => d.ToString()));
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

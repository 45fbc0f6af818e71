using Strata.Dsl;
using Strata.Model;

namespace Strata.Tests.Dsl;

public class SchemaBuilderTests
{
    [Fact]
    public void Derived_names_follow_the_naming_rule_and_key_columns_become_not_null()
    {
        var db = new SchemaBuilder();
        db.Table("users", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("email", Types.Varchar(320)).Unique();
            t.Column("org_id", Types.Integer).References("orgs", "id");
            t.Index("email", "org_id");
            t.Index(IndexKey.Expression("lower(email)"));
        });
        db.Table("orgs", t => t.Column("id", Types.Serial).PrimaryKey());

        var users = db.Build().FindTable(new QualifiedName("public", "users"))!;

        Assert.Equal("users_pkey", users.PrimaryKey!.Name);
        Assert.Equal("users_email_key", Assert.Single(users.Uniques).Name);
        Assert.Equal("users_org_id_fkey", Assert.Single(users.ForeignKeys).Name);
        Assert.Equal(["users_email_org_id_idx", "users_expr_idx"], users.Indexes.Select(i => i.Name));
        Assert.True(users.FindColumn("id")!.NotNull);
        Assert.False(users.FindColumn("email")!.NotNull);
    }

    [Fact]
    public void Every_mistake_is_reported_at_once_with_table_and_column()
    {
        var db = new SchemaBuilder();
        var mood = db.Enum("mood", "sad", "happy");
        db.Table("users", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("id", Types.Text);
            t.Column("mood", mood).Default("angry");
            t.Column("team_id", Types.Text).References("teams", "id");
            t.Column("org_id", Types.Text).References("orgs", "id");
            t.Index("missing");
        });
        db.Table("orgs", t => t.Column("id", Types.Integer).PrimaryKey());
        db.Table("empty", _ => { });
        db.Table(new string('x', 64), t => t.Column("a", Types.Text));

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("public.users.id: the column is declared twice"));
        Assert.Contains(errors, e => e.StartsWith("public.users.mood: default 'angry' is not a value of enum public.mood"));
        Assert.Contains(errors, e => e.Contains("references table public.teams, which is not declared"));
        Assert.Contains(errors, e => e.StartsWith("public.users.org_id: foreign key \"users_org_id_fkey\": the column is text but public.orgs.id is integer"));
        Assert.Contains(errors, e => e.Contains("index \"users_missing_idx\" names column \"missing\""));
        Assert.Contains(errors, e => e.StartsWith("public.empty: the table has no columns"));
        Assert.Contains(errors, e => e.Contains("is 64 bytes long; PostgreSQL allows at most 63"));
    }

    [Fact]
    public void The_same_schema_built_twice_gives_equal_models()
    {
        static DatabaseModel Build()
        {
            var db = new SchemaBuilder();
            db.Schema("billing").Table("invoices", t =>
            {
                t.Column("id", Types.Uuid).PrimaryKey().DefaultSql("gen_random_uuid()");
                t.Column("total", Types.Numeric(12, 2)).NotNull().Default(0);
                t.Check("total_positive", "total >= 0");
            });
            return db.Build();
        }

        Assert.Equal(Build(), Build());
        Assert.NotEqual(Build(), DatabaseModel.Empty);
    }
}

public class KeyConstraintValidationTests
{
    [Fact]
    public void A_unique_constraint_on_the_primary_key_columns_is_kept_as_declared()
    {
        // Redundant but legal, and a live database may hold one: the generator adds it after
        // CREATE TABLE (which would merge it away), so the model keeps it.
        var db = new SchemaBuilder();
        db.Table("t", t =>
        {
            t.Column("a", Types.Integer);
            t.Column("b", Types.Integer);
            t.PrimaryKey("a", "b");
            t.Unique("a", "b");
            t.Unique("b", "a");
        });

        Assert.Equal(["t_a_b_key", "t_b_a_key"], db.Build().Tables[0].Uniques.Select(u => u.Name));
    }

    [Fact]
    public void Numeric_with_scale_zero_is_numeric_with_precision_only()
    {
        Assert.Equal(Types.Numeric(10), Types.Numeric(10, 0));
    }
}

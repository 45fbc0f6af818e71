using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>Functions and procedures: each change migrated up and down on PostgreSQL and compared with a database built from the target alone.</summary>
public sealed class FunctionScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static void Twice(SchemaBuilder db, string body = "SELECT n * 2", ColumnType? result = null, Action<FunctionBuilder>? more = null) =>
        db.Function("twice", f =>
        {
            f.Argument("n", Types.Integer).Returns(result ?? Types.Integer).Language("sql").Body(body);
            more?.Invoke(f);
        });

    /// <summary>A function read by a view, a column default and a check.</summary>
    private static Action<SchemaBuilder> TwiceWithReaders(ColumnType result, Action<FunctionBuilder>? more = null) => db =>
    {
        Twice(db, result: result, more: more);
        db.Table("items", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("price", Types.Integer);
        });
        db.View("doubled", "SELECT id, public.twice(price) AS double_price FROM public.items").DependsOn("items");
    };

    [Fact]
    public Task Creating_functions_of_every_shape_and_a_procedure() => RoundTripAsync(
        _ => { },
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok");
            db.Function("touch", f => f.Returns(Types.Raw("trigger")).Language("plpgsql")
                .Body("\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n"));
            db.Function("pair", f => f.Argument(null, Types.Integer).Out("a", Types.Integer).Out("b", mood).Immutable().Body("SELECT $1, 'ok'::mood"));
            db.Function("pair", f => f.Argument(null, Types.Text).Returns(Types.Text).Strict().ParallelSafe().Body("SELECT $1"));
            db.Function("series", f => f.Argument("n", Types.Integer, "3").ReturnsTable(("i", Types.Integer), ("label", Types.Text)).Rows(10).Cost(5)
                .Stable().Body("SELECT g, g::text FROM generate_series(1, n) g"));
            db.Function("ids", f => f.ReturnsSetOf(Types.BigInt).SecurityDefiner().Set("search_path", "public, pg_temp").Set("work_mem", "64MB")
                .Comment("every id").Body("SELECT 1::bigint"));
            db.Function("joined", f => f.Variadic("parts", Types.ArrayOf(Types.Text)).Returns(Types.Text).Body("SELECT array_to_string(parts, ',')"));
            db.Procedure("archive", p => p.Argument("before", Types.Date).InOut("moved", Types.Integer).Language("plpgsql").Comment("moves rows")
                .Body("BEGIN moved := 0; END"));
            db.Schema("billing").Function("Total \"gross\"", f => f.Argument("amount", Types.Numeric(12, 2)).Returns(Types.Numeric()).Body("SELECT amount * 1.2"));
        });

    [Fact]
    public Task A_sql_function_reads_a_table_the_same_migration_creates_and_a_default_calls_it() => RoundTripAsync(
        _ => { },
        db =>
        {
            db.Function("next_code", f => f.Returns(Types.Text).Language("sql").Body("SELECT 'c' || count(*) FROM public.codes"));
            db.Table("codes", t => t.Column("code", Types.Text).DefaultSql("public.next_code()"));
        });

    [Fact]
    public Task Replacing_the_body_and_the_volatility_keeps_the_function_and_its_view() => RoundTripAsync(
        TwiceWithReaders(Types.Integer),
        db =>
        {
            TwiceWithReaders(Types.Integer, f => f.Immutable().Body("SELECT n + n"))(db);
        });

    [Fact]
    public Task Adding_a_default_and_a_comment_replaces_in_place() => RoundTripAsync(
        db => Twice(db),
        db => db.Function("twice", f => f.Argument("n", Types.Integer, "1").Returns(Types.Integer).Body("SELECT n * 2").Comment("doubles")));

    [Fact]
    public Task Changing_the_return_type_drops_and_creates_the_function_with_the_view_that_reads_it() => RoundTripAsync(
        TwiceWithReaders(Types.Integer),
        TwiceWithReaders(Types.BigInt));

    /// <summary>An immutable function called by a column default, a check, an expression index, a partial index's predicate, a generated column and a policy.</summary>
    private static Action<SchemaBuilder> TwiceInExpressions(ColumnType result) => db =>
    {
        Twice(db, result: result, more: f => f.Immutable());
        db.Table("orders", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("qty", Types.Integer).DefaultSql("public.twice(1)");
            t.Column("note", Types.Text);
            t.Check("qty_even", "public.twice(qty) >= qty");
            t.Index(IndexKey.Expression("public.twice(qty)")).Named("orders_twice_qty");
            t.Index("note").Named("orders_big").Where("public.twice(qty) > 10");
            t.Column("doubled", Types.Integer).GeneratedAs("public.twice(qty)");
            t.RowLevelSecurity();
            t.Policy("orders_small", p => p.Using("public.twice(qty) < 100"));
        });
    };

    [Fact]
    public Task Changing_the_return_type_rebuilds_the_default_check_indexes_generated_column_and_policy_that_call_the_function() => RoundTripAsync(
        TwiceInExpressions(Types.Integer),
        TwiceInExpressions(Types.BigInt));

    /// <summary>SQL-standard bodies, which PostgreSQL parses at CREATE: one reads a table, one another function, and a view calls one.</summary>
    private static Action<SchemaBuilder> StandardBodies(string total) => db =>
    {
        db.Table("counts", t => t.Column("n", Types.Integer));
        db.Function("plus_one", f => f.Argument("a", Types.Integer).Returns(Types.Integer).Immutable().Body("RETURN a + 1"));
        db.Function("total", f => f.Returns(Types.BigInt).Stable().Body(total));
        db.Procedure("forget", p => p.Language("sql").Body("BEGIN ATOMIC\n  DELETE FROM public.counts;\nEND"));
        db.View("next_counts", "SELECT public.plus_one(n) AS next FROM public.counts").DependsOn("counts");
    };

    [Fact]
    public Task Sql_standard_bodies_are_created_after_what_they_read_and_dropped_before_it() => RoundTripAsync(
        _ => { },
        StandardBodies("BEGIN ATOMIC\n  SELECT sum(public.plus_one(n)) FROM public.counts;\nEND"));

    [Fact]
    public Task A_sql_standard_body_is_replaced_in_place() => RoundTripAsync(
        StandardBodies("BEGIN ATOMIC\n  SELECT sum(public.plus_one(n)) FROM public.counts;\nEND"),
        StandardBodies("RETURN (SELECT count(*) FROM public.counts)"));

    [Fact]
    public Task Renaming_a_function_and_dropping_an_overload_and_a_procedure() => RoundTripAsync(
        db =>
        {
            Twice(db);
            db.Function("twice", f => f.Argument("s", Types.Text).Returns(Types.Text).Body("SELECT s || s"));
            db.Procedure("noop", p => p.Body("SELECT 1"));
        },
        db => db.Function("double_it", f => f.Argument("n", Types.Integer).Returns(Types.Integer).Language("sql").Body("SELECT n * 2")));

    [Fact]
    public Task A_function_over_an_enum_is_dropped_before_the_enum_and_created_after_it() => RoundTripAsync(
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok");
            db.Function("is_ok", f => f.Argument("m", mood).Returns(Types.Boolean).Body("SELECT m = 'ok'"));
        },
        _ => { });

    [Fact]
    public Task A_function_returning_a_table_s_rows_is_created_after_the_table_and_dropped_before_it() => RoundTripAsync(
        _ => { },
        db =>
        {
            var app = db.Schema("app");
            app.Table("accounts", t => t.Column("id", Types.Integer).PrimaryKey());
            app.Function("accounts_from", f => f.Argument("min_id", Types.Integer).ReturnsSetOf(Types.Raw("app.accounts")).Stable()
                .Body("SELECT * FROM app.accounts WHERE id >= min_id"));
        });

    [Fact]
    public Task A_function_moves_with_its_renamed_schema() => RoundTripAsync(
        db => db.Schema("billing").Function("fee", f => f.Returns(Types.Integer).Body("SELECT 1")),
        db => db.Schema("accounts").Function("fee", f => f.Returns(Types.Integer).Body("SELECT 1")),
        new RenameDecisions([new Rename(ObjectKind.Schema, "billing", "accounts")], []));
}

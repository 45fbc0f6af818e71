using Strata.CodeGeneration;
using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;
using Strata.Snapshots;
using Strata.Tests.CodeGeneration;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>Functions and procedures through the DSL, the validator, the snapshot, pull's C#, the differ and the SQL (the PostgreSQL round trips are in the integration tests' FunctionScenarios).</summary>
public class FunctionTests
{
    private static void Total(SchemaBuilder db)
    {
        var billing = db.Schema("billing");
        billing.Function("total", f => f.Argument("invoice", Types.BigInt).Argument("tax", Types.Numeric(5, 2), "0")
            .Returns(Types.Numeric(12, 2)).Language("sql").Stable().Strict().ParallelSafe()
            .Set("search_path", "billing, pg_temp").Comment("an invoice's total")
            .Body("SELECT sum(amount) * (1 + tax) FROM billing.lines WHERE invoice_id = invoice"));
    }

    private static void EveryShape(SchemaBuilder db)
    {
        Total(db);
        var mood = db.Enum("mood", "sad", "ok");
        db.Function("touch", f => f.Returns(Types.Raw("trigger")).Language("plpgsql").Body("BEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND"));
        db.Function("pair", f => f.Argument(null, Types.Integer).Out("a", Types.Integer).Out("b", mood).Immutable().Body("SELECT $1, 'ok'::mood"));
        db.Function("pair", f => f.Argument(null, Types.Text).Returns(Types.Text).Body("SELECT $1"));
        db.Function("series", f => f.Argument("n", Types.Integer).ReturnsTable(("i", Types.Integer), ("label", Types.Text)).Rows(10).Cost(5)
            .Body("SELECT g, g::text FROM generate_series(1, n) g"));
        db.Function("ids", f => f.ReturnsSetOf(Types.BigInt).Language("sql").SecurityDefiner().Body("SELECT 1::bigint"));
        db.Function("Quoted \"Name\"", f => f.Variadic("parts", Types.ArrayOf(Types.Text)).Returns(Types.Text).Body("SELECT array_to_string(parts, $$,$$)"));
        db.Procedure("archive", p => p.Argument("before", Types.Date).InOut("moved", Types.Integer).Language("plpgsql").Body("BEGIN moved := 0; END"));
    }

    [Fact]
    public void A_function_is_declared_on_a_scope_with_its_options_and_its_result_follows_from_its_out_arguments()
    {
        var model = Build(EveryShape).Normalize();

        var total = model.Functions.Single(f => f.Name == "total");
        Assert.Equal("total(bigint,numeric)", total.Signature);
        Assert.Equal(new Function("billing", "total",
            ValueList.Create(new FunctionArgument("invoice", Types.BigInt), new FunctionArgument("tax", Types.Numeric(), Default: "0")),
            Types.Numeric(), "sql", "SELECT sum(amount) * (1 + tax) FROM billing.lines WHERE invoice_id = invoice",
            Volatility: Volatility.Stable, Strict: true, Parallel: ParallelSafety.Safe,
            Settings: ValueList.Create(new FunctionSetting("search_path", "billing, pg_temp")), Comment: "an invoice's total"), total);
        var pairs = model.Functions.Where(f => f.Name == "pair").ToList();
        Assert.Equal(["pair(integer)", "pair(text)"], pairs.Select(f => f.Signature));
        Assert.Equal(Types.Raw("record"), pairs[0].Returns);
        var series = model.Functions.Single(f => f.Name == "series");
        Assert.True(series.ReturnsSet);
        Assert.Equal(Types.Raw("record"), series.Returns);
        Assert.Null(model.Functions.Single(f => f.Name == "archive").Returns);
        Assert.Equal(new FunctionReference("billing", "total"), new SchemaBuilder().Schema("billing").Function("total", f => f.Returns(Types.Integer).Body("SELECT 1")));
        Assert.Equal("\"Billing\".\"total\"(1)", new FunctionReference("Billing", "total").Call("1"));
    }

    [Fact]
    public void The_validator_refuses_what_postgresql_refuses_in_a_function_or_procedure_with_the_remedy()
    {
        var db = new SchemaBuilder();
        db.Function("no_result", f => f.Body("SELECT 1"));
        db.Function("gap", f => f.Argument("a", Types.Integer, "1").Argument("b", Types.Integer).Returns(Types.Integer).Body("SELECT a + b"));
        db.Function("twice_named", f => f.Argument("a", Types.Integer).Argument("a", Types.Text).Returns(Types.Integer).Body("SELECT 1"));
        db.Function("not_array", f => f.Variadic("a", Types.Integer).Returns(Types.Integer).Body("SELECT 1"));
        db.Function("rows_no_set", f => f.Returns(Types.Integer).Rows(5).Body("SELECT 1"));
        db.Function("out_mismatch", f => f.Out("a", Types.Integer).Returns(Types.Text).Body("SELECT 1"));
        db.Function("c_code", f => f.Returns(Types.Integer).Language("c").Body("twice"));
        db.Function("serial_arg", f => f.Argument("a", Types.Serial).Returns(Types.Integer).Body("SELECT 1"));
        db.Function("empty", f => f.Returns(Types.Integer).Body(" "));
        db.Function("dup", f => f.Argument("a", Types.Integer).Returns(Types.Integer).Body("SELECT 1"));
        db.Procedure("dup", p => p.Argument("b", Types.Integer).Body("SELECT 1"));
        db.Procedure("proc_result", p => p.Returns(Types.Integer).Stable().Body("SELECT 1"));

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.Contains("function public.no_result()") && e.Contains("has no result type; add .Returns(type)"));
        Assert.Contains(errors, e => e.Contains("gap(integer,integer)") && e.Contains("argument b: input arguments after one with a default must also have defaults"));
        Assert.Contains(errors, e => e.Contains("twice_named") && e.Contains("argument a: the name is used more than once"));
        Assert.Contains(errors, e => e.Contains("not_array") && e.Contains("a VARIADIC argument must be an array type"));
        Assert.Contains(errors, e => e.Contains("rows_no_set") && e.Contains("ROWS applies only to a function that returns a set"));
        Assert.Contains(errors, e => e.Contains("out_mismatch") && e.Contains("the result type must be integer because of the OUT arguments"));
        Assert.Contains(errors, e => e.Contains("c_code") && e.Contains("LANGUAGE c needs a compiled library"));
        Assert.Contains(errors, e => e.Contains("serial_arg") && e.Contains("is a column shorthand, not a type"));
        Assert.Contains(errors, e => e.Contains("empty()") && e.Contains("has an empty body"));
        Assert.Contains(errors, e => e.Contains("procedure public.dup(integer)") && e.Contains("is declared twice"));
        Assert.Contains(errors, e => e.Contains("proc_result") && e.Contains("a procedure has no result"));
        Assert.Contains(errors, e => e.Contains("proc_result") && e.Contains("a procedure takes no volatility"));
        Assert.Equal(12, errors.Count);

        // What PostgreSQL accepts passes: every shape above.
        Build(EveryShape);
    }

    [Fact]
    public void Functions_are_absent_from_a_snapshot_without_them_and_round_trip_with_their_defaults_left_out()
    {
        var old = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, Build(db => db.Table("t", t => t.Column("a", Types.Text))), []));
        Assert.DoesNotContain("functions", old);

        var model = Build(EveryShape).Normalize();
        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, model, []));

        Assert.Contains("\"functions\": [", json);
        Assert.Contains("\"volatility\": \"stable\"", json);
        Assert.Contains("\"kind\": \"procedure\"", json);
        Assert.DoesNotContain("\"volatility\": \"volatile\"", json);
        Assert.DoesNotContain("\"cost\": \"100\"", json);
        Assert.Equal(model, SnapshotSerializer.Deserialize(json, "snapshot.json").Schema);
    }

    [Fact]
    public void A_function_dropped_and_created_again_is_let_go_of_by_the_default_check_and_index_that_call_it_and_they_are_rebuilt_after()
    {
        static Action<SchemaBuilder> Schema(ColumnType result) => db =>
        {
            db.Function("twice", f => f.Argument("n", Types.Integer).Returns(result).Immutable().Body("SELECT n * 2"));
            db.Table("orders", t =>
            {
                t.Column("qty", Types.Integer).DefaultSql("public.twice(1)");
                t.Check("qty_even", "public.twice(qty) >= qty");
                t.Index(IndexKey.Expression("public.twice(qty)")).Named("orders_twice_qty");
            });
        };

        var sql = Up(Schema(Types.Integer), Schema(Types.BigInt));

        Assert.Equal("""
            DROP INDEX "public"."orders_twice_qty";
            ALTER TABLE "public"."orders" ALTER COLUMN "qty" DROP DEFAULT;
            ALTER TABLE "public"."orders" DROP CONSTRAINT "qty_even";
            DROP FUNCTION "public"."twice"(integer);
            SET LOCAL check_function_bodies = off;
            CREATE FUNCTION "public"."twice"("n" integer)
             RETURNS bigint
             LANGUAGE "sql" IMMUTABLE PARALLEL UNSAFE COST 100
            AS $$SELECT n * 2$$;
            ALTER TABLE "public"."orders" ALTER COLUMN "qty" SET DEFAULT public.twice(1);
            ALTER TABLE "public"."orders" ADD CONSTRAINT "qty_even" CHECK (public.twice(qty) >= qty);
            CREATE INDEX "orders_twice_qty" ON "public"."orders" USING btree ((public.twice(qty)));
            """, sql);
    }

    [Fact]
    public void Pull_writes_every_shape_back_as_the_dsl_that_builds_the_same_model_with_the_body_as_a_raw_literal()
    {
        var model = Build(EveryShape).Normalize();

        var code = string.Concat(CSharpSchemaWriter.Write(model, "App", "AppSchema").Select(f => f.Content));

        Assert.Contains("db.Function(\"touch\", f => f", code);
        Assert.Contains("db.Procedure(\"archive\", f => f", code);
        Assert.Contains("\"\"\"\n", code);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model]).Single());
    }

    [Fact]
    public void A_new_function_is_created_before_the_tables_under_check_function_bodies_off_and_dropped_after_its_readers()
    {
        var sql = Up(Empty, db =>
        {
            Total(db);
            db.Schema("billing").Table("lines", t =>
            {
                t.Column("invoice_id", Types.BigInt);
                t.Column("amount", Types.Numeric()).DefaultSql("billing.total(1)");
            });
        });

        Assert.Equal("""
            CREATE SCHEMA "billing";
            SET LOCAL check_function_bodies = off;
            CREATE FUNCTION "billing"."total"("invoice" bigint, "tax" numeric DEFAULT 0)
             RETURNS numeric
             LANGUAGE "sql" STABLE STRICT PARALLEL SAFE COST 100
             SET "search_path" TO 'billing', 'pg_temp'
            AS $$SELECT sum(amount) * (1 + tax) FROM billing.lines WHERE invoice_id = invoice$$;
            COMMENT ON FUNCTION "billing"."total"(bigint, numeric) IS 'an invoice''s total';
            """, string.Join("\n", sql.Split('\n').Take(8)));
        Assert.True(sql.IndexOf("CREATE FUNCTION", StringComparison.Ordinal) < sql.IndexOf("CREATE TABLE", StringComparison.Ordinal));

        var down = Up(db =>
        {
            Total(db);
            db.Schema("billing").Table("lines", t => t.Column("amount", Types.Numeric()).DefaultSql("billing.total(1)"));
        }, Empty);
        Assert.True(down.IndexOf("DROP TABLE", StringComparison.Ordinal) < down.IndexOf("DROP FUNCTION \"billing\".\"total\"(bigint, numeric);", StringComparison.Ordinal));
        Assert.True(down.IndexOf("DROP FUNCTION", StringComparison.Ordinal) < down.IndexOf("DROP SCHEMA", StringComparison.Ordinal));
    }

    [Fact]
    public void A_body_or_option_change_is_a_create_or_replace_and_a_return_type_change_a_drop_and_create_with_its_views()
    {
        static void Twice(SchemaBuilder db, string body, ColumnType result, bool stable = false) =>
            db.Function("twice", f =>
            {
                f.Argument("n", Types.Integer).Returns(result).Body(body);
                if (stable)
                    f.Stable();
            });

        var body = Up(db => Twice(db, "SELECT n * 2", Types.Integer), db => Twice(db, "SELECT n + n", Types.Integer, stable: true));
        Assert.Contains("CREATE OR REPLACE FUNCTION \"public\".\"twice\"(\"n\" integer)", body);
        Assert.Contains("STABLE", body);
        Assert.DoesNotContain("DROP FUNCTION", body);

        var retyped = Up(db =>
        {
            Twice(db, "SELECT n * 2", Types.Integer);
            db.View("doubled", "SELECT public.twice(1) AS d");
        }, db =>
        {
            Twice(db, "SELECT n * 2", Types.BigInt);
            db.View("doubled", "SELECT public.twice(1) AS d");
        });
        var order = new[] { "DROP VIEW", "DROP FUNCTION \"public\".\"twice\"(integer);", "CREATE FUNCTION \"public\".\"twice\"", "CREATE VIEW" }
            .Select(s => retyped.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public void CanReplace_follows_what_create_or_replace_refuses()
    {
        var original = new Function("public", "f", ValueList.Create(new FunctionArgument("a", Types.Integer, Default: "1")), Types.Integer, "sql", "SELECT a");
        Assert.True(DiffRunAccess.CanReplace(original, original with { Body = "SELECT a + 1", Volatility = Volatility.Immutable }));
        Assert.True(DiffRunAccess.CanReplace(original with { Arguments = ValueList.Create(new FunctionArgument(null, Types.Integer)) }, original));
        Assert.False(DiffRunAccess.CanReplace(original, original with { Returns = Types.BigInt }));
        Assert.False(DiffRunAccess.CanReplace(original, original with { ReturnsSet = true }));
        Assert.False(DiffRunAccess.CanReplace(original, original with { Arguments = ValueList.Create(new FunctionArgument("b", Types.Integer, Default: "1")) }));
        Assert.False(DiffRunAccess.CanReplace(original, original with { Arguments = ValueList.Create(new FunctionArgument("a", Types.Integer)) }));
        Assert.False(DiffRunAccess.CanReplace(original, original with { Kind = RoutineKind.Procedure }));
        var withOut = original with { Arguments = ValueList.Create(new FunctionArgument("a", Types.Integer), new FunctionArgument("x", Types.Integer, ArgumentMode.Out)) };
        Assert.False(DiffRunAccess.CanReplace(withOut, withOut with { Arguments = ValueList.Create(new FunctionArgument("a", Types.Integer), new FunctionArgument("y", Types.Integer, ArgumentMode.Out)) }));
    }

    [Fact]
    public void A_function_equal_but_for_its_name_is_renamed_without_a_decision_and_an_overload_is_its_own_object()
    {
        var renamed = Statements(
            db => db.Function("twice", f => f.Argument("n", Types.Integer).Returns(Types.Integer).Body("SELECT n * 2")),
            db => db.Function("double_it", f => f.Argument("n", Types.Integer).Returns(Types.Integer).Body("SELECT n * 2")));
        Assert.Equal("ALTER FUNCTION \"public\".\"twice\"(integer) RENAME TO \"double_it\";", Assert.Single(renamed).Sql);

        var overload = Up(
            db => db.Function("twice", f => f.Argument("n", Types.Integer).Returns(Types.Integer).Body("SELECT n * 2")),
            db =>
            {
                db.Function("twice", f => f.Argument("n", Types.Integer).Returns(Types.Integer).Body("SELECT n * 2"));
                db.Function("twice", f => f.Argument("n", Types.Text).Returns(Types.Text).Body("SELECT n || n"));
            });
        Assert.Contains("CREATE FUNCTION \"public\".\"twice\"(\"n\" text)", overload);
        Assert.DoesNotContain("DROP", overload);
    }

    [Fact]
    public void A_body_that_holds_two_dollars_gets_a_dollar_quote_it_does_not_hold()
    {
        var sql = Create(db => db.Function("f", f => f.Returns(Types.Text).Body("SELECT $$a$$ || $function$b$function$")));
        Assert.Contains("AS $function1$SELECT $$a$$ || $function$b$function$$function1$;", sql);
    }
}

/// <summary>The differ's replace rule, which is internal to the library.</summary>
internal static class DiffRunAccess
{
    public static bool CanReplace(Function from, Function to) => DiffRun.CanReplace(from, to);
}

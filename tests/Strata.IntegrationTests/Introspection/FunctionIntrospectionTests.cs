using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;
using Strata.Tests.CodeGeneration;

namespace Strata.IntegrationTests.Introspection;

/// <summary>Functions and procedures read back from PostgreSQL: what the DSL declares, what a hand-written database holds, and what the model leaves out.</summary>
public sealed class FunctionIntrospectionTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static DatabaseModel EveryShape()
    {
        var db = new SchemaBuilder();
        var mood = db.Enum("mood", "sad", "ok");
        db.Function("touch", f => f.Returns(Types.Raw("trigger")).Language("plpgsql").Body("\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n"));
        db.Function("pair", f => f.Argument(null, Types.Integer).Out("a", Types.Integer).Out("b", mood).Immutable().Body("SELECT $1, 'ok'::mood"));
        db.Function("pair", f => f.Argument(null, Types.Text).Returns(Types.Text).Strict().ParallelRestricted().Leakproof().Body("SELECT $1"));
        db.Function("series", f => f.Argument("n", Types.Integer, "3").ReturnsTable(("i", Types.Integer), ("label", Types.Text)).Rows(10).Cost(5)
            .Stable().Body("SELECT g, g::text FROM generate_series(1, n) g"));
        db.Function("ids", f => f.ReturnsSetOf(Types.BigInt).SecurityDefiner().Set("search_path", "public, pg_temp").Set("work_mem", "64MB")
            .Comment("every id").Body("SELECT 1::bigint"));
        db.Function("joined", f => f.Variadic("parts", Types.ArrayOf(Types.Text)).Returns(Types.Text).Body("SELECT array_to_string(parts, ',')"));
        db.Function("moods", f => f.Argument("m", Types.ArrayOf(mood)).Returns(mood).Body("SELECT m[1]"));
        db.Procedure("archive", p => p.Argument("before", Types.Date).InOut("moved", Types.Integer).Language("plpgsql").Comment("moves rows")
            .Body("BEGIN moved := 0; END"));
        db.Schema("billing").Function("Total \"gross\"", f => f.Argument("amount", Types.Numeric(12, 2)).Returns(Types.Numeric()).Body("SELECT amount * 1.2"));
        return db.Build().Normalize();
    }

    private async Task<DatabaseModel> ReadAsync(string prefix, string script)
    {
        await using var database = await fixture.CreateDatabaseAsync(prefix, script);
        await using var connection = await database.OpenConnectionAsync();
        return await PostgresIntrospector.ReadAsync(connection);
    }

    [Fact]
    public async Task Every_shape_the_dsl_declares_reads_back_as_the_same_functions()
    {
        var model = EveryShape();
        var script = "BEGIN;\n" + string.Join("\n", PostgresSqlGenerator.CreateAll(model).Select(s => s.Sql)) + "\nCOMMIT;";

        var read = await ReadAsync("functions_dsl", script);

        Assert.Equal(model.Functions.Select(f => f.Signature), read.Functions.Select(f => f.Signature));
        foreach (var (expected, actual) in model.Functions.Zip(read.Functions))
            Assert.Equal(expected, actual);
        Assert.True(SchemaDiffer.Diff(read, model, RenameDecisions.None).IsEmpty);
    }

    [Fact]
    public async Task A_hand_written_database_pulls_into_csharp_that_builds_the_same_model_and_the_rest_is_named_as_not_carried()
    {
        var read = await ReadAsync("functions_pull", """
            CREATE SCHEMA app;
            CREATE TABLE app.accounts (id integer PRIMARY KEY, updated_at timestamptz);
            CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
              NEW.updated_at := now();   -- "quoted" and $$dollars$$
              RETURN NEW;
            END
            $body$;
            CREATE FUNCTION app.add(a integer, b integer DEFAULT 1) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT a + b';
            CREATE FUNCTION app.add(a numeric, b numeric) RETURNS numeric LANGUAGE sql COST 3 AS 'SELECT a + b';
            CREATE FUNCTION app.accounts_of(min_id integer) RETURNS SETOF app.accounts LANGUAGE sql STABLE ROWS 50 AS 'SELECT * FROM app.accounts WHERE id >= min_id';
            CREATE PROCEDURE app.clean(OUT removed integer) LANGUAGE plpgsql SET search_path = app, pg_temp AS $$ BEGIN removed := 0; END $$;
            COMMENT ON FUNCTION app.add(integer, integer) IS 'adds';
            CREATE FUNCTION app.standard(a integer) RETURNS integer LANGUAGE sql RETURN a + 1;
            CREATE FUNCTION app.absolute(integer) RETURNS integer LANGUAGE internal STRICT AS 'int4abs';
            CREATE AGGREGATE app.total(integer) (SFUNC = int4pl, STYPE = integer);
            """);

        Assert.Equal(["accounts_of(integer)", "add(integer,integer)", "add(numeric,numeric)", "clean()", "standard(integer)", "touch()"], read.Functions.Select(f => f.Signature));
        // An aggregate is a kind of its own, not a function.
        Assert.Equal([new Aggregate("app", "total", "integer", "SFUNC = int4pl, STYPE = integer")], read.Aggregates);
        var touch = read.Functions.Single(f => f.Name == "touch");
        Assert.Equal("\nBEGIN\n  NEW.updated_at := now();   -- \"quoted\" and $$dollars$$\n  RETURN NEW;\nEND\n", touch.Body);
        var add = read.Functions.Single(f => f.Signature == "add(integer,integer)");
        Assert.Equal("1", add.Arguments[1].Default);
        Assert.Equal("adds", add.Comment);
        Assert.Equal(3m, read.Functions.Single(f => f.Signature == "add(numeric,numeric)").Cost);
        var accountsOf = read.Functions.Single(f => f.Name == "accounts_of");
        Assert.Equal((50m, true), (accountsOf.Rows!.Value, accountsOf.ReturnsSet));
        var clean = read.Functions.Single(f => f.Name == "clean");
        Assert.Equal(RoutineKind.Procedure, clean.Kind);
        Assert.Equal(ArgumentMode.Out, clean.Arguments.Single().Mode);
        Assert.Equal([new FunctionSetting("search_path", "app, pg_temp")], clean.Settings);

        // Pull's C# builds the same model, and a migration of it recreates the same database.
        Assert.Equal(read, GeneratedSchemas.RoundTrip([read]).Single());
        var rebuilt = await ReadAsync("functions_rebuilt", "BEGIN;\n" + string.Join("\n", PostgresSqlGenerator.CreateAll(read).Select(s => s.Sql)) + "\nCOMMIT;");
        Assert.Equal(read.Functions, rebuilt.Functions);

        await using var database = await fixture.CreateDatabaseAsync("functions_unmodelled", """
            CREATE FUNCTION kept() RETURNS integer LANGUAGE sql AS 'SELECT 1';
            CREATE FUNCTION absolute(integer) RETURNS integer LANGUAGE internal STRICT AS 'int4abs';
            CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer);
            """);
        await using var connection = await database.OpenConnectionAsync();
        var unmodelled = await UnmodelledObjects.ReadAsync(connection, new IntrospectionOptions());
        Assert.Equal(
        [
            ("function", "public.absolute(integer)", "LANGUAGE internal (a compiled library)"),
        ], unmodelled.Where(u => u.Kind is "function" or "aggregate" or "procedure").OrderBy(u => u.Kind == "aggregate").ThenBy(u => u.Name, StringComparer.Ordinal)
            .Select(u => (u.Kind, u.Name, u.Detail)));
    }

    [Fact]
    public async Task Sql_standard_bodies_are_read_as_PostgreSQL_prints_them_and_pull_s_CSharp_and_a_migration_rebuild_them()
    {
        var read = await ReadAsync("functions_standard", """
            CREATE TABLE counts (n integer);
            CREATE FUNCTION plus_one(a integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN a+1;
            CREATE FUNCTION record_count(a integer) RETURNS integer LANGUAGE sql
            BEGIN ATOMIC
              INSERT INTO counts VALUES (a);
              SELECT plus_one(a);
            END;
            CREATE PROCEDURE forget() LANGUAGE sql BEGIN ATOMIC DELETE FROM counts; END;
            CREATE VIEW next_counts AS SELECT plus_one(n) AS next FROM counts;
            """);

        var plusOne = read.Functions.Single(f => f.Name == "plus_one");
        Assert.Equal("RETURN (a + 1)", plusOne.Body);
        Assert.True(plusOne.HasStandardBody);
        var recordCount = read.Functions.Single(f => f.Name == "record_count");
        Assert.StartsWith("BEGIN ATOMIC\n INSERT INTO ", recordCount.Body, StringComparison.Ordinal);
        Assert.EndsWith("END", recordCount.Body, StringComparison.Ordinal);
        Assert.True(read.Functions.Single(f => f.Name == "forget").HasStandardBody);

        // Pull's C# builds the same model, and a migration of it (the functions after the table they read, before the view) recreates it.
        Assert.Equal(read, GeneratedSchemas.RoundTrip([read]).Single());
        var statements = PostgresSqlGenerator.CreateAll(read).Select(s => s.Sql).ToList();
        Assert.DoesNotContain(statements, s => s.Contains("check_function_bodies", StringComparison.Ordinal));
        var rebuilt = await ReadAsync("functions_standard_rebuilt", "BEGIN;\n" + string.Join("\n", statements) + "\nCOMMIT;");
        Assert.Equal(read.Functions, rebuilt.Functions);
        Assert.Equal(read.Views, rebuilt.Views);
    }
}

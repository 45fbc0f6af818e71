using Npgsql;
using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Execution;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;
using Strata.Testing;

namespace Strata.IntegrationTests.Comparison;

/// <summary>Domains against databases with rows: migrations, push, the drift check and the introspector.</summary>
public sealed class DomainComparisonTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Tracking = new("strata", "__strata_migrations");

    private static LiveDatabase Live(TestDatabase database) =>
        new(database.DataSource, new NpgsqlConnectionStringBuilder(database.ConnectionString), database.Name);

    private static DatabaseModel Build(Action<SchemaBuilder> define)
    {
        var builder = new SchemaBuilder();
        define(builder);
        return builder.Build();
    }

    private static string Sql(IEnumerable<SqlStatement> statements) => string.Join("\n", statements.Select(s => s.Sql));

    private static Action<SchemaBuilder> Codes(ColumnType baseType, Action<DomainBuilder>? define = null) => db =>
    {
        var code = db.Domain("code", baseType, d => { d.Check("VALUE <> ''"); define?.Invoke(d); });
        db.Table("items", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("code", code).Default("a");
            t.Column("codes", Types.ArrayOf(code));
        });
        db.View("item_codes", "SELECT id, code FROM items").DependsOn("items");
    };

    private const string Rows = "INSERT INTO items VALUES (1, 'abc', '{x,yz}'), (2, 'hello', NULL);";

    [Fact]
    public async Task A_base_type_change_converts_the_rows_up_and_down_and_a_narrowing_one_is_marked_as_data_loss()
    {
        var (a, b) = (Build(Codes(Types.Varchar(20))), Build(Codes(Types.Text, d => d.Collate("C"))));
        await using var database = await fixture.CreateDatabaseAsync("dom_rows", Sql(PostgresSqlGenerator.CreateAll(a)) + "\n" + Rows);
        var up = PostgresSqlGenerator.Generate(SchemaDiffer.Diff(a, b, RenameDecisions.None));
        var down = PostgresSqlGenerator.Generate(SchemaDiffer.Diff(b, a, RenameDecisions.None));

        await database.ExecuteAsync(Sql(up));
        Assert.Equal("text", await database.ScalarAsync<string>("SELECT format_type(typbasetype, typtypmod) FROM pg_type WHERE typname = 'code'"));
        Assert.Equal("abc|{x,yz};hello|", await database.ScalarAsync<string>("SELECT string_agg(code || '|' || coalesce(codes::text, ''), ';' ORDER BY id) FROM item_codes JOIN items USING (id, code)"));
        await database.ExecuteAsync(Sql(down));
        Assert.Equal("character varying(20)", await database.ScalarAsync<string>("SELECT format_type(typbasetype, typtypmod) FROM pg_type WHERE typname = 'code'"));
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM items WHERE code IN ('abc', 'hello')"));
        await using (var connection = await database.DataSource.OpenConnectionAsync())
            Assert.True(SchemaDiffer.Diff(await PostgresIntrospector.ReadAsync(connection), await PrintedAsync(database, a), RenameDecisions.None).IsEmpty);

        // varchar(3): PostgreSQL's cast to a shorter varchar truncates ('hello' becomes 'hel'): marked, so push and migrate ask first.
        var narrowing = PostgresSqlGenerator.Generate(SchemaDiffer.Diff(a, Build(Codes(Types.Varchar(3))), RenameDecisions.None));
        Assert.Contains(narrowing, s => s.DataLoss?.Contains("domain public.code from varchar(20) to varchar(3)") == true);
        // push counts the rows at stake in the tables whose columns the re-creation converts.
        var losses = await SchemaPush.DataLossAsync(database.DataSource, SchemaPush.Plan(SchemaDiffer.Diff(a, Build(Codes(Types.Varchar(3))), RenameDecisions.None)), default);
        var loss = Assert.Single(losses);
        Assert.Equal((new QualifiedName("public", "items"), 2L), (loss.Table, loss.Rows));
    }

    [Fact]
    public async Task A_check_or_not_null_that_existing_rows_break_fails_the_migration_and_changes_nothing()
    {
        var a = Build(db => { var code = db.Domain("code", Types.Text); db.Table("items", t => { t.Column("id", Types.Integer); t.Column("code", code); }); });
        await using var database = await fixture.CreateDatabaseAsync("dom_fail", Sql(PostgresSqlGenerator.CreateAll(a)) + "\nINSERT INTO items VALUES (1, ''), (2, NULL);");
        var b = Build(db => { var code = db.Domain("code", Types.Text, d => d.NotNull().Check("VALUE <> ''")); db.Table("items", t => { t.Column("id", Types.Integer); t.Column("code", code); }); });
        var up = Sql(PostgresSqlGenerator.Generate(SchemaDiffer.Diff(a, b, RenameDecisions.None)));

        var error = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync("BEGIN;\n" + up + "\nCOMMIT;"));

        // PostgreSQL checks every column of the domain when a constraint is added, and refuses: no row is changed.
        Assert.True(error.SqlState is "23514" or "23502", error.ToString());
        await database.ExecuteAsync("ROLLBACK");
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contypid = 'public.code'::regtype"));
        Assert.Equal(2L, await database.CountRowsAsync("public.items"));
    }

    [Fact]
    public async Task Push_turns_a_text_column_with_rows_into_a_domain_and_then_finds_nothing_to_do()
    {
        await using var database = await fixture.CreateDatabaseAsync("dom_push", """
            CREATE TABLE items (id integer PRIMARY KEY, code text DEFAULT 'a', codes text[]);
            INSERT INTO items VALUES (1, 'abc', '{x,yz}'), (2, 'hello', NULL);
            """);
        var schema = Build(db =>
        {
            var code = db.Domain("code", Types.Text, d => d.Check("VALUE <> ''").Check("length(VALUE) < 10", "code_short").Default("z").Comment("a code"));
            db.Table("items", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("code", code).Default("a");
                t.Column("codes", Types.ArrayOf(code));
            });
        });

        var (expected, live) = await SchemaPush.CompareAsync(Live(database), schema, Tracking, new IntrospectionOptions(), null, _ => { }, default);
        var plan = SchemaPush.Plan(SchemaDiffer.Diff(live, expected, RenameDecisions.None));
        await SchemaPush.ApplyAsync(database.DataSource, SchemaPush.Script(plan.Statements), new SessionTimeouts(TimeSpan.FromMinutes(1), null), default);
        var (after, liveAfter) = await SchemaPush.CompareAsync(Live(database), schema, Tracking, new IntrospectionOptions(), null, _ => { }, default);

        Assert.Contains(plan.Statements, s => s.Sql.StartsWith("CREATE DOMAIN \"public\".\"code\" AS text DEFAULT 'z'", StringComparison.Ordinal));
        Assert.Contains(plan.Statements, s => s.Sql == "ALTER TABLE \"public\".\"items\" ALTER COLUMN \"code\" TYPE \"public\".\"code\" USING \"code\"::\"public\".\"code\";");
        Assert.True(SchemaDiffer.Diff(liveAfter, after, RenameDecisions.None).IsEmpty, string.Join("\n", SchemaDiffer.Diff(liveAfter, after, RenameDecisions.None).Changes));
        Assert.Equal("abc;hello", await database.ScalarAsync<string>("SELECT string_agg(code, ';' ORDER BY id) FROM items"));
        Assert.Equal("code[]", await database.ScalarAsync<string>("SELECT format_type(atttypid, NULL) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'codes'"));
    }

    // The live side knows what its view reads (pg_depend): the view that only names the enum is rebuilt around
    // its re-creation from the recorded reads, not from its text.
    [Fact]
    public async Task Push_re_creates_an_enum_that_a_view_reads_only_by_naming_it()
    {
        await using var database = await fixture.CreateDatabaseAsync("dom_push_view", """
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'gone');
            CREATE TABLE t (id integer);
            CREATE VIEW v AS SELECT id, 'ok'::mood AS m FROM t;
            INSERT INTO t VALUES (1);
            """);
        var schema = Build(db =>
        {
            db.Enum("mood", "sad", "ok");
            db.Table("t", t => t.Column("id", Types.Integer));
            db.View("v", "SELECT id, 'ok'::mood AS m FROM t").DependsOn("t");
        });

        var (expected, live) = await SchemaPush.CompareAsync(Live(database), schema, Tracking, new IntrospectionOptions(), null, _ => { }, default);
        Assert.True(live.Views.Single().Reads.ReadsType(new QualifiedName("public", "mood")), live.Views.Single().Reads.ToString());
        var plan = SchemaPush.Plan(SchemaDiffer.Diff(live, expected, RenameDecisions.None));
        await SchemaPush.ApplyAsync(database.DataSource, SchemaPush.Script(plan.Statements), new SessionTimeouts(TimeSpan.FromMinutes(1), null), default);
        var (after, liveAfter) = await SchemaPush.CompareAsync(Live(database), schema, Tracking, new IntrospectionOptions(), null, _ => { }, default);

        Assert.True(SchemaDiffer.Diff(liveAfter, after, RenameDecisions.None).IsEmpty, string.Join("\n", SchemaDiffer.Diff(liveAfter, after, RenameDecisions.None).Changes));
        Assert.Equal("{sad,ok}", await database.ScalarAsync<string>("SELECT enum_range(NULL::mood)::text"));
        Assert.Equal("ok", await database.ScalarAsync<string>("SELECT m::text FROM v"));
    }

    [Fact]
    public async Task The_drift_check_names_a_domain_changed_by_hand()
    {
        var schema = Build(db =>
        {
            var code = db.Domain("code", Types.Text, d => d.Check("VALUE <> ''").NotNull());
            db.Table("items", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("code", code); });
        });
        await using var target = await fixture.CreateDatabaseAsync("dom_drift");
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        await MigrationWriter.WriteBaselineAsync(directory, "0000_baseline", schema, [], default);
        directory = await MigrationDirectory.LoadAsync(folder.Path);
        var migrations = MigrationSource.FromDirectory(directory);
        await new Migrator(target.DataSource, migrations, new MigratorOptions { HistoryTable = Tracking }).ApplyAsync();

        var clean = await DriftCheck.CompareAsync(Live(target), "test", directory, migrations, Tracking, new IntrospectionOptions(), null, _ => { }, default);
        await target.ExecuteAsync("ALTER DOMAIN code DROP CONSTRAINT code_check; ALTER DOMAIN code DROP NOT NULL; CREATE DOMAIN extra AS integer;");
        var drifted = await DriftCheck.CompareAsync(Live(target), "test", directory, migrations, Tracking, new IntrospectionOptions(), null, _ => { }, default);

        Assert.True(clean.Matches, string.Join("; ", clean.Changes.Select(c => c.ToString())));
        Assert.False(drifted.Matches);
        // What the database has that the migrations did not make, as changes from the expected schema.
        Assert.Contains(drifted.Changes, c => c is DropDomainCheck { Check.Name: "code_check" });
        Assert.Contains(drifted.Changes, c => c is AlterDomain { Changes: DomainChanges.NotNull, To.NotNull: false });
        Assert.Contains(drifted.Changes, c => c is CreateDomain { Domain.Name: "extra" });
        Assert.Equal(3, drifted.Changes.Count);
    }

    [Fact]
    public async Task The_introspector_reads_domains_their_checks_and_the_columns_that_use_them_and_a_check_on_no_column()
    {
        await using var database = await fixture.CreateDatabaseAsync("dom_read", """
            CREATE TYPE mood AS ENUM ('sad', 'ok');
            CREATE SCHEMA billing;
            CREATE DOMAIN billing.email AS varchar(320) COLLATE "C" DEFAULT 'x@y.z' NOT NULL
                CONSTRAINT email_at CHECK (VALUE ~ '@') CONSTRAINT email_short CHECK (length(VALUE) < 100);
            COMMENT ON DOMAIN billing.email IS 'an address';
            CREATE DOMAIN known_mood AS mood[] DEFAULT '{ok}';
            CREATE DOMAIN positive AS numeric(10,2) CHECK (VALUE > 0);
            CREATE TABLE people (email billing.email, history billing.email[], moods known_mood, n positive DEFAULT 1, CONSTRAINT never CHECK (false));
            """);
        await using var connection = await database.DataSource.OpenConnectionAsync();

        var model = await PostgresIntrospector.ReadAsync(connection);

        Assert.Equal([
            new Domain("billing", "email", new ColumnType(TypeKind.Varchar, Length: 320), NotNull: true, Default: "'x@y.z'",
                Checks: ValueList.Create(new CheckConstraint("email_at", "VALUE::text ~ '@'::text"), new CheckConstraint("email_short", "length(VALUE::text) < 100")),
                Collation: "C", Comment: "an address"),
            new Domain("public", "known_mood", new ColumnType(TypeKind.Enum, EnumName: new QualifiedName("public", "mood"), ArrayDimensions: 1), Default: "'{ok}'"),
            new Domain("public", "positive", new ColumnType(TypeKind.Numeric, Precision: 10, Scale: 2), Checks: ValueList.Create(new CheckConstraint("positive_check", "VALUE > 0::numeric"))),
        ], model.Domains);
        var people = model.FindTable(new QualifiedName("public", "people"))!;
        Assert.Equal(new ColumnType(TypeKind.Domain, DomainName: new QualifiedName("billing", "email")), people.FindColumn("email")!.Type);
        Assert.Equal(new ColumnType(TypeKind.Domain, DomainName: new QualifiedName("billing", "email"), ArrayDimensions: 1), people.FindColumn("history")!.Type);
        Assert.Equal("1", people.FindColumn("n")!.Default);
        Assert.Equal(new CheckConstraint("never", "false"), Assert.Single(people.Checks));
        Assert.Empty(await UnmodelledObjects.ReadAsync(connection, new IntrospectionOptions(), default));
    }

    [Fact]
    public async Task A_domain_the_model_does_not_read_an_extensions_or_one_outside_the_selection_leaves_its_columns_a_raw_type()
    {
        await using var database = await fixture.CreateDatabaseAsync("dom_unread", """
            CREATE EXTENSION lo;
            CREATE SCHEMA shared;
            CREATE DOMAIN shared.email AS text CHECK (VALUE ~ '@');
            CREATE SCHEMA app;
            CREATE DOMAIN app.work_email AS shared.email;
            CREATE TABLE app.users (id int PRIMARY KEY, email shared.email, emails shared.email[], work app.work_email, photo lo);
            """);
        await using var connection = await database.DataSource.OpenConnectionAsync();

        var model = await PostgresIntrospector.ReadAsync(connection, new IntrospectionOptions { IncludeSchemas = ["app"] });

        // lo belongs to the extension and shared.email to a schema not read: neither is in the model, so the
        // columns keep the types as PostgreSQL writes them (a C# schema naming an undeclared domain is refused).
        var users = model.FindTable(new QualifiedName("app", "users"))!;
        Assert.Equal(Types.Raw("shared.email"), users.FindColumn("email")!.Type);
        Assert.Equal(Types.Raw("shared.email") with { ArrayDimensions = 1 }, users.FindColumn("emails")!.Type);
        Assert.Equal(Types.Raw("lo"), users.FindColumn("photo")!.Type);
        Assert.Equal(new ColumnType(TypeKind.Domain, DomainName: new QualifiedName("app", "work_email")), users.FindColumn("work")!.Type);
        Assert.Equal(Types.Raw("shared.email"), Assert.Single(model.Domains).BaseType);
    }

    private static async Task<DatabaseModel> PrintedAsync(TestDatabase database, DatabaseModel declared) =>
        (await ScratchDatabase.AsPrintedAsync(Live(database), declared, new IntrospectionOptions(), "strata_domtest_", cacheFolder: null, default))!;
}

using Npgsql;
using Strata.Diffing;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Execution;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Testing;

namespace Strata.IntegrationTests.Comparison;

/// <summary>The comparison library on its own, without the CLI: live reads, printed forms, drift and push.</summary>
public sealed class ComparisonLibraryTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Tracking = new("strata", "__strata_migrations");
    private static readonly QualifiedName Users = new("public", "users");

    private const string UsersSql = """
        CREATE TABLE public.users (
            id integer PRIMARY KEY,
            email varchar(100) NOT NULL,
            CONSTRAINT users_email_lower CHECK (email = lower(email))
        );
        CREATE INDEX users_email_idx ON public.users (lower(email));
        """;

    private static LiveDatabase Live(TestDatabase database) =>
        new(database.DataSource, new NpgsqlConnectionStringBuilder(database.ConnectionString), database.Name);

    [Fact]
    public async Task The_live_read_leaves_out_exactly_the_tracking_table_wherever_it_lives()
    {
        await using var database = await fixture.CreateDatabaseAsync("cmp_live", UsersSql + """
            CREATE TABLE public.__strata_migrations (id text);
            CREATE SCHEMA strata;
            CREATE TABLE strata.__strata_migrations (id text);
            """);

        var inPublic = await Live(database).ReadAsync(new QualifiedName("public", "__strata_migrations"), new IntrospectionOptions(), default);
        var inStrata = await Live(database).ReadAsync(Tracking, new IntrospectionOptions(), default);

        Assert.Equal(["public.users", "strata.__strata_migrations"], inPublic.Tables.Select(t => t.QualifiedName.ToString()).Order());
        Assert.Contains("strata", inPublic.Schemas);
        Assert.Equal(["public.__strata_migrations", "public.users"], inStrata.Tables.Select(t => t.QualifiedName.ToString()).Order());
        Assert.DoesNotContain("strata", inStrata.Schemas);
    }

    [Fact]
    public async Task A_model_as_printed_takes_PostgreSQLs_form_of_its_expressions_and_leaves_no_scratch_database()
    {
        await using var database = await fixture.CreateDatabaseAsync("cmp_printed", UsersSql);
        var live = await Live(database).ReadAsync(Tracking, new IntrospectionOptions(), default);
        var printedCheck = live.FindTable(Users)!.Checks.Single().Expression;
        // As a C# schema writes it: PostgreSQL stores it parsed and prints it otherwise.
        var declared = live with
        {
            Tables = live.Tables.Select(t => t with { Checks = ValueList.Create(new CheckConstraint("users_email_lower", "email = lower(email)")) }).ToValueList(),
        };
        Assert.NotEqual("email = lower(email)", printedCheck);
        Assert.False(SchemaDiffer.Diff(live, declared, RenameDecisions.None).IsEmpty);

        var printed = await ScratchDatabase.AsPrintedAsync(Live(database), declared, new IntrospectionOptions(), "strata_cmptest_", cacheFolder: null, default);

        Assert.NotNull(printed);
        Assert.Equal(printedCheck, printed.FindTable(Users)!.Checks.Single().Expression);
        Assert.True(SchemaDiffer.Diff(live, printed, RenameDecisions.None).IsEmpty);
        Assert.Equal(0L, await database.ScratchDatabasesLeftAsync("strata_cmptest_"));
    }

    [Fact]
    public async Task Drift_is_none_after_migrating_and_names_what_was_changed_by_hand()
    {
        await using var source = await fixture.CreateDatabaseAsync("cmp_source", UsersSql);
        await using var target = await fixture.CreateDatabaseAsync("cmp_drift");
        using var folder = new TemporaryFolder();
        var model = await Live(source).ReadAsync(Tracking, new IntrospectionOptions(), default);
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        await MigrationWriter.WriteBaselineAsync(directory, "0000_baseline", model, [], default);
        directory = await MigrationDirectory.LoadAsync(folder.Path);
        var migrations = MigrationSource.FromDirectory(directory);
        await new Migrator(target.DataSource, migrations, new MigratorOptions { HistoryTable = Tracking }).ApplyAsync();
        var warnings = new List<string>();

        var clean = await DriftCheck.CompareAsync(Live(target), "test", directory, migrations, Tracking, new IntrospectionOptions(), null, warnings.Add, default);
        await target.ExecuteAsync("ALTER TABLE public.users ADD COLUMN nickname text; CREATE TABLE public.notes (id integer);");
        var drifted = await DriftCheck.CompareAsync(Live(target), "test", directory, migrations, Tracking, new IntrospectionOptions(), null, warnings.Add, default);

        Assert.True(clean.Matches, string.Join("; ", clean.Changes.Select(c => c.ToString())));
        Assert.Equal("0000_baseline", clean.ComparedWith);
        Assert.True(clean.TrackingTableExists);
        Assert.False(drifted.Matches);
        Assert.True(drifted.Exact);
        Assert.Empty(warnings);
        Assert.Empty(drifted.Pending);
        Assert.Empty(drifted.Problems);
        Assert.Contains(drifted.Changes, c => c is AddColumn { Column.Name: "nickname" } add && add.Table == Users);
        Assert.Contains(drifted.Changes, c => c is CreateTable { Table.Name: "notes" });
        Assert.Equal(2, drifted.Changes.Count);
        Assert.Equal(0L, await target.ScratchDatabasesLeftAsync("strata_check_"));
    }

    [Fact]
    public async Task Drift_names_pending_and_edited_migrations()
    {
        await using var target = await fixture.CreateDatabaseAsync("cmp_pending");
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        await MigrationWriter.WriteAsync(directory, "0000_first", null, DatabaseModel.Empty, RenameDecisions.None, "SELECT 1;\n", "SELECT 0;\n", default);
        directory = await MigrationDirectory.LoadAsync(folder.Path);
        await new Migrator(target.DataSource, MigrationSource.FromDirectory(directory), new MigratorOptions { HistoryTable = Tracking }).ApplyAsync();
        await File.WriteAllTextAsync(directory.Migrations[0].UpPath, "SELECT 2;\n");
        await MigrationWriter.WriteAsync(directory, "0001_second", await directory.LatestSnapshotAsync(), DatabaseModel.Empty, RenameDecisions.None, "SELECT 3;\n", "SELECT 0;\n", default);
        directory = await MigrationDirectory.LoadAsync(folder.Path);

        var drift = await DriftCheck.CompareAsync(Live(target), "test", directory, MigrationSource.FromDirectory(directory), Tracking,
            new IntrospectionOptions(), null, _ => { }, default);

        Assert.Equal(["0001_second"], drift.Pending);
        var problem = Assert.Single(drift.Problems);
        Assert.Contains("0000_first", problem);
        Assert.Contains("changed after it was applied", problem);
        Assert.Equal("0000_first", drift.ComparedWith);
        Assert.Empty(drift.Changes);
        Assert.False(drift.Matches);
    }

    [Fact]
    public async Task Push_plans_counts_the_rows_it_would_lose_and_applies_until_nothing_differs()
    {
        await using var database = await fixture.CreateDatabaseAsync("cmp_push", UsersSql + """
            ALTER TABLE public.users ADD COLUMN legacy text;
            INSERT INTO public.users (id, email, legacy) VALUES (1, 'a@example.com', 'x'), (2, 'b@example.com', 'y');
            """);
        var schema = await Live(database).ReadAsync(Tracking, new IntrospectionOptions(), default);
        schema = schema with
        {
            Tables = schema.Tables.Select(t => t with { Columns = t.Columns.Where(c => c.Name != "legacy").ToValueList() }).ToValueList(),
        };

        var (expected, live) = await SchemaPush.CompareAsync(Live(database), schema, Tracking, new IntrospectionOptions(), null, _ => { }, default);
        var plan = SchemaPush.Plan(SchemaDiffer.Diff(live, expected, RenameDecisions.None));
        var losses = await SchemaPush.DataLossAsync(database.DataSource, plan, default);
        await SchemaPush.ApplyAsync(database.DataSource, SchemaPush.Script(plan.Statements), new SessionTimeouts(TimeSpan.FromMinutes(1), null), default);
        var (after, liveAfter) = await SchemaPush.CompareAsync(Live(database), schema, Tracking, new IntrospectionOptions(), null, _ => { }, default);

        Assert.Equal(["ALTER TABLE \"public\".\"users\" DROP COLUMN \"legacy\";"], plan.Statements.Select(s => s.Sql));
        var loss = Assert.Single(losses);
        Assert.Equal(Users, loss.Table);
        Assert.Equal(2L, loss.Rows);
        Assert.Equal(["id", "email"], await database.ColumnNamesAsync(Users));
        Assert.Equal(2L, await database.CountRowsAsync(Users));
        Assert.True(SchemaDiffer.Diff(liveAfter, after, RenameDecisions.None).IsEmpty);
    }

    [Fact]
    public async Task Push_refuses_a_plan_that_loses_data_unless_the_loss_is_accepted_and_changes_nothing()
    {
        await using var database = await fixture.CreateDatabaseAsync("cmp_push_refused", UsersSql + """
            ALTER TABLE public.users ADD COLUMN legacy text;
            INSERT INTO public.users (id, email, legacy) VALUES (1, 'a@example.com', 'x');
            """);
        var schema = await Live(database).ReadAsync(Tracking, new IntrospectionOptions(), default);
        schema = schema with
        {
            Tables = schema.Tables.Select(t => t with { Columns = t.Columns.Where(c => c.Name != "legacy").ToValueList() }).ToValueList(),
        };
        var (expected, live) = await SchemaPush.CompareAsync(Live(database), schema, Tracking, new IntrospectionOptions(), null, _ => { }, default);
        var plan = SchemaPush.Plan(SchemaDiffer.Diff(live, expected, RenameDecisions.None));
        var timeouts = new SessionTimeouts(TimeSpan.FromMinutes(1), null);

        var refused = await Assert.ThrowsAsync<DataLossNotAcceptedException>(() => SchemaPush.ApplyAsync(database.DataSource, plan, timeouts, acceptDataLoss: false, default));

        Assert.True(plan.LosesData);
        Assert.False(plan.IsEmpty);
        Assert.Equal([plan.Statements[0].DataLoss!], refused.Losses);
        Assert.Equal(["id", "email", "legacy"], await database.ColumnNamesAsync(Users));

        await SchemaPush.ApplyAsync(database.DataSource, plan, timeouts, acceptDataLoss: true, default);

        Assert.Equal(["id", "email"], await database.ColumnNamesAsync(Users));
    }
}

/// <summary>A unique folder under the system temp directory, deleted with everything in it on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "strata-comparison-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}

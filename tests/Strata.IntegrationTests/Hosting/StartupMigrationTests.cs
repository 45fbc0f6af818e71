using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Strata.Hosting;
using Strata.Hosting.TestApp;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Migrations;
using Strata.Snapshots;
using Strata.Testing;

namespace Strata.IntegrationTests.Hosting;

/// <summary>Applications that migrate their database when they start: a generic host with AddStrataMigrations.</summary>
public sealed class StartupMigrationTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>, IDisposable
{
    private const string MigratorCategory = "Strata.Postgres.Migrations.Migrator";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "strata-hosting-" + Guid.NewGuid().ToString("N"));
    private string? _lastSnapshotId;

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Writes a hand-made migration (each string one statement) on top of the previous one, recorded in strata.sum.</summary>
    private async Task<Migration> AddMigrationAsync(string id, params string[] statements) =>
        await AddMigrationTextAsync(id, string.Join("\n--> statement-breakpoint\n", statements) + "\n");

    private async Task<Migration> AddMigrationTextAsync(string id, string upSql)
    {
        var directory = await MigrationDirectory.LoadAsync(_folder);
        var snapshot = new Snapshot(Snapshot.ComputeId(_lastSnapshotId, id, DatabaseModel.Empty), _lastSnapshotId, DatabaseModel.Empty, default);
        var migration = await directory.WriteMigrationAsync(id, upSql, "", snapshot);
        _lastSnapshotId = snapshot.Id;
        return migration;
    }

    /// <summary>
    /// An application as Program.cs builds it: Host.CreateApplicationBuilder, AddStrataMigrations first,
    /// then whatever else the test registers; its log goes to <paramref name="logs"/>.
    /// </summary>
    private static IHost BuildHost(LogCapture logs, Action<StrataMigrationOptions> configure, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddStrataMigrations(configure);
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>The test app's embedded migrations applied to <paramref name="database"/>.</summary>
    private static Action<StrataMigrationOptions> EmbeddedMigrations(TestDatabase database, Action<StrataMigrationOptions>? more = null) => o =>
    {
        o.ConnectionString = database.ConnectionString;
        o.FromAssembly(typeof(TestApp).Assembly);
        more?.Invoke(o);
    };

    /// <summary>The migrations written to this test's folder applied to <paramref name="database"/>.</summary>
    private Action<StrataMigrationOptions> FolderMigrations(TestDatabase database) => o =>
    {
        o.ConnectionString = database.ConnectionString;
        o.FromFolder(_folder);
    };

    private static async Task<IReadOnlyList<string>> AppliedIdsAsync(TestDatabase database) =>
        (await database.QueryAsync("SELECT id FROM strata.__strata_migrations ORDER BY id")).Select(r => (string)r[0]!).ToList();

    /// <summary>A project folder with strata.json (and a .env beside it), deleted after <paramref name="test"/>.</summary>
    private async Task WithProjectAsync(string strataJson, string dotEnv, Func<string, Task> test)
    {
        var project = _folder + "-project";
        Directory.CreateDirectory(project);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(project, "strata.json"), strataJson);
            await File.WriteAllTextAsync(Path.Combine(project, ".env"), dotEnv);
            await test(Path.Combine(project, "strata.json"));
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact]
    public async Task A_host_that_reads_strata_json_migrates_its_environments_database_into_its_tracking_table_under_its_timeouts()
    {
        await using var database = await fixture.CreateDatabaseAsync("hosting_config");
        await AddMigrationAsync("0000_settings",
            "CREATE TABLE seen AS SELECT current_setting('lock_timeout') AS lock_timeout, current_setting('statement_timeout') AS statement_timeout");
        var strataJson = $$"""
            {
              "schema": "App.Schema/App.Schema.csproj",
              "migrations": {{System.Text.Json.JsonSerializer.Serialize(_folder)}},
              "trackingTable": "ops.applied",
              "environments": {
                "production": { "url": "${APP_DATABASE}", "lockTimeout": "3s", "statementTimeout": "1min" }
              }
            }
            """;

        await WithProjectAsync(strataJson, $"APP_DATABASE=\"{database.ConnectionString}\"\n", async path =>
        {
            using var host = BuildHost(new LogCapture(), o => o.FromStrataConfig(path, environment: "production"));
            await host.StartAsync();
            await host.StopAsync();
        });

        // The tracking table strata migrate uses for this project, not the default one.
        Assert.Equal(["0000_settings"], (await database.QueryAsync("SELECT id FROM ops.applied")).Select(r => r[0]));
        Assert.False(await database.TableExistsAsync(new QualifiedName("strata", "__strata_migrations")));
        var seen = (await database.QueryAsync("SELECT lock_timeout, statement_timeout FROM seen")).Single();
        Assert.Equal(["3s", "1min"], seen);
    }

    [Fact]
    public async Task A_host_reading_strata_json_whose_environment_has_no_url_stops_before_it_starts_and_says_what_to_set()
    {
        await WithProjectAsync("""{ "schema": "App.Schema/App.Schema.csproj" }""", "", async path =>
        {
            using var host = BuildHost(new LogCapture(), o => o.FromStrataConfig(path, environment: "development"));

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

            Assert.Contains("environment \"development\"", error.Message);
            Assert.Contains("has no url, so there is no database to migrate", error.Message);
            Assert.Contains("set ConnectionString", error.Message);
        });
    }

    [Fact]
    public async Task A_host_migrates_a_fresh_database_from_its_embedded_migrations_when_it_starts()
    {
        await using var database = await fixture.CreateDatabaseAsync("hosting_fresh");
        var logs = new LogCapture();
        using var host = BuildHost(logs, EmbeddedMigrations(database));

        await host.StartAsync();

        Assert.True(await database.TableExistsAsync(new QualifiedName("app", "users")));
        Assert.True(await database.TableExistsAsync(new QualifiedName("app", "posts")));
        Assert.Equal(["id", "email", "name"], await database.ColumnNamesAsync(new QualifiedName("app", "users")));
        var rows = await database.QueryAsync("SELECT id, checksum FROM strata.__strata_migrations ORDER BY id");
        Assert.Equal(TestApp.MigrationIds, rows.Select(r => r[0]));
        var source = MigrationSource.FromAssembly(typeof(TestApp).Assembly);
        Assert.Equal(StrataSum.Hash(await (await source.ReadAsync("0001_posts")).ReadUpTextAsync()), rows[1][1]);
        var done = Assert.Single(logs.Entries, e => e.EventId.Id == 101);
        Assert.Equal(MigratorCategory, done.Category);
        Assert.Equal(3, done.State["AppliedCount"]);
        await host.StopAsync();
    }

    [Fact]
    public async Task Hosted_services_registered_after_the_migrations_start_on_the_migrated_schema()
    {
        await using var database = await fixture.CreateDatabaseAsync("hosting_order");
        var probe = new SchemaProbe(database.DataSource, "SELECT count(*) FROM app.posts");
        using var host = BuildHost(new LogCapture(), EmbeddedMigrations(database), services => services.AddSingleton<IHostedService>(probe));

        await host.StartAsync();

        Assert.Equal(0L, probe.Result);
        await host.StopAsync();
    }

    [Fact]
    public async Task Six_hosts_starting_at_once_apply_every_migration_exactly_once()
    {
        await using var database = await fixture.CreateDatabaseAsync("hosting_concurrent");
        // applied_log's primary key makes a second application of any migration fail, and so its host's start.
        await AddMigrationAsync("0000_log",
            "CREATE TABLE applied_log (migration text PRIMARY KEY);",
            "INSERT INTO applied_log VALUES ('0000_log');");
        await AddMigrationAsync("0001_slow",
            "SELECT pg_sleep(0.5);",
            "CREATE TABLE items (id int PRIMARY KEY);",
            "INSERT INTO applied_log VALUES ('0001_slow');");
        await AddMigrationTextAsync("0002_index", """
            -- strata:no-transaction
            CREATE INDEX CONCURRENTLY items_id_idx ON items (id);
            --> statement-breakpoint
            INSERT INTO applied_log VALUES ('0002_index');

            """);
        var hosts = Enumerable.Range(0, 6).Select(_ => BuildHost(new LogCapture(), FolderMigrations(database))).ToList();
        try
        {
            await Task.WhenAll(hosts.Select(host => Task.Run(() => host.StartAsync())));

            // The run each host made at start, returned again by MigrateDatabaseAsync without running it twice.
            var results = await Task.WhenAll(hosts.Select(host => host.MigrateDatabaseAsync()));
            Assert.Equal(3, results.Sum(r => r.Applied.Count));
            Assert.Equal(["0000_log", "0001_slow", "0002_index"], results.Single(r => r.Applied.Count > 0).Applied.Select(a => a.Id));
            Assert.All(results.Where(r => r.Applied.Count == 0), r => Assert.Equal(3, r.AlreadyApplied));
            Assert.Equal(["0000_log", "0001_slow", "0002_index"], await AppliedIdsAsync(database));
            Assert.Equal(3L, await database.CountRowsAsync("public.applied_log"));
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'items_id_idx'"));
            Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1398035009 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_failing_migration_fails_the_start_and_the_log_names_the_file_and_line_without_a_stack_or_the_password()
    {
        await using var database = await fixture.CreateDatabaseAsync("hosting_fail");
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        // The test server trusts local connections, so any password gets in; it must still never be logged.
        if (string.IsNullOrEmpty(connection.Password))
            connection.Password = "hunter2-" + Guid.NewGuid().ToString("N");
        await AddMigrationAsync("0000_posts", "CREATE TABLE posts (id bigint PRIMARY KEY);");
        var broken = await AddMigrationAsync("0001_titles",
            "CREATE INDEX posts_id_idx ON posts (id);",
            "CREATE VIEW post_titles AS\n    SELECT id, title FROM posts;");
        var probe = new SchemaProbe(database.DataSource, "SELECT 1");
        var logs = new LogCapture();
        using var host = BuildHost(logs, o =>
        {
            o.ConnectionString = connection.ConnectionString;
            o.FromFolder(_folder);
        }, services => services.AddSingleton<IHostedService>(probe));

        var error = await Assert.ThrowsAsync<MigrationFailedException>(() => host.StartAsync());

        Assert.Equal((broken.UpPath, 4), (error.File, error.Line));
        var entry = Assert.Single(logs.Entries, e => e.Category == MigratorCategory && e.Level == LogLevel.Error);
        Assert.Equal(110, entry.EventId.Id);
        Assert.Null(entry.Exception);
        Assert.Equal("0001_titles", entry.State["MigrationId"]);
        Assert.Equal(broken.UpPath, entry.State["File"]);
        Assert.Equal(4, entry.State["Line"]);
        Assert.StartsWith($"Migration 0001_titles failed at {broken.UpPath}:4: 42703: column \"title\" does not exist", entry.Message);
        Assert.DoesNotContain(connection.Password!, logs.Text);
        Assert.False(probe.Started);
        Assert.Equal(["0000_posts"], await AppliedIdsAsync(database));
    }

    [Fact]
    public async Task PostgreSQLs_detail_reaches_the_log_through_the_options_connection_string()
    {
        await using var database = await fixture.CreateDatabaseAsync("hosting_detail");
        await AddMigrationAsync("0000_seed", "CREATE TABLE t (id int PRIMARY KEY);", "INSERT INTO t VALUES (1), (1);");
        var logs = new LogCapture();
        using var host = BuildHost(logs, FolderMigrations(database));

        var error = await Assert.ThrowsAsync<MigrationFailedException>(() => host.StartAsync());

        Assert.Equal("Key (id)=(1) already exists.", error.Detail);
        Assert.Contains("DETAIL: Key (id)=(1) already exists.", Assert.Single(logs.Entries, e => e.EventId.Id == 110).Message);
    }

    [Fact]
    public async Task A_postgres_url_as_the_connection_string_is_read_as_the_CLI_reads_it()
    {
        await using var database = await fixture.CreateDatabaseAsync("hosting_url");
        var keywords = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var password = string.IsNullOrEmpty(keywords.Password) ? "" : ":" + Uri.EscapeDataString(keywords.Password);
        var url = $"postgres://{Uri.EscapeDataString(keywords.Username!)}{password}@{keywords.Host}:{keywords.Port}/{Uri.EscapeDataString(keywords.Database!)}?sslmode=disable";
        var logs = new LogCapture();
        using var host = BuildHost(logs, o =>
        {
            o.ConnectionString = url;
            o.FromAssembly(typeof(TestApp).Assembly);
        });

        await host.StartAsync();
        await host.StopAsync();

        Assert.NotEmpty(await AppliedIdsAsync(database));
    }

    [Fact]
    public async Task A_bad_connection_url_stops_the_start_naming_the_option_and_never_the_password()
    {
        using var host = BuildHost(new LogCapture(), o =>
        {
            o.ConnectionString = "postgres://app:topsecret@db.example.com/shop?sslmod=require";
            o.FromAssembly(typeof(TestApp).Assembly);
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("the connection URL in StrataMigrationOptions.ConnectionString has the parameter \"sslmod\"", error.Message);
        Assert.DoesNotContain("topsecret", error.Message);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_is_logged_as_such_with_the_remedy_as_the_CLI_words_it()
    {
        var connection = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Database = "hosting_missing_" + Guid.NewGuid().ToString("N")[..8] };
        var logs = new LogCapture();
        using var host = BuildHost(logs, o =>
        {
            o.ConnectionString = connection.ConnectionString;
            o.FromAssembly(typeof(TestApp).Assembly);
        });

        var error = await Assert.ThrowsAsync<PostgresException>(() => host.StartAsync());

        Assert.Equal("3D000", error.SqlState);
        var entry = Assert.Single(logs.Entries, e => e.Category == MigratorCategory && e.Level == LogLevel.Error);
        Assert.Equal(116, entry.EventId.Id);
        Assert.Null(entry.Exception);
        Assert.Contains($"the database \"{connection.Database}\" does not exist on {connection.Host}:{connection.Port}", entry.Message);
        Assert.Contains("Create it (CREATE DATABASE", entry.Message);
        Assert.Contains("StrataMigrationOptions.ConnectionString", entry.Message);
    }

    [Fact]
    public async Task Without_a_database_the_start_fails_saying_what_to_configure()
    {
        using var host = BuildHost(new LogCapture(), o => o.FromAssembly(typeof(TestApp).Assembly));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("set ConnectionString or DataSource", error.Message);
    }

    [Fact]
    public async Task An_edited_applied_migration_refuses_the_start_and_the_log_says_which_file()
    {
        await using var database = await fixture.CreateDatabaseAsync("hosting_refused");
        var users = await AddMigrationAsync("0000_users", "CREATE TABLE users (id bigint PRIMARY KEY);");
        using (var first = BuildHost(new LogCapture(), FolderMigrations(database)))
            await first.StartAsync();
        await File.WriteAllTextAsync(users.UpPath, "CREATE TABLE users (id int PRIMARY KEY);\n");
        await (await MigrationDirectory.LoadAsync(_folder)).RehashAsync();
        var logs = new LogCapture();
        using var host = BuildHost(logs, FolderMigrations(database));

        var error = await Assert.ThrowsAsync<MigrationRefusedException>(() => host.StartAsync());

        Assert.Equal(RefusalKind.ChecksumMismatch, Assert.Single(error.Refusals).Kind);
        var entry = Assert.Single(logs.Entries, e => e.Category == MigratorCategory && e.EventId.Id == 113);
        Assert.Null(entry.Exception);
        Assert.Contains(users.UpPath, entry.Message);
    }

    [Fact]
    public async Task MigrateDatabaseAsync_before_the_start_migrates_once()
    {
        await using var database = await fixture.CreateDatabaseAsync("hosting_explicit");
        var logs = new LogCapture();
        using var host = BuildHost(logs, EmbeddedMigrations(database));

        var result = await host.MigrateDatabaseAsync();
        Assert.Equal(TestApp.MigrationIds, result.Applied.Select(a => a.Id));
        Assert.Equal(TestApp.MigrationIds, await AppliedIdsAsync(database));
        await host.StartAsync();

        Assert.Single(logs.Entries, e => e.EventId.Id == 100);
        await host.StopAsync();
    }

    [Fact]
    public async Task With_ApplyOnStart_off_only_MigrateDatabaseAsync_migrates()
    {
        await using var database = await fixture.CreateDatabaseAsync("hosting_manual");
        using var host = BuildHost(new LogCapture(), EmbeddedMigrations(database, o => o.ApplyOnStart = false));

        await host.StartAsync();
        Assert.False(await database.TableExistsAsync(new QualifiedName("strata", "__strata_migrations")));

        await host.MigrateDatabaseAsync();
        Assert.Equal(TestApp.MigrationIds, await AppliedIdsAsync(database));
        await host.StopAsync();
    }

    [Fact]
    public async Task The_data_source_registered_in_the_container_is_used_and_left_open()
    {
        await using var database = await fixture.CreateDatabaseAsync("hosting_di");
        using var host = BuildHost(new LogCapture(), o => o.FromAssembly(typeof(TestApp).Assembly),
            services => services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString)));

        await host.StartAsync();

        Assert.Equal(TestApp.MigrationIds, await AppliedIdsAsync(database));
        await using var command = host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT count(*) FROM app.users");
        Assert.Equal(0L, await command.ExecuteScalarAsync());
        await host.StopAsync();
    }

    [Fact]
    public async Task A_migrations_folder_missing_from_the_deployment_stops_the_start()
    {
        await using var database = await fixture.CreateDatabaseAsync("hosting_nofolder");
        var logs = new LogCapture();
        using var host = BuildHost(logs, o =>
        {
            o.ConnectionString = database.ConnectionString;
            o.FromFolder(Path.Combine(_folder, "db", "migrations"));
        });

        var error = await Assert.ThrowsAsync<MigrationFileException>(() => host.StartAsync());

        Assert.Equal(Path.Combine(_folder, "db", "migrations"), error.File);
        Assert.Contains("does not exist", error.Problem);
        var entry = Assert.Single(logs.Entries, e => e.Category == MigratorCategory && e.Level == LogLevel.Error);
        Assert.Contains(error.File, entry.Message);
        Assert.False(await database.TableExistsAsync(new QualifiedName("strata", "__strata_migrations")));
    }

    /// <summary>A hosted service that runs a query in its StartAsync, as an app's background worker might.</summary>
    private sealed class SchemaProbe(NpgsqlDataSource dataSource, string sql) : IHostedService
    {
        public bool Started { get; private set; }

        public object? Result { get; private set; }

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            Started = true;
            await using var command = dataSource.CreateCommand(sql);
            Result = await command.ExecuteScalarAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

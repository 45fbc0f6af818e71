using Npgsql;
using Strata.Hosting.TestApp;
using Strata.IntegrationTests.Cli;
using Strata.IntegrationTests.Infrastructure;
using Strata.Postgres.Migrations;
using Strata.Testing;

namespace Strata.IntegrationTests.Testing;

/// <summary>
/// The migrated template of Strata.Testing: built once per key, reused by later runs (modelled by a new
/// <see cref="TestDatabaseServer"/> on the same server, which shares nothing in memory with the first),
/// rebuilt when a migration changes, cloned per test and dropped.
/// </summary>
public sealed class MigratedTemplateTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("strata-template-").FullName;
    private readonly string _name = "tpl_" + Guid.NewGuid().ToString("N")[..10];
    private readonly List<TestDatabaseServer> _servers = [];

    public async Task InitializeAsync()
    {
        await AddMigrationAsync("0000_users", "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);", "DROP TABLE users;");
        await AddMigrationAsync("0001_tasks", "CREATE TABLE tasks (id bigint PRIMARY KEY, owner bigint REFERENCES users (id), title text NOT NULL);", "DROP TABLE tasks;");
    }

    public async Task DisposeAsync()
    {
        await NewRun().DropTemplateAsync(_name);
        foreach (var server in _servers)
            await server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_template_with_the_same_migrations_is_reused_by_the_next_run_without_migrating_again()
    {
        var first = await NewRun().GetTemplateAsync(await SourceAsync(), Options());
        var oid = await DatabaseOidAsync(first.Name);

        var second = await NewRun().GetTemplateAsync(await SourceAsync(), Options());

        Assert.True(first.WasBuilt);
        Assert.False(second.WasBuilt);
        Assert.Equal(first.Key, second.Key);
        Assert.Equal(oid, await DatabaseOidAsync(second.Name)); // the same database, not a new one
        var (isTemplate, allowsConnections, comment) = await DatabaseFlagsAsync(first.Name);
        Assert.True(isTemplate);
        Assert.False(allowsConnections);
        Assert.Equal("strata test template " + first.Key, comment);
    }

    [Fact]
    public async Task A_changed_migration_rebuilds_the_template_and_clones_get_the_new_schema()
    {
        var before = await NewRun().GetTemplateAsync(await SourceAsync(), Options());
        await AddMigrationAsync("0002_comments", "CREATE TABLE comments (id bigint PRIMARY KEY, task bigint REFERENCES tasks (id), body text);", "DROP TABLE comments;");

        var after = await NewRun().GetTemplateAsync(await SourceAsync(), Options());

        Assert.True(after.WasBuilt);
        Assert.NotEqual(before.Key, after.Key);
        await using var clone = await after.CloneAsync("changed");
        Assert.True(await clone.TableExistsAsync(new Strata.Model.QualifiedName("public", "comments")));
        Assert.Equal(3L, await clone.ScalarAsync<long>("SELECT count(*) FROM strata.__strata_migrations"));
    }

    [Fact]
    public async Task An_edited_script_changes_the_key_too()
    {
        var before = await NewRun().GetTemplateAsync(await SourceAsync(), Options());
        await File.WriteAllTextAsync(Path.Combine(_folder, "0001_tasks", "up.sql"),
            "CREATE TABLE tasks (id bigint PRIMARY KEY, owner bigint REFERENCES users (id), title text NOT NULL, done boolean NOT NULL DEFAULT false);\n");
        await (await MigrationDirectory.LoadAsync(_folder)).RehashAsync();

        var after = await NewRun().GetTemplateAsync(await SourceAsync(), Options());

        Assert.True(after.WasBuilt);
        Assert.NotEqual(before.Key, after.Key);
        await using var clone = await after.CloneAsync("edited");
        Assert.Equal(["id", "owner", "title", "done"], await clone.ColumnNamesAsync(new Strata.Model.QualifiedName("public", "tasks")));
    }

    [Fact]
    public async Task Clones_are_independent_and_each_is_dropped_when_disposed()
    {
        var template = await NewRun().GetTemplateAsync(await SourceAsync(), Options() with
        {
            Seed = (db, ct) => db.ExecuteAsync("INSERT INTO users (email) VALUES ('ada@example.com'), ('bob@example.com')", ct),
            SeedVersion = "two users",
        });
        var first = await template.CloneAsync("clone");
        var second = await template.CloneAsync("clone");

        await first.ExecuteAsync("DELETE FROM users WHERE email = 'ada@example.com'");
        await second.ExecuteAsync("INSERT INTO users (email) VALUES ('cy@example.com')");

        Assert.Equal(1L, await first.CountRowsAsync("users"));
        Assert.Equal(3L, await second.CountRowsAsync("users"));
        await using (var third = await template.CloneAsync("clone"))
            Assert.Equal(2L, await third.CountRowsAsync("users")); // the template itself is untouched
        var names = new[] { first.Name, second.Name };
        await using (var open = new NpgsqlConnection(first.ConnectionString))
        {
            await open.OpenAsync(); // an open connection does not keep a clone alive
            await first.DisposeAsync();
        }
        await second.DisposeAsync();
        Assert.Equal(0L, await CountDatabasesAsync(names));
        Assert.Equal(1L, await CountDatabasesAsync([template.Name]));
    }

    [Fact]
    public async Task Several_runs_starting_at_once_build_the_template_once()
    {
        var seeds = 0;
        var source = await SourceAsync();
        var options = Options() with
        {
            Seed = async (db, ct) =>
            {
                Interlocked.Increment(ref seeds);
                // The build goes on once the three other runs wait for its lock: they arrive while it runs, however
                // slowly a busy machine starts them (a fixed pause proved that only on a quiet one).
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (await db.ScalarAsync<long>(
                           "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND query LIKE 'SELECT pg_advisory_lock(%'", ct) < 3)
                {
                    Assert.True(clock.Elapsed < StrataProcess.Patience, "the other runs never waited for the template's build lock");
                    await Task.Delay(20, ct);
                }
                await db.ExecuteAsync("INSERT INTO users (email) VALUES ('seed@example.com')", ct);
            },
        };

        var runs = Enumerable.Range(0, 4).Select(_ => NewRun()).ToList();
        var templates = await Task.WhenAll(runs.Select(run => Task.Run(() => run.GetTemplateAsync(source, options))));

        Assert.Equal(1, seeds);
        Assert.Single(templates, t => t.WasBuilt);
        Assert.Single(templates.Select(t => t.Key).Distinct());
        await using var clone = await templates[3].CloneAsync("raced");
        Assert.Equal(1L, await clone.CountRowsAsync("users"));
    }

    [Fact]
    public async Task A_failing_migration_leaves_no_template_and_the_next_run_builds_it_after_the_fix()
    {
        await AddMigrationAsync("0002_broken", "CREATE TABLE broken (id bigint REFERENCES nowhere (id));", "DROP TABLE broken;");

        await Assert.ThrowsAsync<MigrationFailedException>(async () => await NewRun().GetTemplateAsync(await SourceAsync(), Options()));

        Assert.Equal(0L, await CountDatabasesAsync([_name]));
        await File.WriteAllTextAsync(Path.Combine(_folder, "0002_broken", "up.sql"), "CREATE TABLE broken (id bigint REFERENCES users (id));\n");
        await (await MigrationDirectory.LoadAsync(_folder)).RehashAsync();
        var fixedTemplate = await NewRun().GetTemplateAsync(await SourceAsync(), Options());
        Assert.True(fixedTemplate.WasBuilt);
    }

    [Fact]
    public async Task Migrations_embedded_in_an_assembly_build_a_template_too()
    {
        var template = await NewRun().GetTemplateAsync(MigrationSource.FromAssembly(typeof(TestApp).Assembly), Options());

        await using var clone = await template.CloneAsync("embedded");
        Assert.Equal(["id", "email", "name"], await clone.ColumnNamesAsync(new Strata.Model.QualifiedName("app", "users")));
        Assert.True(await clone.TableExistsAsync(new Strata.Model.QualifiedName("app", "posts")));
    }

    [Fact]
    public async Task DropAsync_removes_the_template_so_the_next_run_builds_it()
    {
        var template = await NewRun().GetTemplateAsync(await SourceAsync(), Options());

        await template.DropAsync();

        Assert.Equal(0L, await CountDatabasesAsync([_name]));
        Assert.True((await NewRun().GetTemplateAsync(await SourceAsync(), Options())).WasBuilt);
    }

    private TestTemplateOptions Options() => new() { Name = _name };

    /// <summary>What a new test run sees: the same server, nothing cached in memory.</summary>
    private TestDatabaseServer NewRun()
    {
        var server = TestDatabaseServer.Connect(fixture.ConnectionString);
        _servers.Add(server);
        return server;
    }

    private Task<MigrationSource> SourceAsync() => MigrationSource.FromFolderAsync(_folder);

    private async Task AddMigrationAsync(string id, string up, string down)
    {
        Directory.CreateDirectory(Path.Combine(_folder, id));
        await File.WriteAllTextAsync(Path.Combine(_folder, id, "up.sql"), up + "\n");
        await File.WriteAllTextAsync(Path.Combine(_folder, id, "down.sql"), down + "\n");
        await (await MigrationDirectory.LoadAsync(_folder)).RehashAsync();
    }

    private async Task<uint> DatabaseOidAsync(string name)
    {
        await using var admin = await OpenAdminAsync();
        await using var command = new NpgsqlCommand("SELECT oid FROM pg_database WHERE datname = $1", admin);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (uint)(await command.ExecuteScalarAsync())!;
    }

    private async Task<(bool IsTemplate, bool AllowsConnections, string? Comment)> DatabaseFlagsAsync(string name)
    {
        await using var admin = await OpenAdminAsync();
        await using var command = new NpgsqlCommand(
            "SELECT datistemplate, datallowconn, shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1", admin);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetBoolean(0), reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    private async Task<long> CountDatabasesAsync(string[] names)
    {
        await using var admin = await OpenAdminAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = ANY($1)", admin);
        command.Parameters.Add(new NpgsqlParameter { Value = names });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

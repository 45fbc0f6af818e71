using Strata.Hosting.TestApp;
using Strata.IntegrationTests.Infrastructure;
using Strata.Postgres.Migrations;
using Strata.Testing;

namespace Strata.IntegrationTests.Testing;

// The shape docs/testing.md tells users to write, kept here so that it compiles and works as shown.

/// <summary>One per test class (or per collection): the migrated template, built or reused once.</summary>
public sealed class AppDatabaseFixture : IAsyncLifetime
{
    public TestDatabaseTemplate Template { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Template = await PostgresTestServer.GetTemplateAsync(
            MigrationSource.FromAssembly(typeof(TestApp).Assembly),
            new TestTemplateOptions
            {
                Name = "strata_docs_app_template",
                Seed = (db, ct) => db.ExecuteAsync("INSERT INTO app.users (email, name) VALUES ('admin@example.com', 'Admin')", ct),
                SeedVersion = "1",
            });

    public Task DisposeAsync() => Task.CompletedTask; // the template stays for the next run
}

/// <summary>Every test gets a fresh copy of the template: xunit makes a new instance, so a new database, per test.</summary>
public sealed class FixtureShapeTests(AppDatabaseFixture fixture) : IClassFixture<AppDatabaseFixture>, IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await fixture.Template.CloneAsync("users_test");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_test_sees_the_seeded_rows_and_its_own_insert()
    {
        await _db.ExecuteAsync("INSERT INTO app.users (email) VALUES ('one@example.com')");

        Assert.Equal(2L, await _db.CountRowsAsync("app.users"));
    }

    [Fact]
    public async Task Another_test_does_not_see_what_the_first_one_wrote()
    {
        // Only the template's seeded row: nothing another test inserted into its own clone.
        Assert.Equal(1L, await _db.CountRowsAsync("app.users"));

        await _db.ExecuteAsync("INSERT INTO app.users (email) VALUES ('two@example.com'), ('three@example.com'), ('four@example.com')");

        Assert.Equal(4L, await _db.CountRowsAsync("app.users"));
    }

    [Fact]
    public async Task The_test_database_is_migrated_as_strata_status_sees_it()
    {
        var applied = await _db.ScalarAsync<long>("SELECT count(*) FROM strata.__strata_migrations");

        Assert.Equal(MigrationSource.FromAssembly(typeof(TestApp).Assembly).Ids.Count, applied);
    }
}

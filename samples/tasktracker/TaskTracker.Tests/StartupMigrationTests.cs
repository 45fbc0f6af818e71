namespace TaskTracker.Tests;

/// <summary>Migration at start-up through Strata.Hosting, with the migrations embedded in TaskTracker.Web.</summary>
public sealed class StartupMigrationTests
{
    [Fact]
    public async Task The_first_start_on_an_empty_database_applies_every_migration_before_serving()
    {
        await using var database = await TestDatabases.CreateEmptyAsync();

        await using (var app = await RunningApp.StartAsync(database))
        {
            Assert.Equal("[]", await app.Http.GetStringAsync("/api/projects"));
        }

        Assert.Equal("0000_init,0001_add_priority_and_due_dates",
            await database.ScalarAsync<string>("SELECT string_agg(id, ',' ORDER BY id) FROM strata.__strata_migrations"));
        Assert.Equal("low,normal,high,urgent",
            await database.ScalarAsync<string>("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'task_priority'::regtype"));
    }

    [Fact]
    public async Task A_start_on_a_migrated_database_applies_nothing_again()
    {
        await using var database = await TestDatabases.CreateMigratedAsync();
        var appliedAt = await database.ScalarAsync<string>("SELECT string_agg(applied_at::text, ',' ORDER BY id) FROM strata.__strata_migrations");

        await using (var app = await RunningApp.StartAsync(database))
        {
            Assert.Equal("[]", await app.Http.GetStringAsync("/api/projects"));
        }

        Assert.Equal(appliedAt, await database.ScalarAsync<string>("SELECT string_agg(applied_at::text, ',' ORDER BY id) FROM strata.__strata_migrations"));
    }
}

using Npgsql;
using Xunit.Sdk;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>The round trip's comparison must notice what it claims to notice, and only that.</summary>
public sealed class RoundTripHarnessTests(ScenarioFixture fixture) : IClassFixture<ScenarioFixture>
{
    [Fact]
    public async Task The_comparison_reports_a_column_whose_type_differs()
    {
        var (expected, actual, _) = await fixture.Databases.ResetAsync();
        await ExecuteAsync(expected, "CREATE TABLE t (a bigint)");
        await ExecuteAsync(actual, "CREATE TABLE t (a integer)");

        var error = await Assert.ThrowsAsync<XunitException>(() => RoundTrip.RequireSameDatabase(expected, actual, "test", "", ""));

        Assert.Contains("- table public.t column a bigint", error.Message);
        Assert.Contains("+ table public.t column a integer", error.Message);
    }

    [Fact]
    public async Task The_comparison_reports_an_identity_sequence_left_with_the_old_table_name()
    {
        var (expected, actual, _) = await fixture.Databases.ResetAsync();
        await ExecuteAsync(expected, "CREATE TABLE accounts (id integer GENERATED ALWAYS AS IDENTITY)");
        await ExecuteAsync(actual, "CREATE TABLE users (id integer GENERATED ALWAYS AS IDENTITY); ALTER TABLE users RENAME TO accounts");

        var error = await Assert.ThrowsAsync<XunitException>(() => RoundTrip.RequireSameDatabase(expected, actual, "test", "", ""));

        Assert.Contains("- relation public.accounts_id_seq kind S", error.Message);
        Assert.Contains("+ relation public.users_id_seq kind S", error.Message);
    }

    [Fact]
    public async Task The_comparison_ignores_the_order_of_columns()
    {
        var (expected, actual, _) = await fixture.Databases.ResetAsync();
        await ExecuteAsync(expected, "CREATE TABLE t (a integer, b text)");
        await ExecuteAsync(actual, "CREATE TABLE t (b text); ALTER TABLE t ADD COLUMN a integer");

        await RoundTrip.RequireSameDatabase(expected, actual, "test", "", "");
    }

    [Fact]
    public async Task Emptying_the_databases_takes_away_their_default_privileges_so_that_no_pair_inherits_another_s()
    {
        var (db1, _, _) = await fixture.Databases.ResetAsync();
        await ExecuteAsync(db1, """
            ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC;
            ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO PUBLIC;
            """);

        var (emptied, _, _) = await fixture.Databases.ResetAsync();

        await using var count = emptied.CreateCommand("SELECT count(*) FROM pg_default_acl");
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}

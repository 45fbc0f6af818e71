using Strata.IntegrationTests.Cli;
using Strata.IntegrationTests.Infrastructure;
using Strata.Postgres.Migrations;
using Strata.Testing;

namespace Strata.IntegrationTests.Migrations;

/// <summary>
/// The folder and the database disagree: <c>strata migrate</c> must refuse before running anything,
/// each case with its own message naming what is wrong, and leave the tracking table as it was.
/// </summary>
[Collection(ProofCollection.Name)]
public sealed class RefusalTests(PostgresFixture postgres) : IDisposable
{
    private readonly ProofProject _project = ProofProject.Create();

    public void Dispose() => _project.Dispose();

    private async Task<TestDatabase> AppliedAsync(string prefix, params string[] expected)
    {
        var database = await postgres.CreateDatabaseAsync(prefix);
        var first = await _project.MigrateAsync(database);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(expected, await database.AppliedIdsAsync());
        return database;
    }

    private async Task HashAsync()
    {
        var hash = await _project.RunAsync("hash");
        Assert.True(hash.ExitCode == 0, hash.ToString());
    }

    private static void AssertRefused(CliResult result)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.DoesNotContain("   at ", result.Output);
    }

    private static async Task<bool> ExistsAsync(TestDatabase database, string table) =>
        await database.ScalarAsync<bool>($"SELECT to_regclass('public.{table}') IS NOT NULL");

    [Fact]
    public async Task An_applied_migration_edited_afterwards_is_refused_naming_the_file_and_both_hashes()
    {
        await _project.AddAsync("0000_users", "CREATE TABLE users (id int)");
        await _project.AddAsync("0001_orders", "CREATE TABLE orders (id int)");
        await using var database = await AppliedAsync("proof_edited", "0000_users", "0001_orders");
        var recorded = await database.ScalarAsync<string>("SELECT checksum FROM strata.__strata_migrations WHERE id = '0000_users'");
        const string Edited = "CREATE TABLE users (id int, email text)\n";
        _project.WriteUp("0000_users", Edited);
        await _project.AddAsync("0002_items", "CREATE TABLE items (id int)");
        await HashAsync(); // strata.sum agrees with the edit, so only the comparison with the database can catch it

        var result = await _project.MigrateAsync(database);

        AssertRefused(result);
        Assert.Contains(Path.Combine("0000_users", "up.sql"), result.Stderr);
        Assert.Contains(recorded, result.Stderr);
        Assert.Contains(StrataSum.Hash(Edited), result.Stderr);
        Assert.Equal(["0000_users", "0001_orders"], await database.AppliedIdsAsync());
        Assert.False(await ExistsAsync(database, "items"), "nothing may run after a refusal");
    }

    [Fact]
    public async Task An_applied_migration_deleted_from_the_folder_is_refused_by_name()
    {
        await _project.AddAsync("0000_users", "CREATE TABLE users (id int)");
        await _project.AddAsync("0001_orders", "CREATE TABLE orders (id int)");
        await using var database = await AppliedAsync("proof_deleted", "0000_users", "0001_orders");
        Directory.Delete(Path.Combine(_project.MigrationsDirectory, "0001_orders"), recursive: true);
        await _project.AddAsync("0002_items", "CREATE TABLE items (id int)");
        await HashAsync();

        var result = await _project.MigrateAsync(database);

        AssertRefused(result);
        Assert.Contains("0001_orders", result.Stderr);
        Assert.DoesNotContain("0000_users", result.Stderr);
        Assert.Equal(["0000_users", "0001_orders"], await database.AppliedIdsAsync());
        Assert.False(await ExistsAsync(database, "items"), "nothing may run after a refusal");
    }

    [Fact]
    public async Task A_pending_migration_older_than_an_applied_one_is_refused_by_name_and_applied_with_allow_out_of_order()
    {
        await _project.AddAsync("0000_users", "CREATE TABLE users (id int)");
        await _project.AddAsync("0002_orders", "CREATE TABLE orders (id int)");
        await using var database = await AppliedAsync("proof_out_of_order", "0000_users", "0002_orders");
        // A branch merged after 0002 was deployed brings 0001.
        await _project.AddAsync("0001_tags", "CREATE TABLE tags (id int)");
        await _project.AddAsync("0003_items", "CREATE TABLE items (id int)");

        var result = await _project.MigrateAsync(database);

        AssertRefused(result);
        Assert.Contains("0001_tags", result.Stderr);
        Assert.Contains("--allow-out-of-order", result.Stderr);
        Assert.Equal(["0000_users", "0002_orders"], await database.AppliedIdsAsync());
        Assert.False(await ExistsAsync(database, "tags"), "the out-of-order migration must not run");
        Assert.False(await ExistsAsync(database, "items"), "nothing may run after a refusal");

        var allowed = await _project.MigrateAsync(database, "--allow-out-of-order");

        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Equal(["0000_users", "0001_tags", "0002_orders", "0003_items"], await database.AppliedIdsAsync());
        Assert.True(await ExistsAsync(database, "tags"));
        Assert.True(await ExistsAsync(database, "items"));
    }

    [Fact]
    public async Task A_hand_edited_strata_sum_is_refused_naming_strata_sum()
    {
        await _project.AddAsync("0000_users", "CREATE TABLE users (id int)");
        await using var database = await AppliedAsync("proof_sum", "0000_users");
        await _project.AddAsync("0001_orders", "CREATE TABLE orders (id int)");
        // An edited line, as a bad merge leaves it: the file's hash no longer matches its line, nor the first line.
        var lines = File.ReadAllLines(_project.SumPath);
        var line = Array.FindIndex(lines, l => l.StartsWith("0001_orders/up.sql ", StringComparison.Ordinal));
        Assert.True(line > 0, "strata.sum lists 0001_orders/up.sql");
        lines[line] = lines[line][..^6] + (lines[line][^6] == 'A' ? 'B' : 'A') + lines[line][^5..];
        File.WriteAllLines(_project.SumPath, lines);

        var result = await _project.MigrateAsync(database);

        AssertRefused(result);
        Assert.Contains("strata.sum", result.Stderr);
        Assert.Contains("strata hash", result.Stderr);
        Assert.Equal(["0000_users"], await database.AppliedIdsAsync());
        Assert.False(await ExistsAsync(database, "orders"), "nothing may run after a refusal");
    }

    [Fact]
    public async Task Refusals_name_the_command_line_flags_that_override_them_never_the_library_options()
    {
        await _project.AddAsync("0000_users", "CREATE TABLE users (id int)");
        await _project.AddAsync("0002_orders", "CREATE TABLE orders (id int)");
        File.WriteAllText(Path.Combine(_project.MigrationsDirectory, "0002_orders", "down.sql"),
            "-- strata:data-loss table public.orders: drops the table and its rows\nDROP TABLE orders;\n");
        await _project.RehashAsync();
        await using var database = await AppliedAsync("proof_override_flags", "0000_users", "0002_orders");
        await _project.AddAsync("0001_tags", "CREATE TABLE tags (id int)");

        var outOfOrder = await _project.RunAsync("migrate", "-c", database.ConnectionString, "--json");
        var dataLoss = await _project.RunAsync("rollback", "-c", database.ConnectionString);

        AssertRefused(outOfOrder);
        var refusal = System.Text.Json.JsonDocument.Parse(outOfOrder.Stdout).RootElement.GetProperty("refusals")[0];
        Assert.Equal("--allow-out-of-order", refusal.GetProperty("overrideFlag").GetString());
        AssertRefused(dataLoss);
        Assert.Contains("--accept-data-loss", dataLoss.Stderr);
        foreach (var result in new[] { outOfOrder, dataLoss })
        {
            Assert.DoesNotContain("MigratorOptions", result.Output);
            Assert.DoesNotContain("RollbackOptions", result.Output);
        }
        Assert.Equal(["0000_users", "0002_orders"], await database.AppliedIdsAsync());
    }
}

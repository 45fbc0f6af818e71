using Strata.Model;
using Strata.Postgres.Migrations;
using Strata.Snapshots;

namespace Strata.Tests.Migrations;

public class MigrationDirectoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 30, 15, TimeSpan.FromHours(2));

    private static Snapshot SnapshotFor(string name, string? parentId) =>
        new(Snapshot.ComputeId(parentId, name, DatabaseModel.Empty), parentId, DatabaseModel.Empty, default);

    /// <summary>Writes a chain of migrations, each on top of the previous one, and returns their snapshots.</summary>
    private static async Task<List<Snapshot>> WriteChainAsync(MigrationDirectory directory, params string[] ids)
    {
        var snapshots = new List<Snapshot>();
        foreach (var id in ids)
        {
            var snapshot = SnapshotFor(id, snapshots.LastOrDefault()?.Id);
            await directory.WriteMigrationAsync(id, $"SELECT '{id}';\n", "SELECT 0;\n", snapshot);
            snapshots.Add(snapshot);
        }
        return snapshots;
    }

    [Fact]
    public async Task Migrations_load_in_ordinal_id_order_and_hidden_folders_are_ignored()
    {
        using var folder = new TemporaryFolder();
        foreach (var id in new[] { "0010_c", "0002_b", "0001_a", ".0011_x.tmp" })
            Directory.CreateDirectory(folder.Combine(id));

        var directory = await MigrationDirectory.LoadAsync(folder.Path);

        Assert.Equal(["0001_a", "0002_b", "0010_c"], directory.Migrations.Select(m => m.Id));
        Assert.Equal(folder.Combine("0002_b", "up.sql"), directory.Migrations[1].UpPath);
        Assert.Equal(folder.Combine("0002_b", "snapshot.json"), directory.Migrations[1].SnapshotPath);
    }

    [Fact]
    public async Task A_folder_that_does_not_exist_yet_has_no_migrations()
    {
        using var folder = new TemporaryFolder();

        var directory = await MigrationDirectory.LoadAsync(folder.Combine("db", "migrations"));

        Assert.Empty(directory.Migrations);
        Assert.Null(await directory.LatestSnapshotAsync());
        Assert.Equal("0000_first", directory.NextId(MigrationPrefix.Index, "first", Now));
    }

    [Fact]
    public async Task A_folder_that_is_not_a_migration_is_named_in_the_error()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(folder.Combine("seed data"));

        var error = await Assert.ThrowsAsync<MigrationFileException>(() => MigrationDirectory.LoadAsync(folder.Path));

        Assert.Equal(folder.Combine("seed data"), error.File);
        Assert.Contains("this folder is not a migration", error.Message);
    }

    [Fact]
    public async Task The_next_index_follows_the_highest_existing_one()
    {
        using var folder = new TemporaryFolder();
        foreach (var id in new[] { "0000_a", "0001_b", "0007_c" })
            Directory.CreateDirectory(folder.Combine(id));
        var directory = await MigrationDirectory.LoadAsync(folder.Path);

        Assert.Equal("0008_add_due_dates", directory.NextId(MigrationPrefix.Index, "add_due_dates", Now));
    }

    [Fact]
    public async Task A_timestamp_prefix_is_utc_and_moves_past_an_existing_id_of_the_same_second()
    {
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        Assert.Equal("20261124073015_x", directory.NextId(MigrationPrefix.Timestamp, "x", Now));

        Directory.CreateDirectory(folder.Combine("20261124073015_x"));
        directory = await MigrationDirectory.LoadAsync(folder.Path);

        Assert.Equal("20261124073016_y", directory.NextId(MigrationPrefix.Timestamp, "y", Now));
    }

    [Fact]
    public async Task An_index_prefix_in_a_folder_of_timestamps_is_refused_because_it_would_sort_first()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(folder.Combine("20261124073015_x"));
        var directory = await MigrationDirectory.LoadAsync(folder.Path);

        var error = Assert.Throws<InvalidOperationException>(() => directory.NextId(MigrationPrefix.Index, "y", Now));

        Assert.Contains("--prefix timestamp", error.Message);
    }

    [Fact]
    public async Task Without_a_name_the_id_gets_a_random_adjective_noun_and_bad_names_are_refused()
    {
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);

        var id = directory.NextId(MigrationPrefix.Index, null, Now, new Random(7));

        Assert.Matches("^0000_[a-z]+_[a-z]+$", id);
        Assert.Equal(id, directory.NextId(MigrationPrefix.Index, null, Now, new Random(7)));
        Assert.Null(MigrationDirectory.NameProblem("add_due_dates_2"));
        Assert.Contains("lowercase letters, digits and underscores", MigrationDirectory.NameProblem("Add-Due Dates"));
        Assert.NotNull(MigrationDirectory.NameProblem(""));
        Assert.Throws<ArgumentException>(() => directory.NextId(MigrationPrefix.Index, "../escape", Now));
    }

    [Fact]
    public async Task Writing_a_migration_creates_the_folder_with_its_three_files_and_records_it_in_the_sum()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Combine("db", "migrations");
        var directory = await MigrationDirectory.LoadAsync(path);

        var snapshots = await WriteChainAsync(directory, "0000_init", "0001_next");

        Assert.Equal(["0000_init", "0001_next"], directory.Migrations.Select(m => m.Id));
        Assert.Equal("SELECT '0001_next';\n", await File.ReadAllTextAsync(Path.Combine(path, "0001_next", "up.sql")));
        Assert.Equal("SELECT 0;\n", await directory.Migrations[1].ReadDownAsync());
        Assert.Equal(snapshots[1], await directory.LatestSnapshotAsync());
        Assert.Empty(await directory.VerifySumAsync());
        Assert.Equal(["0000_init", "0001_next"], Directory.GetDirectories(path).Select(Path.GetFileName).Order());
        Assert.Equal(["strata.sum"], Directory.GetFiles(path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task An_interrupted_write_leaves_no_migration_and_no_temporary_folder()
    {
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        await WriteChainAsync(directory, "0000_init");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            directory.WriteMigrationAsync("0001_next", "SELECT 1;\n", "", SnapshotFor("next", null), cancelled.Token));

        Assert.Equal(["0000_init"], Directory.GetDirectories(folder.Path).Select(Path.GetFileName));
        Assert.Equal(["0000_init"], (await MigrationDirectory.LoadAsync(folder.Path)).Migrations.Select(m => m.Id));
        Assert.Empty(await directory.VerifySumAsync());
    }

    [Fact]
    public async Task Writing_a_migration_does_not_bless_an_unnoticed_edit_of_another_one()
    {
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        await WriteChainAsync(directory, "0000_init");
        await File.WriteAllTextAsync(directory.Migrations[0].UpPath, "DROP TABLE users;\n");

        await directory.WriteMigrationAsync("0001_next", "SELECT 1;\n", "", SnapshotFor("next", null));

        var problem = Assert.Single(await directory.VerifySumAsync());
        Assert.Equal((SumProblemKind.Modified, "0000_init/up.sql"), (problem.Kind, problem.File));
    }

    [Fact]
    public async Task Writing_over_an_existing_id_is_refused()
    {
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        await WriteChainAsync(directory, "0000_init");

        var error = await Assert.ThrowsAsync<MigrationFileException>(() =>
            directory.WriteMigrationAsync("0000_init", "SELECT 1;\n", "", SnapshotFor("init", null)));

        Assert.Contains("already exists", error.Message);
    }

    [Fact]
    public async Task Dropping_the_newest_migration_removes_its_folder_and_its_lines_of_the_sum()
    {
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        var snapshots = await WriteChainAsync(directory, "0000_init", "0001_next");

        var dropped = await directory.DropNewestAsync();

        Assert.Equal("0001_next", dropped!.Id);
        Assert.False(Directory.Exists(folder.Combine("0001_next")));
        Assert.Equal(["0000_init"], Directory.GetDirectories(folder.Path).Select(Path.GetFileName));
        Assert.Equal(snapshots[0], await directory.LatestSnapshotAsync());
        Assert.Empty(await directory.VerifySumAsync());
        Assert.DoesNotContain("0001_next", await File.ReadAllTextAsync(directory.SumPath));
        Assert.Equal("0001_again", directory.NextId(MigrationPrefix.Index, "again", Now));
    }

    [Fact]
    public async Task Dropping_after_a_bad_merge_of_the_sum_repairs_it()
    {
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        await WriteChainAsync(directory, "0000_init", "0001_next");
        await File.WriteAllTextAsync(directory.SumPath, "<<<<<<< HEAD\nh1:abc=\n=======\n");

        await directory.DropNewestAsync();

        Assert.Empty(await directory.VerifySumAsync());
    }

    [Fact]
    public async Task Two_migrations_on_the_same_parent_are_a_branch_conflict_that_names_both_and_the_fix()
    {
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        var init = (await WriteChainAsync(directory, "0000_init"))[0];
        await directory.WriteMigrationAsync("0001_add_users", "SELECT 1;\n", "", SnapshotFor("add_users", init.Id));
        await directory.WriteMigrationAsync("0001_add_orders", "SELECT 2;\n", "", SnapshotFor("add_orders", init.Id));

        var conflict = Assert.Single(await directory.FindBranchConflictsAsync());

        Assert.Equal("0000_init", conflict.ParentMigrationId);
        Assert.Equal(["0001_add_orders", "0001_add_users"], conflict.MigrationIds);
        Assert.Contains("0001_add_orders and 0001_add_users were both generated on top of 0000_init", conflict.Message);
        Assert.Contains("strata drop", conflict.Message);
        Assert.Contains("strata generate", conflict.Message);
    }

    [Fact]
    public async Task A_straight_chain_has_no_branch_conflict()
    {
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        await WriteChainAsync(directory, "0000_a", "0001_b", "0002_c");

        Assert.Empty(await directory.FindBranchConflictsAsync());
    }

    [Fact]
    public async Task A_missing_or_corrupt_snapshot_is_an_error_naming_the_file()
    {
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        await WriteChainAsync(directory, "0000_a", "0001_b");
        File.Delete(directory.Migrations[1].SnapshotPath);
        await File.WriteAllTextAsync(directory.Migrations[0].SnapshotPath, "{\n  \"version\": 1,\n  \"id\": 12\n}\n");

        var missing = await Assert.ThrowsAsync<MigrationFileException>(() => directory.LatestSnapshotAsync());
        var corrupt = await Assert.ThrowsAsync<SnapshotFormatException>(() => directory.Migrations[0].ReadSnapshotAsync());

        Assert.Equal(directory.Migrations[1].SnapshotPath, missing.File);
        Assert.Contains("the file is missing", missing.Message);
        Assert.StartsWith(directory.Migrations[0].SnapshotPath + ":", corrupt.Message);
    }
}

using Strata.Postgres.Migrations;

namespace Strata.Tests.Migrations;

public class StrataSumTests
{
    private static async Task<TemporaryFolder> FolderWithTwoMigrationsAsync()
    {
        var folder = new TemporaryFolder();
        foreach (var id in new[] { "0000_init", "0001_add_users" })
        {
            Directory.CreateDirectory(folder.Combine(id));
            await File.WriteAllTextAsync(folder.Combine(id, "up.sql"), $"-- {id}\nSELECT 1;\n");
            await File.WriteAllTextAsync(folder.Combine(id, "down.sql"), "SELECT 2;\n");
            await File.WriteAllTextAsync(folder.Combine(id, "snapshot.json"), "{}\n");
        }
        await (await StrataSum.ComputeAsync(folder.Path)).WriteAsync(folder.Path);
        return folder;
    }

    private static async Task<IReadOnlyList<SumProblem>> VerifyAsync(TemporaryFolder folder) =>
        (await StrataSum.ReadAsync(folder.Path))!.Verify(await StrataSum.ComputeAsync(folder.Path));

    [Fact]
    public async Task The_sum_lists_every_file_sorted_under_a_total_hash_and_reads_back_clean()
    {
        using var folder = await FolderWithTwoMigrationsAsync();

        var lines = (await File.ReadAllTextAsync(folder.Combine("strata.sum"))).Split('\n');

        Assert.Matches("^h1:[A-Za-z0-9+/]{43}=$", lines[0]);
        Assert.Equal(
            ["0000_init/down.sql", "0000_init/snapshot.json", "0000_init/up.sql", "0001_add_users/down.sql", "0001_add_users/snapshot.json", "0001_add_users/up.sql"],
            lines[1..^1].Select(l => l.Split(' ')[0]));
        Assert.Equal($"0000_init/down.sql {StrataSum.Hash("SELECT 2;\n")}", lines[1]);
        Assert.Equal("", lines[^1]);
        Assert.Empty(await VerifyAsync(folder));
    }

    [Fact]
    public async Task An_edited_file_is_reported_with_both_hashes_and_the_remedy()
    {
        using var folder = await FolderWithTwoMigrationsAsync();
        var before = StrataSum.Hash("-- 0000_init\nSELECT 1;\n");
        await File.WriteAllTextAsync(folder.Combine("0000_init", "up.sql"), "-- 0000_init\nSELECT 42;\n");

        var problem = Assert.Single(await VerifyAsync(folder));

        Assert.Equal(SumProblemKind.Modified, problem.Kind);
        Assert.Equal("0000_init/up.sql", problem.File);
        Assert.Equal(before, problem.RecordedHash);
        Assert.Equal(StrataSum.Hash("-- 0000_init\nSELECT 42;\n"), problem.ActualHash);
        Assert.Contains(before, problem.Message);
        Assert.Contains("restore the file from version control", problem.Message);
    }

    [Fact]
    public async Task A_missing_file_and_a_file_not_in_the_sum_are_reported()
    {
        using var folder = await FolderWithTwoMigrationsAsync();
        File.Delete(folder.Combine("0001_add_users", "down.sql"));
        Directory.CreateDirectory(folder.Combine("0002_from_other_branch"));
        await File.WriteAllTextAsync(folder.Combine("0002_from_other_branch", "up.sql"), "SELECT 3;\n");

        var problems = await VerifyAsync(folder);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p is { Kind: SumProblemKind.Missing, File: "0001_add_users/down.sql" } && p.Message.Contains("strata drop"));
        Assert.Contains(problems, p => p is { Kind: SumProblemKind.NotInSum, File: "0002_from_other_branch/up.sql" });
    }

    [Fact]
    public async Task A_sum_whose_first_line_does_not_match_its_lines_is_reported_as_edited()
    {
        using var folder = await FolderWithTwoMigrationsAsync();
        var path = folder.Combine("strata.sum");
        var lines = (await File.ReadAllTextAsync(path)).Split('\n').ToList();
        lines.RemoveAt(1);
        await File.WriteAllTextAsync(path, string.Join('\n', lines));

        var problems = await VerifyAsync(folder);

        Assert.Contains(problems, p => p.Kind == SumProblemKind.SumEdited && p.Message.Contains("Never merge strata.sum by hand"));
        Assert.Contains(problems, p => p is { Kind: SumProblemKind.NotInSum, File: "0000_init/down.sql" });
    }

    [Fact]
    public void A_malformed_sum_is_an_error_naming_the_file_and_line()
    {
        var text = "h1:abc=\n0000_init/up.sql h1:x=\n<<<<<<< HEAD\n";

        var error = Assert.Throws<MigrationFileException>(() => StrataSum.Parse(text, "db/migrations/strata.sum"));

        Assert.Equal("db/migrations/strata.sum", error.File);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("db/migrations/strata.sum:3: expected \"<folder>/<file> h1:<hash>\", found \"<<<<<<< HEAD\"", error.Message);
        Assert.Equal(1, Assert.Throws<MigrationFileException>(() => StrataSum.Parse("", "strata.sum")).Line);
    }

    [Fact]
    public async Task Crlf_line_endings_from_a_windows_checkout_hash_the_same()
    {
        using var folder = await FolderWithTwoMigrationsAsync();
        await File.WriteAllTextAsync(folder.Combine("0000_init", "up.sql"), "-- 0000_init\r\nSELECT 1;\r\n");

        Assert.Empty(await VerifyAsync(folder));
    }

    [Fact]
    public async Task Hidden_files_and_temporary_folders_are_not_part_of_the_sum()
    {
        using var folder = await FolderWithTwoMigrationsAsync();
        await File.WriteAllTextAsync(folder.Combine("0000_init", ".DS_Store"), "x");
        Directory.CreateDirectory(folder.Combine(".0002_x.tmp"));
        await File.WriteAllTextAsync(folder.Combine(".0002_x.tmp", "up.sql"), "x");

        Assert.Empty(await VerifyAsync(folder));
    }

    [Theory]
    [InlineData(new byte[] { 0x53, 0x45, 0x4C, 0x45, 0x43, 0x54, 0x20, 0x31, 0x3B, 0x0A })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0x53, 0x45, 0x4C, 0x45, 0x43, 0x54, 0x0A })]
    [InlineData(new byte[] { 0x2D, 0x2D, 0x20, 0xC3, 0xA9, 0x0D, 0x0A, 0x0D, 0x78 })]
    [InlineData(new byte[] { 0x2D, 0x2D, 0x20, 0xC3, 0x28, 0xFF, 0x0A })]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x53, 0x00, 0x0A, 0x00 })]
    [InlineData(new byte[] { })]
    public async Task A_file_hashes_as_the_hash_of_its_text_whatever_its_encoding_and_line_endings(byte[] content)
    {
        using var folder = await FolderWithTwoMigrationsAsync();
        var path = folder.Combine("0000_init", "up.sql");
        await File.WriteAllBytesAsync(path, content);

        var sum = await StrataSum.ComputeAsync(folder.Path);

        Assert.Equal(StrataSum.Hash(await File.ReadAllTextAsync(path)), sum.Files["0000_init/up.sql"]);
    }
}

using System.Text;
using Strata.Postgres.Migrations;

namespace Strata.Tests.Migrations;

public sealed class SourceTextTests
{
    private static SourceText Open(byte[] bytes, string name = "db/migrations/0001_x/up.sql") => SourceText.Open(new MemoryStream(bytes), name);

    [Fact]
    public async Task A_byte_that_is_not_utf8_is_refused_with_the_file_the_line_and_the_byte_offset()
    {
        // 'caf\xe9' in Latin-1, on line 3: "SELECT 1;\n" is 10 bytes, "-- é ok\n" 9 (é is two bytes in UTF-8), "INSERT INTO t VALUES ('caf" 26.
        var bytes = Encoding.UTF8.GetBytes("SELECT 1;\n-- é ok\nINSERT INTO t VALUES ('caf").Concat(new byte[] { 0xE9 }).Concat("');\n"u8.ToArray()).ToArray();

        var error = await Assert.ThrowsAsync<MigrationFileException>(() => SourceText.ReadAsync(new MemoryStream(bytes), "db/migrations/0001_x/up.sql"));

        Assert.Equal("db/migrations/0001_x/up.sql", error.File);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("db/migrations/0001_x/up.sql:3: byte offset 45 (0xE9) is not UTF-8", error.Message);
        Assert.Contains("save the file as UTF-8", error.Message);
    }

    [Fact]
    public async Task A_bad_byte_far_into_a_large_file_is_placed_exactly_across_chunks()
    {
        var line = Encoding.UTF8.GetBytes(new string('a', 99) + "\n");
        var bytes = Enumerable.Repeat(line, 5000).SelectMany(b => b).Concat(new byte[] { 0xC3, 0x28 }).ToArray();
        using var reader = Open(bytes);

        var error = await Assert.ThrowsAsync<MigrationFileException>(async () =>
        {
            while (await reader.ReadLineAsync() is not null)
            {
            }
        });

        Assert.Equal(5001, error.Line);
        Assert.Contains("byte offset 500000 ", error.Message);
    }

    [Theory]
    [InlineData("SELECT 1;\nSELECT 'é';\n")]
    [InlineData("SELECT 1;\r\nSELECT 2;\r\n")]
    [InlineData("\uFEFFSELECT 1;\n")]
    [InlineData("no final newline\r")]
    [InlineData("")]
    public async Task The_checksum_is_strata_sums_hash_of_the_text_and_lines_split_at_newlines_only(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        using var reader = Open(bytes);
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } read)
            lines.Add(read);

        var expected = text.TrimStart('\uFEFF');
        Assert.Equal(StrataSum.Hash(expected), reader.Checksum);
        Assert.Equal(expected.Split('\n').Select(l => l.TrimEnd('\r')), lines);
    }

    [Fact]
    public async Task A_crlf_split_across_chunks_hashes_as_lf()
    {
        var text = new string('x', 64 * 1024 - 1) + "\r\nSELECT 1;\r\n";
        using var reader = Open(Encoding.UTF8.GetBytes(text));

        await reader.ReadToEndAsync();

        Assert.Equal(StrataSum.Hash(text), reader.Checksum);
    }

    [Fact]
    public async Task A_migration_that_is_not_utf8_keeps_the_checksum_it_was_applied_with_and_holds_the_problem_for_when_it_would_run()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(folder.Combine("0000_latin1"));
        byte[] bytes = [.. "INSERT INTO t VALUES ('caf"u8, 0xE9, .. "');\n"u8];
        await File.WriteAllBytesAsync(folder.Combine("0000_latin1", "up.sql"), bytes);
        var source = await MigrationSource.FromFolderAsync(folder.Path);

        var scripts = await source.ReadAsync("0000_latin1");

        Assert.Equal(StrataSum.Hash("INSERT INTO t VALUES ('caf\uFFFD');\n"), scripts.UpChecksum);
        Assert.Equal(1, scripts.UpProblem!.Line);
        Assert.Contains("byte offset 26 (0xE9) is not UTF-8", scripts.UpProblem.Message);
    }
}

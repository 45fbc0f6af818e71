using System.Text.Json;

namespace Strata.IntegrationTests.Cli;

/// <summary>strata generate's safe forms from the command line: the pair it writes and says, --safety off, and --json.</summary>
[Collection(CliCollection.Name)]
public sealed class SafeGenerateCliTests(BuiltSample sample)
{
    private const string DueOn = "t.Column(\"due_on\", Types.Date);";

    [Fact]
    public async Task A_check_on_an_existing_table_is_generated_as_a_pair_and_safety_off_gives_one_plain_migration()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        copy.EditSchema(DueOn, DueOn + "\n            t.Check(\"items_due_recent\", \"due_on > '2000-01-01'\");");

        var generate = await copy.RunAsync("generate", "--name", "due_recent", "--json");

        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.Equal(["0000_init", "0001_due_recent", "0002_due_recent_concurrently"], copy.MigrationFolders());
        using (var json = JsonDocument.Parse(generate.Stdout))
        {
            Assert.Equal("0001_due_recent", json.RootElement.GetProperty("id").GetString());
            Assert.Equal("0002_due_recent_concurrently", json.RootElement.GetProperty("online").GetString());
        }
        Assert.Contains("NOT VALID;", copy.ReadMigrationFile("0001_due_recent", "up.sql"));
        Assert.Contains("VALIDATE CONSTRAINT \"items_due_recent\";", copy.ReadMigrationFile("0002_due_recent_concurrently", "up.sql"));
        var clean = await copy.RunAsync("check");
        Assert.True(clean.ExitCode == 0, clean.ToString());

        // Dropped (both), then generated again in the plain form.
        Assert.Equal(0, (await copy.RunAsync("drop")).ExitCode);
        Assert.Equal(0, (await copy.RunAsync("drop")).ExitCode);
        var plain = await copy.RunAsync("generate", "--name", "due_recent", "--safety", "off");

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Equal(["0000_init", "0001_due_recent"], copy.MigrationFolders());
        var up = copy.ReadMigrationFile("0001_due_recent", "up.sql");
        Assert.Contains("ADD CONSTRAINT \"items_due_recent\" CHECK (due_on > '2000-01-01');", up);
        Assert.DoesNotContain("NOT VALID", up);
    }
}

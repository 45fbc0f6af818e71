namespace Strata.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class ExportTests(BuiltSample sample)
{
    [Fact]
    public async Task Export_prints_the_sql_that_creates_the_whole_schema_and_nothing_else_on_stdout()
    {
        var result = await StrataProcess.RunAsync(sample.Directory, "export");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("CREATE TYPE \"public\".\"priority\" AS ENUM ('low', 'normal', 'high');", result.Stdout);
        foreach (var table in new[] { "users", "lists", "items" })
            Assert.Contains($"CREATE TABLE \"public\".\"{table}\"", result.Stdout);
        Assert.DoesNotContain("Building", result.Stdout);
    }

    [Fact]
    public async Task Export_does_not_build_a_schema_project_that_is_up_to_date()
    {
        var result = await StrataProcess.RunAsync(sample.Directory, "export");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("Building", result.Stderr);
    }

    [Fact]
    public async Task Export_with_json_writes_one_json_document()
    {
        var result = await StrataProcess.RunAsync(sample.Directory, "export", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = System.Text.Json.JsonDocument.Parse(result.Stdout);
        Assert.True(document.RootElement.GetProperty("ok").GetBoolean());
        Assert.Contains(document.RootElement.GetProperty("statements").EnumerateArray(),
            s => s.GetProperty("sql").GetString()!.StartsWith("CREATE TABLE \"public\".\"users\"", StringComparison.Ordinal));
    }
}

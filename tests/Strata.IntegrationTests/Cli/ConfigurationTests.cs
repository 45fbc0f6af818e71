namespace Strata.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class ConfigurationTests(BuiltSample sample)
{
    [Fact]
    public async Task Invalid_json_in_strata_json_is_reported_with_the_file_line_and_column()
    {
        using var copy = sample.CreateCopy();
        var config = Path.Combine(copy.Directory, "strata.json");
        await File.WriteAllTextAsync(config, "{\n  \"schema\": \"Todo.Schema/Todo.Schema.csproj\"\n  \"migrations\": \"db/migrations\"\n}\n");

        var result = await copy.RunAsync("generate");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: {config}(3,", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.Empty(copy.MigrationFolders());
    }

    [Fact]
    public async Task An_unknown_key_in_strata_json_is_named_with_its_line()
    {
        using var copy = sample.CreateCopy();
        var config = Path.Combine(copy.Directory, "strata.json");
        await File.WriteAllTextAsync(config, "{\n  \"schema\": \"Todo.Schema/Todo.Schema.csproj\",\n  \"migration\": \"db/migrations\"\n}\n");

        var result = await copy.RunAsync("export");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{config}(3,3): unknown key \"migration\" (did you mean \"migrations\"?)", result.Stderr);
    }

    [Fact]
    public async Task A_missing_schema_key_says_which_key_and_shows_an_example()
    {
        using var copy = sample.CreateCopy();
        await File.WriteAllTextAsync(Path.Combine(copy.Directory, "strata.json"), "{ \"migrations\": \"db/migrations\" }");

        var result = await copy.RunAsync("export");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("the required key \"schema\" is missing", result.Stderr);
        Assert.Contains("\"schema\": \"src/App.Schema/App.Schema.csproj\"", result.Stderr);
    }

    [Fact]
    public async Task Without_strata_json_the_command_says_where_it_looked()
    {
        var empty = Directory.CreateTempSubdirectory("strata-cli-empty-");
        try
        {
            var result = await StrataProcess.RunAsync(empty.FullName, "export");

            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"no strata.json in {empty.FullName} or any folder above it", result.Stderr);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Config_option_points_at_a_strata_json_elsewhere()
    {
        using var copy = sample.CreateCopy();
        var elsewhere = Directory.CreateTempSubdirectory("strata-cli-cwd-");
        try
        {
            var result = await StrataProcess.RunAsync(elsewhere.FullName, "export", "--config", Path.Combine(copy.Directory, "strata.json"));

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("CREATE TABLE \"public\".\"users\"", result.Stdout);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        using var copy = sample.CreateCopy();

        var result = await copy.RunAsync("export", "--frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error:", result.Stderr);
        Assert.Contains("--frobnicate", result.Stderr);
    }
}

using Strata.IntegrationTests.Infrastructure;

namespace Strata.IntegrationTests.Cli.Pull;

/// <summary>
/// The names <c>strata pull</c> gives the files and methods of the C# schema: unique even where the database's
/// names are not as C# sees them (schemas that differ only by case, or by characters a C# name cannot hold), and
/// init's example recognised whatever name the project was given.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class PullNamingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Schemas_whose_names_differ_only_by_case_or_punctuation_are_pulled_into_distinct_files_that_build()
    {
        // "Foo", foo and "FOO" are one name to a case-insensitive file system (and to MSBuild's Compile items);
        // "a.b", a_b and "a-b" are one C# name; "x1" becomes X1 as the 51-table schema x's second method would.
        await using var original = await postgres.CreateDatabaseAsync("pull_case", """
            CREATE SCHEMA "Foo";
            CREATE SCHEMA foo;
            CREATE SCHEMA "FOO";
            CREATE SCHEMA "a.b";
            CREATE SCHEMA a_b;
            CREATE SCHEMA "a-b";
            CREATE SCHEMA "X1";
            CREATE SCHEMA x;
            CREATE TABLE "Foo".t (id integer PRIMARY KEY);
            CREATE TABLE foo.t (id integer PRIMARY KEY);
            CREATE TABLE "FOO".t (id integer PRIMARY KEY);
            CREATE TABLE "a.b".t (id integer PRIMARY KEY);
            CREATE TABLE a_b.t (id integer PRIMARY KEY);
            CREATE TABLE "a-b".t (id integer PRIMARY KEY);
            CREATE TABLE "X1".t (id integer PRIMARY KEY);
            DO $$ BEGIN FOR i IN 1..51 LOOP EXECUTE format('CREATE TABLE x.t%s (id integer PRIMARY KEY)', i); END LOOP; END $$;
            """);
        using var project = await PullProject.InitAsync();

        var pull = await project.RunAsync(original, "pull");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        var files = project.SchemaFiles();
        Assert.Equal(files.Length, files.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var generate = await project.RunAsync("generate");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.Contains("No changes", generate.Stdout);

        // The same database pulled again gives the same files, unchanged.
        var again = await project.RunAsync(original, "pull", "--force");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(files, project.SchemaFiles());
        Assert.DoesNotContain("(replaced)", again.Stdout);
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("Foo_bar")]
    public async Task Pull_replaces_inits_untouched_example_whatever_the_projects_name(string name)
    {
        using var folder = new ScratchFolder("naming");
        var init = await StrataProcess.RunAsync(folder.Path, "init", "--name", name);
        Assert.True(init.ExitCode == 0, init.ToString());
        await using var original = await postgres.CreateDatabaseAsync("pull_init_name", "CREATE TABLE users (id integer PRIMARY KEY, email text)");

        var pull = await StrataProcess.RunAsync(folder.Path, "pull", "--connection", original.ConnectionString);

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains("(strata init's example)", pull.Stdout);
        var generate = await StrataProcess.RunAsync(folder.Path, "generate");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.Contains("No changes", generate.Stdout);
    }
}

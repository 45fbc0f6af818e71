using Npgsql;
using Strata.IntegrationTests.Cli;
using Strata.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Strata.IntegrationTests.Docs;

/// <summary>
/// The strata steps of .github/workflows/ci.yml, run here as the runner would run them: in their
/// working directory (a copy of it), with the job's TEST_DATABASE_URL pointing at a test database.
/// </summary>
public sealed class CiWorkflowRunTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task The_ci_workflow_strata_steps_migrate_and_check_the_sample_on_a_fresh_test_database()
    {
        var job = (YamlMappingNode)((YamlMappingNode)Load("ci.yml")["jobs"])["test"];
        var jobEnvironment = ((YamlMappingNode)job["env"]).Children.ToDictionary(c => c.Key.ToString(), c => c.Value.ToString());
        Assert.Contains("TEST_DATABASE_URL", jobEnvironment.Keys);
        var steps = ((YamlSequenceNode)job["steps"]).Cast<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey("run") && s["run"].ToString().StartsWith("dotnet strata", StringComparison.Ordinal))
            .Select(s => (Run: s["run"].ToString(), Directory: s["working-directory"].ToString()))
            .ToList();
        // check (the folder and the C# schema) before migrate: a branch conflict or an unaccepted edit stops CI before any database is touched.
        Assert.Equal(["dotnet strata check", "dotnet strata migrate --env test", "dotnet strata check --env test"], steps.Select(s => s.Run));
        var directory = Assert.Single(steps.Select(s => s.Directory).Distinct());

        var project = Path.Combine(Path.GetTempPath(), "strata-ci-" + Guid.NewGuid().ToString("N")[..8]);
        CopyProject(Path.Combine(StrataProcess.RepositoryRoot, directory), project);
        await using var test = await postgres.CreateDatabaseAsync("ci");
        var server = new NpgsqlConnectionStringBuilder(test.ConnectionString);
        var url = $"postgres://{Uri.EscapeDataString(server.Username!)}:{Uri.EscapeDataString(server.Password ?? "")}@{server.Host}:{server.Port}/{server.Database}?sslmode=disable";
        try
        {
            foreach (var (run, _) in steps)
            {
                var result = await StrataShell.RunAsync(project, new Dictionary<string, string?> { ["TEST_DATABASE_URL"] = url }, run);
                Assert.True(result.Exit == 0, $"{run}: exit {result.Exit}\n{result.Output}");
            }

            var migrations = Directory.GetDirectories(Path.Combine(project, "db", "migrations")).Length;
            Assert.True(migrations > 0);
            Assert.Equal((long)migrations, await test.ScalarAsync<long>("SELECT count(*) FROM strata.__strata_migrations"));
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(StrataProcess.RepositoryRoot, ".github", "workflows", file)));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    /// <summary>The project as a fresh clone has it: no build output, no local server; a repository path made absolute.</summary>
    private static void CopyProject(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            var text = File.ReadAllText(file);
            File.WriteAllText(Path.Combine(target, Path.GetFileName(file)), file.EndsWith(".csproj", StringComparison.Ordinal)
                ? text.Replace("../../../src/", Path.Combine(StrataProcess.RepositoryRoot, "src") + "/", StringComparison.Ordinal)
                : text);
        }
        foreach (var directory in Directory.GetDirectories(source).Where(d => Path.GetFileName(d) is not ("bin" or "obj" or ".strata")))
            CopyProject(directory, Path.Combine(target, Path.GetFileName(directory)));
    }
}

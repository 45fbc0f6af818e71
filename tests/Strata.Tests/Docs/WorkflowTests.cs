using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Strata.Tests.Docs;

/// <summary>The GitHub workflows parse as YAML and do what DATABASE.md says: the service, the commands in order, secrets only in env.</summary>
public sealed partial class WorkflowTests
{
    private static readonly string Workflows = Path.Combine(DocCommandTests.RepositoryRoot, ".github", "workflows");

    [Fact]
    public void Ci_has_a_PostgreSQL_15_service_with_a_health_check_and_the_test_database_url_pointing_at_it()
    {
        var job = Job("ci.yml", "test");

        var postgres = (YamlMappingNode)Map(job, "services")["postgres"];
        Assert.Equal("postgres:15", Scalar(postgres, "image"));
        Assert.Contains("5432:5432", ((YamlSequenceNode)postgres["ports"]).Select(p => ((YamlScalarNode)p).Value));
        Assert.Contains("--health-cmd", Scalar(postgres, "options"));
        var env = Map(job, "env");
        var user = Scalar(Map(postgres, "env"), "POSTGRES_USER");
        var database = Scalar(Map(postgres, "env"), "POSTGRES_DB");
        Assert.StartsWith($"postgres://{user}:", Scalar(env, "TEST_DATABASE_URL"));
        Assert.Contains($"@localhost:5432/{database}", Scalar(env, "TEST_DATABASE_URL"));
    }

    [Fact]
    public void Ci_sets_up_dotnet_10_restores_the_tool_from_the_packed_feed_then_migrates_checks_and_tests_in_that_order()
    {
        var steps = Steps("ci.yml", "test");

        var setup = Assert.Single(steps, s => s.Uses?.StartsWith("actions/setup-dotnet@", StringComparison.Ordinal) == true);
        Assert.Equal("10.0.x", setup.With["dotnet-version"]);
        Assert.Equal(
            ["dotnet pack src/Strata.Cli -c Release -o .packages", "dotnet tool restore --add-source .packages", "dotnet strata check", "dotnet strata migrate --env test", "dotnet strata check --env test", "dotnet test Strata.slnx"],
            steps.Select(s => s.Run).OfType<string>().Where(r => r.StartsWith("dotnet ", StringComparison.Ordinal)));
        Assert.True(steps.IndexOf(setup) < steps.FindIndex(s => s.Run is not null), "setup-dotnet before the first command");
        AssertStrataStepsRunIn(steps, "samples/todo");
    }

    [Fact]
    public void Deploy_runs_in_the_protected_production_environment_checks_then_migrates_production_with_the_secrets()
    {
        var job = Job("deploy.yml", "deploy");
        var steps = Steps("deploy.yml", "deploy");

        Assert.Equal("production", Scalar(job, "environment"));
        var afterCi = Map(Map(Root("deploy.yml"), "on"), "workflow_run");
        Assert.Equal(["CI"], ((YamlSequenceNode)afterCi["workflows"]).Select(w => w.ToString()));
        Assert.Equal("CI", Scalar(Root("ci.yml"), "name"));
        Assert.Contains("github.event.workflow_run.conclusion == 'success'", Scalar(job, "if"));
        Assert.False(Scalar(Map(Root("deploy.yml"), "concurrency"), "cancel-in-progress") == "true", "a deployment must not cancel one that is migrating");
        var strata = steps.Where(s => s.Run?.StartsWith("dotnet strata", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(["dotnet strata check", "dotnet strata migrate --env production", "dotnet strata status --env production"], strata.Select(s => s.Run));
        Assert.Empty(strata[0].Env);
        var migrate = strata[1];
        Assert.Equal("${{ secrets.DATABASE_URL }}", migrate.Env["DATABASE_URL"]);
        Assert.Equal("${{ secrets.DIRECT_DATABASE_URL }}", migrate.Env["DIRECT_DATABASE_URL"]);
        AssertStrataStepsRunIn(steps, "samples/todo");
    }

    [Theory]
    [InlineData("ci.yml")]
    [InlineData("deploy.yml")]
    public void Secrets_appear_only_as_step_env_values_and_no_command_prints_a_database_url(string file)
    {
        var root = Root(file);
        foreach (var (name, job) in Map(root, "jobs").Children.Select(c => (((YamlScalarNode)c.Key).Value!, (YamlMappingNode)c.Value)))
        {
            Assert.DoesNotContain("secrets.", Text(Map(job, "env")));
            foreach (var step in Steps(file, name))
            {
                Assert.DoesNotContain("secrets.", step.Run ?? "");
                Assert.DoesNotContain("secrets.", string.Join(' ', step.With.Values));
                Assert.False(EchoOfUrlRegex().IsMatch(step.Run ?? ""), $"{file}: '{step.Run}' prints a database URL");
                Assert.All(step.Env.Where(e => e.Value.Contains("secrets.", StringComparison.Ordinal)), e => Assert.Equal($"${{{{ secrets.{e.Key} }}}}", e.Value));
            }
        }
    }

    [Fact]
    public void The_strata_project_the_workflows_use_has_the_environments_they_name_and_the_tool_manifest_lists_strata()
    {
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(DocCommandTests.RepositoryRoot, "samples", "todo", "strata.json"))).RootElement;
        var environments = config.GetProperty("environments");
        Assert.Equal("${TEST_DATABASE_URL}", environments.GetProperty("test").GetProperty("url").GetString());
        Assert.Equal("${DATABASE_URL}", environments.GetProperty("production").GetProperty("url").GetString());
        Assert.Equal("${DIRECT_DATABASE_URL}", environments.GetProperty("production").GetProperty("directUrl").GetString());
        Assert.True(environments.GetProperty("production").GetProperty("protected").GetBoolean());

        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(DocCommandTests.RepositoryRoot, ".config", "dotnet-tools.json"))).RootElement;
        var tool = manifest.GetProperty("tools").GetProperty("strata.cli");
        Assert.Equal(["strata"], tool.GetProperty("commands").EnumerateArray().Select(c => c.GetString()));
        var version = Regex.Match(File.ReadAllText(Path.Combine(DocCommandTests.RepositoryRoot, "Directory.Build.props")), "<Version>(.*)</Version>").Groups[1].Value;
        Assert.Equal(version, tool.GetProperty("version").GetString());
    }

    private static void AssertStrataStepsRunIn(List<WorkflowStep> steps, string directory)
    {
        Assert.All(steps.Where(s => s.Run?.StartsWith("dotnet strata", StringComparison.Ordinal) == true), s => Assert.Equal(directory, s.WorkingDirectory));
        Assert.True(File.Exists(Path.Combine(DocCommandTests.RepositoryRoot, directory, "strata.json")), $"{directory}/strata.json");
    }

    /// <summary>A step of a job, as the runner reads it.</summary>
    public sealed record WorkflowStep(string? Name, string? Uses, string? Run, string? WorkingDirectory, IReadOnlyDictionary<string, string> Env, IReadOnlyDictionary<string, string> With);

    public static List<WorkflowStep> Steps(string file, string job) =>
        ((YamlSequenceNode)Job(file, job)["steps"]).Cast<YamlMappingNode>().Select(step => new WorkflowStep(
            ScalarOrNull(step, "name"), ScalarOrNull(step, "uses"), ScalarOrNull(step, "run")?.Trim(), ScalarOrNull(step, "working-directory"),
            Pairs(step, "env"), Pairs(step, "with"))).ToList();

    public static YamlMappingNode Root(string file)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Workflows, file)));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Job(string file, string job) => Map(Map(Root(file), "jobs"), job);

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (YamlMappingNode)value : new YamlMappingNode();

    private static string Scalar(YamlMappingNode node, string key) => ScalarOrNull(node, key) ?? throw new Xunit.Sdk.XunitException($"no '{key}'");

    private static string? ScalarOrNull(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    private static Dictionary<string, string> Pairs(YamlMappingNode node, string key) =>
        Map(node, key).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? "");

    private static string Text(YamlMappingNode node) => string.Join('\n', node.Children.Select(c => $"{c.Key}: {c.Value}"));

    [GeneratedRegex(@"\b(echo|printf|cat)\b[^\n]*\$\{?(DATABASE_URL|DIRECT_DATABASE_URL|TEST_DATABASE_URL)")]
    private static partial Regex EchoOfUrlRegex();
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Strata.Postgres.Configuration;

namespace Strata.Tests.Configuration;

/// <summary>The JSON schema of strata.json: embedded as in the repository, agreeing with the loader and with the documentation.</summary>
public sealed partial class StrataJsonSchemaTests
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();

    private static readonly JsonSchema Schema = JsonSchema.FromText(StrataJsonSchema.Text);

    [Fact]
    public void The_embedded_schema_is_the_file_in_the_repository_and_declares_draft_2020_12()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot, "schemas", "strata.schema.json")), StrataJsonSchema.Text);
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", JsonNode.Parse(StrataJsonSchema.Text)!["$schema"]!.GetValue<string>());
    }

    [Fact]
    public void The_schema_lists_exactly_the_keys_the_loader_knows()
    {
        var schema = JsonNode.Parse(StrataJsonSchema.Text)!;

        Assert.Equal(StrataConfigLoader.Keys.Order(), schema["properties"]!.AsObject().Select(p => p.Key).Order());
        var environment = schema["$defs"]!["environment"]!;
        Assert.Equal(StrataConfigLoader.EnvironmentKeys.Order(), environment["properties"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(StrataConfigLoader.SslModes, environment["properties"]!["sslMode"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
        Assert.False(environment["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public void The_schema_lists_exactly_the_rules_of_strata_lint()
    {
        var rules = JsonNode.Parse(StrataJsonSchema.Text)!["properties"]!["lint"]!["properties"]!["rules"]!;
        Assert.Equal(Strata.Postgres.Linting.LintRules.All.Select(r => r.Id), rules["propertyNames"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void Every_strata_json_example_in_the_docs_is_valid_for_the_schema_and_the_loader()
    {
        var examples = new[] { "docs/configuration.md", "README.md" }
            .SelectMany(file => JsonBlock().Matches(File.ReadAllText(Path.Combine(RepositoryRoot, file))).Select(m => (File: file, Json: m.Groups["json"].Value)))
            .Where(block => JsonNode.Parse(block.Json, documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip }) is JsonObject o && o.ContainsKey("schema"))
            .ToList();

        Assert.True(examples.Count >= 3, $"expected the docs to show at least 3 strata.json examples, found {examples.Count}");
        foreach (var (file, json) in examples)
        {
            var result = Schema.Evaluate(JsonNode.Parse(json), new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, $"an example in {file} does not match the schema: {Errors(result)}\n{json}");
            StrataConfigLoader.Parse(json, "/repo/strata.json");
        }
    }

    [Theory]
    [InlineData("""{ "migrations": "db" }""")]
    [InlineData("""{ "schema": "A.csproj", "colour": "blue" }""")]
    [InlineData("""{ "schema": "A.csproj", "environments": { "production": { "sslMode": "verify_full" } } }""")]
    [InlineData("""{ "schema": "A.csproj", "environments": { "production": { "lockTimeout": "5 seconds" } } }""")]
    [InlineData("""{ "schema": "A.csproj", "environments": { "production": { "poolSize": 0 } } }""")]
    [InlineData("""{ "schema": "A.csproj", "environments": { "production": { "password": "x" } } }""")]
    [InlineData("""{ "schema": "A.csproj", "environments": { "bad name": { } } }""")]
    [InlineData("""{ "schema": "A.csproj", "lint": { "rules": { "index-not-concurent": "off" } } }""")]
    [InlineData("""{ "schema": "A.csproj", "lint": { "rules": { "rename": "info" } } }""")]
    [InlineData("""{ "schema": "A.csproj", "lint": { "rule": { } } }""")]
    public void What_the_loader_refuses_the_schema_refuses_too(string json)
    {
        Assert.Throws<ConfigurationException>(() => StrataConfigLoader.Parse(json, "/repo/strata.json"));
        Assert.False(Schema.Evaluate(JsonNode.Parse(json)).IsValid, json);
    }

    private static string Errors(EvaluationResults result) =>
        string.Join("; ", result.Details.Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    [GeneratedRegex(@"```json\n(?<json>.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Strata.slnx")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Strata.slnx above {AppContext.BaseDirectory}");
    }
}

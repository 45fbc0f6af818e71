namespace Strata.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class SchemaProjectTests(BuiltSample sample)
{
    [Fact]
    public async Task A_schema_project_that_does_not_compile_shows_the_compiler_error_and_writes_nothing()
    {
        using var copy = sample.CreateCopy();
        copy.EditSchema("t.Column(\"due_on\", Types.Date);", "t.Column(\"due_on\", Types.Dat);");

        var result = await copy.RunAsync("generate", "--name", "broken");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("does not build", result.Stderr);
        Assert.Contains("TodoSchema.cs(", result.Stderr);
        Assert.Contains("error CS0117", result.Stderr);
        Assert.False(Directory.Exists(copy.MigrationsDirectory));
    }

    [Fact]
    public async Task With_two_schema_definitions_strata_asks_for_schemaType_and_then_uses_the_one_named()
    {
        using var copy = sample.CreateCopy();
        File.WriteAllText(Path.Combine(copy.Directory, "Todo.Schema", "AuditSchema.cs"), """
            using Strata.Dsl;

            namespace Todo.Schema;

            public sealed class AuditSchema : ISchemaDefinition
            {
                public void Define(SchemaBuilder db) => db.Table("audit", t => t.Column("id", Types.BigInt).PrimaryKey());
            }
            """);

        var ambiguous = await copy.RunAsync("export");

        Assert.True(ambiguous.ExitCode == 2, ambiguous.ToString());
        Assert.Contains("Todo.Schema.AuditSchema", ambiguous.Stderr);
        Assert.Contains("Todo.Schema.TodoSchema", ambiguous.Stderr);
        Assert.Contains("\"schemaType\"", ambiguous.Stderr);

        File.WriteAllText(Path.Combine(copy.Directory, "strata.json"), """
            { "schema": "Todo.Schema/Todo.Schema.csproj", "schemaType": "Todo.Schema.AuditSchema" }
            """);
        var chosen = await copy.RunAsync("export");

        Assert.True(chosen.ExitCode == 0, chosen.ToString());
        Assert.Contains("CREATE TABLE \"public\".\"audit\"", chosen.Stdout);
        Assert.DoesNotContain("\"users\"", chosen.Stdout);
        Assert.DoesNotContain("Building", chosen.Stderr);
    }
}

using Strata.IntegrationTests.Infrastructure;
using Strata.IntegrationTests.Scenarios;
using Strata.Postgres.Introspection;
using Strata.Testing;

namespace Strata.IntegrationTests.Cli;

/// <summary>What the reset, seed and protected-environment tests set up in a sample copy.</summary>
public static class OpsProject
{
    /// <summary>Rewrites strata.json: the sample's schema and migrations plus <paramref name="extra"/> (JSON members).</summary>
    public static void WriteConfig(this SampleCopy copy, string extra) =>
        File.WriteAllText(Path.Combine(copy.Directory, "strata.json"), $$"""
            {
              "$schema": "./strata.schema.json",
              "schema": "Todo.Schema/Todo.Schema.csproj",
              "migrations": "db/migrations",
              {{extra}}
            }
            """);

    /// <summary>strata.json with a protected "production" environment (the tests pass its database with --connection).</summary>
    public static void ProtectProduction(this SampleCopy copy) =>
        copy.WriteConfig("""
            "environments": { "development": { }, "production": { "protected": true } }
            """);

    public static void WriteSeedFile(this SampleCopy copy, string name, string sql)
    {
        var folder = Path.Combine(copy.Directory, "db", "seeds");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name), sql);
    }

    /// <summary>Generates the sample's first migration and applies it to <paramref name="database"/> (migrate with <paramref name="migrateArgs"/>).</summary>
    public static async Task MigrateInitAsync(this SampleCopy copy, TestDatabase database, params string[] migrateArgs)
    {
        var generated = await copy.RunAsync("generate", "--name", "init");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        var migrated = await copy.RunAsync(database, "migrate", migrateArgs);
        Assert.True(migrated.ExitCode == 0, migrated.ToString());
    }

    /// <summary>The database's schema as introspection reads it, the tracking schema left out.</summary>
    public static async Task<IReadOnlyList<string>> SchemaLinesAsync(this TestDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync();
        return ModelDump.Lines(await PostgresIntrospector.ReadAsync(connection, excludeSchemas: ["strata"]));
    }

    public static Task AddUserAsync(this TestDatabase database, string email = "ada@example.com") =>
        database.ExecuteAsync($"INSERT INTO users (email, display_name) VALUES ('{email}', 'Ada')");
}

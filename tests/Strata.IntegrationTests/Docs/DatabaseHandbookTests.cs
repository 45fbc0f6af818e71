using Npgsql;
using Strata.IntegrationTests.Cli;
using Strata.IntegrationTests.Infrastructure;

namespace Strata.IntegrationTests.Docs;

/// <summary>
/// DATABASE.md run as written on a copy of samples/todo (with its migrations) against a test database: the
/// workflow, review, branch conflict, reset, rollback rehearsal, backup, and every troubleshooting message.
/// </summary>
public sealed class DatabaseHandbookTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task The_database_handbook_runs_as_written_and_its_troubleshooting_messages_are_what_strata_prints()
    {
        using var copy = SampleCopy.Create();
        CopyDirectory(Path.Combine(SampleCopy.SampleDirectory, "db"), Path.Combine(copy.Directory, "db"));
        await using var test = await postgres.CreateDatabaseAsync("handbook");
        var server = new NpgsqlConnectionStringBuilder(test.ConnectionString);
        var url = $"postgres://{Uri.EscapeDataString(server.Username!)}:{Uri.EscapeDataString(server.Password ?? "")}@{server.Host}:{server.Port}/{server.Database}?sslmode=disable";
        var runner = new DocRunner("DATABASE.md", copy.Directory, new Dictionary<string, string?> { ["TEST_DATABASE_URL"] = url });
        // The doc shows the database as a CI service would name it; the test server's own names stand in for it.
        runner.Replacements[$"{server.Username}@{server.Host}:{server.Port}/{server.Database}"] = "postgres@127.0.0.1:5432/app_test";
        runner.Replacements[$"database {server.Database} "] = "database app_test ";
        runner.Replacements[$"--confirm {server.Database} "] = "--confirm app_test ";

        await runner.RunAsync();

        Assert.True(runner.CommandsRun >= 30, $"{runner.CommandsRun} commands ran");
        Assert.Equal(
            ["DATABASE.md: needs the production database and its secrets", "DATABASE.md: needs the production database and its secrets", "DATABASE.md: needs a Neon project (neonctl and an API key)"],
            runner.NotRun.Select(n => System.Text.RegularExpressions.Regex.Replace(n, @":\d+:", ":")));
        Assert.Equal(4L, await test.ScalarAsync<long>("SELECT count(*) FROM strata.__strata_migrations"));
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (var directory in Directory.GetDirectories(source))
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
    }
}

using System.Diagnostics;
using System.Text;
using Npgsql;
using Strata.Postgres.LocalServer;
using Strata.Testing;

namespace Strata.IntegrationTests.Cli.Pull;

/// <summary>A project made by <c>strata init</c> in a scratch folder, for pull to write into.</summary>
internal sealed class PullProject : IDisposable
{
    private readonly ScratchFolder _folder;

    private PullProject(ScratchFolder folder) => _folder = folder;

    public string Directory => _folder.Path;

    public string SchemaFolder => _folder.Combine("src", "Shop.Schema");

    public string MainSchemaFile => Path.Combine(SchemaFolder, "ShopSchema.cs");

    public string MigrationsFolder => _folder.Combine("db", "migrations");

    public static async Task<PullProject> InitAsync()
    {
        var project = new PullProject(new ScratchFolder("shop"));
        var init = await project.RunAsync("init", "--name", "Shop");
        Assert.True(init.ExitCode == 0, init.ToString());
        return project;
    }

    public Task<CliResult> RunAsync(params string[] args) => StrataProcess.RunAsync(Directory, args);

    public Task<CliResult> RunAsync(TestDatabase database, params string[] args) =>
        StrataProcess.RunAsync(Directory, [.. args, "--connection", database.ConnectionString]);

    public string[] MigrationFolders() =>
        System.IO.Directory.Exists(MigrationsFolder)
            ? System.IO.Directory.GetDirectories(MigrationsFolder).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal).ToArray()
            : [];

    public string[] SchemaFiles() =>
        System.IO.Directory.GetFiles(SchemaFolder, "*.cs").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Adds a table to the pulled schema's Define, as a developer's next change would.</summary>
    public void AddTable(string line)
    {
        var text = File.ReadAllText(MainSchemaFile);
        const string define = "    public void Define(SchemaBuilder db)\n    {\n";
        Assert.Contains(define, text);
        File.WriteAllText(MainSchemaFile, text.Replace(define, define + "        " + line + "\n", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(MainSchemaFile, DateTime.UtcNow.AddSeconds(2));
    }

    private static int _edits;

    /// <summary>Replaces the whole C# schema with one whose Define is <paramref name="define"/>; the file's time moves on so that the next command builds it again.</summary>
    public void SetDefine(string define)
    {
        File.WriteAllText(MainSchemaFile, $$"""
            using Strata.Dsl;
            using Strata.Model;

            namespace Shop.Schema;

            public sealed class ShopSchema : ISchemaDefinition
            {
                public void Define(SchemaBuilder db)
                {
            {{define}}
                }
            }

            """);
        File.SetLastWriteTimeUtc(MainSchemaFile, DateTime.UtcNow.AddSeconds(2 + 2 * Interlocked.Increment(ref _edits)));
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// <c>pg_dump --schema-only --no-owner</c> of the database without Strata's tracking schema, pg_dump's
    /// comment lines (its header, and per object) and its random <c>\restrict</c> keys left out.
    /// </summary>
    public static async Task<string> DumpAsync(TestDatabase database)
    {
        var binaries = await PostgresBinaries.FindAsync(null, CancellationToken.None);
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var start = new ProcessStartInfo(Path.Combine(binaries.Directory, "pg_dump"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[] { "--schema-only", "--no-owner", "--exclude-schema=strata", "-h", connection.Host!, "-p", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", connection.Username!, database.Name })
            start.ArgumentList.Add(arg);
        start.Environment["PGPASSWORD"] = connection.Password ?? "";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pg_dump failed: {await stderr}");
        var lines = (await stdout).Split('\n')
            .Where(line => !line.StartsWith("--", StringComparison.Ordinal) && !line.StartsWith("\\restrict", StringComparison.Ordinal) && !line.StartsWith("\\unrestrict", StringComparison.Ordinal));
        return string.Join('\n', lines).Trim();
    }

    /// <summary>Null when the two dumps are equal; else <paramref name="what"/> and the lines that differ (- expected, + actual).</summary>
    public static string? DumpDifference(string expected, string actual, string what)
    {
        if (expected == actual)
            return null;
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var differing = expectedLines.Except(actualLines).Select(l => "- " + l).Concat(actualLines.Except(expectedLines).Select(l => "+ " + l));
        return $"{what}:\n{string.Join('\n', differing.Take(40))}";
    }
}

using Strata.IntegrationTests.Cli;

namespace Strata.IntegrationTests.Docs;

/// <summary>docs/tutorial.md, run as a newcomer would: every command in order, in an empty folder, on the local PostgreSQL Strata starts.</summary>
public sealed class TutorialTests
{
    [Fact]
    public async Task The_five_minute_tutorial_runs_as_written()
    {
        var folder = Path.Combine(Path.GetTempPath(), "strata-tutorial-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        // Run as root, Strata runs PostgreSQL as the postgres user, which must be able to enter the folder.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        var runner = new DocRunner("docs/tutorial.md", folder, new Dictionary<string, string?>());
        try
        {
            await runner.RunAsync();

            Assert.Empty(runner.NotRun);
            Assert.True(runner.CommandsRun >= 14, $"{runner.CommandsRun} commands ran");
            Assert.True(File.Exists(Path.Combine(folder, "shop", "db", "migrations", "0001_pin_notes", "up.sql")));
        }
        finally
        {
            if (File.Exists(Path.Combine(folder, "shop", ".strata", "postgres", "postmaster.pid")))
                await StrataProcess.RunAsync(Path.Combine(folder, "shop"), "dev", "stop");
            Directory.Delete(folder, recursive: true);
        }
    }
}

namespace Strata.IntegrationTests.Cli;

/// <summary>
/// A copy of samples/todo (or samples/tasktracker) in a temporary folder, so that tests can generate, edit and
/// break it while the repository stays clean. Deleted on dispose.
/// </summary>
public sealed class SampleCopy : IDisposable
{
    // How the samples reference Strata's projects: relative to the repository, which a copy is not in.
    private const string ProjectReferences = "../../../src/";

    private readonly string _schemaFile;

    private SampleCopy(string directory, string schemaFile)
    {
        Directory = directory;
        _schemaFile = schemaFile;
    }

    public string Directory { get; }

    public string SchemaFile => Path.Combine(Directory, _schemaFile);

    public string MigrationsDirectory => Path.Combine(Directory, "db", "migrations");

    public static string SampleDirectory => Path.Combine(StrataProcess.RepositoryRoot, "samples", "todo");

    /// <summary>
    /// Copies <paramref name="source"/> (the sample in the repository, or a copy that is already built) without
    /// obj/ and with file times kept, so that a built copy of a copy does not build again.
    /// </summary>
    public static SampleCopy Create(string? source = null)
    {
        var target = NewTarget();
        // From the repository only the sources: a build or a migration a developer left there is not part of the sample.
        CopyDirectory(source ?? SampleDirectory, target, (folder, name) => name is "obj" or ".strata" || (folder == SampleDirectory && name is "bin" or "db"));
        return new SampleCopy(target, Path.Combine("Todo.Schema", "TodoSchema.cs")).PointedAtRepository();
    }

    /// <summary>
    /// Copies samples/tasktracker with its migrations and seeds (its workflow starts from them), without
    /// build output, test results or a local cluster.
    /// </summary>
    public static SampleCopy CreateTaskTracker()
    {
        var target = NewTarget();
        CopyDirectory(Path.Combine(StrataProcess.RepositoryRoot, "samples", "tasktracker"), target, (_, name) => name is "bin" or "obj" or ".strata" or "TestResults");
        return new SampleCopy(target, Path.Combine("TaskTracker.Schema", "TaskTrackerSchema.cs")).PointedAtRepository();
    }

    private static string NewTarget() => Path.Combine(Path.GetTempPath(), "strata-cli-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Makes the copy's project references to Strata absolute, keeping file times (a built copy stays built).</summary>
    private SampleCopy PointedAtRepository()
    {
        foreach (var project in System.IO.Directory.GetFiles(Directory, "*.csproj", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(project);
            if (!text.Contains(ProjectReferences, StringComparison.Ordinal))
                continue;
            var written = File.GetLastWriteTimeUtc(project);
            File.WriteAllText(project, text.Replace(ProjectReferences, Path.Combine(StrataProcess.RepositoryRoot, "src") + "/", StringComparison.Ordinal));
            File.SetLastWriteTimeUtc(project, written);
        }
        return this;
    }

    /// <summary>Edits the schema source; the next command must build the project again.</summary>
    public void EditSchema(string oldText, string newText)
    {
        var text = File.ReadAllText(SchemaFile);
        Assert.Contains(oldText, text);
        File.WriteAllText(SchemaFile, text.Replace(oldText, newText, StringComparison.Ordinal));
        // Some file systems keep whole seconds: make sure the edit is newer than the last build.
        File.SetLastWriteTimeUtc(SchemaFile, DateTime.UtcNow.AddSeconds(2));
    }

    public string[] MigrationFolders() =>
        System.IO.Directory.Exists(MigrationsDirectory)
            ? System.IO.Directory.GetDirectories(MigrationsDirectory).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal).ToArray()
            : [];

    public string ReadMigrationFile(string folder, string file) => File.ReadAllText(Path.Combine(MigrationsDirectory, folder, file));

    public Task<CliResult> RunAsync(params string[] args) => StrataProcess.RunAsync(Directory, args);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the temp folder is cleaned eventually.
        }
    }

    internal static void CopyDirectory(string source, string target, Func<string, string, bool> skip)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.GetFiles(source))
        {
            var destination = Path.Combine(target, Path.GetFileName(file));
            File.Copy(file, destination);
            File.SetLastWriteTimeUtc(destination, File.GetLastWriteTimeUtc(file));
        }
        foreach (var directory in System.IO.Directory.GetDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (skip(source, name))
                continue;
            CopyDirectory(directory, Path.Combine(target, name), skip);
        }
    }
}

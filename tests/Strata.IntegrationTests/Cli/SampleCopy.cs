namespace Strata.IntegrationTests.Cli;

/// <summary>
/// A copy of samples/todo in a temporary folder, so that tests can generate, edit and break it while the
/// repository stays clean. Deleted on dispose.
/// </summary>
public sealed class SampleCopy : IDisposable
{
    private const string ProjectReference = "../../../src/Strata/Strata.csproj";

    private SampleCopy(string directory) => Directory = directory;

    public string Directory { get; }

    public string SchemaFile => Path.Combine(Directory, "Todo.Schema", "TodoSchema.cs");

    public string MigrationsDirectory => Path.Combine(Directory, "db", "migrations");

    public static string SampleDirectory => Path.Combine(StrataProcess.RepositoryRoot, "samples", "todo");

    /// <summary>
    /// Copies <paramref name="source"/> (the sample in the repository, or a copy that is already built) without
    /// obj/ and with file times kept, so that a built copy of a copy does not build again.
    /// </summary>
    public static SampleCopy Create(string? source = null)
    {
        var target = Path.Combine(Path.GetTempPath(), "strata-cli-" + Guid.NewGuid().ToString("N")[..12]);
        CopyDirectory(source ?? SampleDirectory, target);
        var copy = new SampleCopy(target);
        var project = Path.Combine(target, "Todo.Schema", "Todo.Schema.csproj");
        var text = File.ReadAllText(project);
        if (text.Contains(ProjectReference, StringComparison.Ordinal))
        {
            var written = File.GetLastWriteTimeUtc(project);
            File.WriteAllText(project, text.Replace(ProjectReference, Path.Combine(StrataProcess.RepositoryRoot, "src", "Strata", "Strata.csproj"), StringComparison.Ordinal));
            File.SetLastWriteTimeUtc(project, written);
        }
        return copy;
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

    private static void CopyDirectory(string source, string target)
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
            // From the repository only the sources: a build or a migration a developer left there is not part of the sample.
            if (name is "obj" or ".strata" || (source == SampleDirectory && name is "bin" or "db"))
                continue;
            CopyDirectory(directory, Path.Combine(target, name));
        }
    }
}

using Strata.Design.Scaffolding;

namespace Strata.Tests.Design;

/// <summary>strata init's files on disk: all of them or none, never over a file that exists.</summary>
public sealed class ProjectScaffoldWriteTests : IDisposable
{
    private static readonly StrataReference Package = new(null, "0.1.0", "referencing the Strata package 0.1.0");

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("strata-scaffold-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Every_file_is_written_and_an_existing_gitignore_is_added_to()
    {
        File.WriteAllText(Path.Combine(_root.FullName, ".gitignore"), "node_modules/\n");
        var files = ProjectScaffold.PlanIn(_root.FullName, "App", Package, "net10.0");

        Assert.Empty(ProjectScaffold.FilesInTheWay(_root.FullName, files));
        var written = await ProjectScaffold.WriteAsync(_root.FullName, files, CancellationToken.None);

        foreach (var file in files)
            Assert.Equal(file.Content, File.ReadAllText(ProjectScaffold.FullPath(_root.FullName, file.RelativePath)));
        var gitignore = Assert.Single(files, f => f.RelativePath == ProjectScaffold.GitIgnorePath);
        Assert.Contains(gitignore, written);
        Assert.StartsWith("node_modules/\n", gitignore.Content, StringComparison.Ordinal);
        Assert.Contains(".strata/", gitignore.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_init_finds_its_files_in_the_way()
    {
        await ProjectScaffold.WriteAsync(_root.FullName, ProjectScaffold.PlanIn(_root.FullName, "App", Package, "net10.0"), CancellationToken.None);

        var again = ProjectScaffold.PlanIn(_root.FullName, "App", Package, "net10.0");

        Assert.Contains("strata.json", ProjectScaffold.FilesInTheWay(_root.FullName, again));
        Assert.Contains("src/App.Schema/AppSchema.cs", ProjectScaffold.FilesInTheWay(_root.FullName, again));
    }

    [Fact]
    public async Task A_failure_part_way_removes_what_was_written_and_gives_an_added_file_its_old_text_back()
    {
        const string ignored = "node_modules/\n";
        File.WriteAllText(Path.Combine(_root.FullName, ".gitignore"), ignored);
        var files = ProjectScaffold.PlanIn(_root.FullName, "App", Package, "net10.0");
        // A file where init needs the folder db/: creating db/migrations fails after strata.json and src/ were written.
        File.WriteAllText(Path.Combine(_root.FullName, "db"), "in the way");

        var error = await Assert.ThrowsAsync<ScaffoldWriteException>(() => ProjectScaffold.WriteAsync(_root.FullName, files, CancellationToken.None));

        Assert.Equal(_root.FullName, error.Folder);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.Equal([".gitignore", "db"], _root.EnumerateFileSystemInfos().Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(ignored, File.ReadAllText(Path.Combine(_root.FullName, ".gitignore")));
    }
}

namespace Strata.Design.SchemaSource;

/// <summary>
/// The files of a project folder that a build reads, found the way the SDK's default globs find them:
/// everything under the folder except bin, obj and hidden folders.
/// </summary>
internal static class SourceScan
{
    /// <summary>The *.cs, *.csproj and *.props files under <paramref name="directory"/>, with their write times.</summary>
    public static IEnumerable<FileInfo> BuildSources(string directory) =>
        Files(directory).Where(f => f.Extension is ".cs" or ".csproj" or ".props" or ".targets");

    /// <summary>The full paths of the *.cs files under <paramref name="directory"/>, sorted.</summary>
    public static List<string> CSharpFiles(string directory) =>
        Files(directory).Where(f => f.Extension == ".cs").Select(f => f.FullName).Order(StringComparer.Ordinal).ToList();

    /// <summary><paramref name="directory"/> and the folders under it that the scan enters.</summary>
    public static IEnumerable<string> Folders(string directory)
    {
        if (!Directory.Exists(directory))
            yield break;
        var pending = new Stack<string>();
        pending.Push(directory);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            yield return folder;
            foreach (var sub in new DirectoryInfo(folder).EnumerateDirectories())
            {
                if (sub.Name is not ("bin" or "obj") && !sub.Name.StartsWith('.'))
                    pending.Push(sub.FullName);
            }
        }
    }

    // A referenced project's folder may be gone since the build: then it has no sources (Folders yields none), and its stamps differ.
    private static IEnumerable<FileInfo> Files(string root) =>
        Folders(root).SelectMany(folder => new DirectoryInfo(folder).EnumerateFiles());
}

using System.Security.Cryptography;
using System.Text;

namespace Strata.Postgres.Migrations;

/// <summary>What is wrong with a migrations folder compared with its <c>strata.sum</c>.</summary>
public enum SumProblemKind
{
    /// <summary>The file's content differs from the hash recorded for it.</summary>
    Modified,

    /// <summary>strata.sum lists the file but it is not on disk.</summary>
    Missing,

    /// <summary>The file is on disk but strata.sum does not list it.</summary>
    NotInSum,

    /// <summary>strata.sum's first line does not match the lines below it: it was edited or merged by hand.</summary>
    SumEdited,
}

/// <param name="File">The file relative to the migrations folder (<c>0001_init/up.sql</c>), or <c>strata.sum</c>.</param>
public sealed record SumProblem(SumProblemKind Kind, string File, string? RecordedHash, string? ActualHash)
{
    /// <summary>What happened and what to do about it, for a person.</summary>
    public string Message => Kind switch
    {
        SumProblemKind.Modified =>
            $"{File} has changed since strata.sum was written (strata.sum has {RecordedHash}, the file has {ActualHash}). "
            + $"If the edit was a mistake, restore the file from version control; if you meant to change a migration that is not applied anywhere yet, "
            + $"accept the edit with `{StrataSum.RehashCommand}`.",
        SumProblemKind.Missing =>
            $"{File} is listed in strata.sum but missing. Restore it from version control; "
            + "to remove the newest migration on purpose use `strata drop`, which keeps strata.sum right.",
        SumProblemKind.NotInSum =>
            $"{File} is not listed in strata.sum: it was added by hand or by a merge. "
            + $"If it belongs there, check it and accept it with `{StrataSum.RehashCommand}`; otherwise delete it.",
        SumProblemKind.SumEdited =>
            $"{StrataSum.FileName}: its first line does not match the lines below it, so it was edited or merged by hand. "
            + $"Never merge strata.sum by hand: check the migrations (two branches may each have added one), then rewrite it with `{StrataSum.RehashCommand}`.",
        _ => throw new InvalidOperationException($"Unknown problem {Kind}."),
    };
}

/// <summary>
/// <c>strata.sum</c>: a hash of every file of every migration, so that an edited, missing or extra file
/// (a hand edit, a bad merge) is found before a migration runs. The first line hashes all the others,
/// so two branches that each add a migration always conflict on it instead of merging silently.
/// </summary>
/// <remarks>
/// Hashes are taken over the file's text with CRLF line endings read as LF: a checkout with
/// <c>core.autocrlf</c> holds the same migration and must hash the same.
/// </remarks>
public sealed class StrataSum
{
    public const string FileName = "strata.sum";

    /// <summary>The command the remedies name for rewriting strata.sum after a deliberate change.</summary>
    public const string RehashCommand = "strata hash";

    private const string HashPrefix = "h1:";

    private StrataSum(SortedDictionary<string, string> files, string? recordedTotal)
    {
        Files = files;
        Total = Hash(FileLines(files));
        RecordedTotal = recordedTotal ?? Total;
    }

    public StrataSum(IEnumerable<KeyValuePair<string, string>> files)
        : this(new SortedDictionary<string, string>(files.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal), null)
    {
    }

    /// <summary>The hash of every file, keyed by its path relative to the migrations folder with '/' separators, in ordinal order.</summary>
    public IReadOnlyDictionary<string, string> Files { get; }

    /// <summary>The hash over the file lines, as it should be on the first line.</summary>
    public string Total { get; }

    /// <summary>The first line as read from disk (equal to <see cref="Total"/> for a computed sum).</summary>
    public string RecordedTotal { get; }

    /// <summary>The hash Strata records for a file's content: <c>h1:</c> and the base64 SHA-256 of the text with LF line endings.</summary>
    public static string Hash(string text) =>
        HashPrefix + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n"))));

    // The same hash as Hash(File.ReadAllText(file)), the file read as it is hashed (a 50 MB up.sql is not
    // held). A file that is not UTF-8 (which no script may be, but the folder may hold any file) is hashed
    // as File.ReadAllText decodes it, with its replacement characters.
    private static async Task<string> HashFileAsync(string file, CancellationToken ct)
    {
        try
        {
            using var source = SourceText.OpenFile(file);
            return await source.ReadChecksumAsync(ct);
        }
        catch (MigrationFileException e) when (SourceText.IsNotUtf8(e))
        {
            using var source = SourceText.OpenFile(file);
            return await source.ReadLenientChecksumAsync(ct);
        }
    }

    /// <summary>Hashes every file of every migration folder under <paramref name="migrationsPath"/> as it is on disk now.</summary>
    public static async Task<StrataSum> ComputeAsync(string migrationsPath, CancellationToken ct = default)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Directory.Exists(migrationsPath))
        {
            foreach (var folder in Directory.EnumerateDirectories(migrationsPath).Where(MigrationDirectory.IsMigrationFolderCandidate))
            {
                foreach (var (relative, hash) in await HashFolderAsync(migrationsPath, folder, ct))
                    files[relative] = hash;
            }
        }
        return new StrataSum(files);
    }

    internal static async Task<IReadOnlyList<(string RelativePath, string Hash)>> HashFolderAsync(string migrationsPath, string folder, CancellationToken ct)
    {
        var result = new List<(string, string)>();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(migrationsPath, file).Replace('\\', '/');
            if (relative.Split('/').Any(part => part.StartsWith('.')))
                continue;
            result.Add((relative, await HashFileAsync(file, ct)));
        }
        return result;
    }

    /// <summary>Reads <c>strata.sum</c> from the migrations folder; null when there is none.</summary>
    public static async Task<StrataSum?> ReadAsync(string migrationsPath, CancellationToken ct = default)
    {
        var path = Path.Combine(migrationsPath, FileName);
        if (!File.Exists(path))
            return null;
        return Parse(await SourceText.ReadFileAsync(path, ct), path);
    }

    /// <exception cref="MigrationFileException">A line that is not <c>&lt;file&gt; h1:&lt;hash&gt;</c>, naming <paramref name="sourceName"/> and the line.</exception>
    public static StrataSum Parse(string text, string sourceName)
    {
        const string Remedy = $"strata.sum is written by Strata: restore it from version control, or after checking the migrations rewrite it with `{RehashCommand}`";
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines[0].Length == 0 || !lines[0].StartsWith(HashPrefix, StringComparison.Ordinal) || lines[0].Contains(' '))
            throw new MigrationFileException(sourceName, 1, $"the first line must be the total hash \"h1:…\"; {Remedy}");
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 && i == lines.Length - 1)
                break;
            var space = line.LastIndexOf(' ');
            if (space <= 0 || !line[(space + 1)..].StartsWith(HashPrefix, StringComparison.Ordinal))
                throw new MigrationFileException(sourceName, i + 1, $"expected \"<folder>/<file> h1:<hash>\", found \"{line}\"; {Remedy}");
            if (!files.TryAdd(line[..space], line[(space + 1)..]))
                throw new MigrationFileException(sourceName, i + 1, $"{line[..space]} is listed twice; {Remedy}");
        }
        return new StrataSum(files, lines[0]);
    }

    /// <summary>The file's text: the total hash, then one line per file in ordinal order, final newline.</summary>
    public string Render()
    {
        return Total + "\n" + FileLines(Files);
    }

    /// <summary>Writes the sum into the migrations folder, replacing the old file in one step.</summary>
    public async Task WriteAsync(string migrationsPath, CancellationToken ct = default)
    {
        var path = Path.Combine(migrationsPath, FileName);
        var temporary = Path.Combine(migrationsPath, $".{FileName}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temporary, Render(), ct);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Compares this recorded sum with <paramref name="actual"/>, the folder as it is now.</summary>
    public IReadOnlyList<SumProblem> Verify(StrataSum actual)
    {
        var problems = new List<SumProblem>();
        if (RecordedTotal != Total)
            problems.Add(new SumProblem(SumProblemKind.SumEdited, FileName, RecordedTotal, Total));
        foreach (var (file, recorded) in Files)
        {
            if (!actual.Files.TryGetValue(file, out var now))
                problems.Add(new SumProblem(SumProblemKind.Missing, file, recorded, null));
            else if (now != recorded)
                problems.Add(new SumProblem(SumProblemKind.Modified, file, recorded, now));
        }
        foreach (var (file, now) in actual.Files)
        {
            if (!Files.ContainsKey(file))
                problems.Add(new SumProblem(SumProblemKind.NotInSum, file, null, now));
        }
        return problems;
    }

    /// <summary>This sum with the files of one migration folder replaced by <paramref name="files"/>.</summary>
    internal StrataSum WithFolder(string migrationId, IEnumerable<(string RelativePath, string Hash)> files)
    {
        var result = Without(migrationId);
        foreach (var (path, hash) in files)
            result[path] = hash;
        return new StrataSum(result, null);
    }

    /// <summary>This sum without the files of one migration folder.</summary>
    internal StrataSum WithoutFolder(string migrationId) => new(Without(migrationId), null);

    private SortedDictionary<string, string> Without(string migrationId) => new(
        Files.Where(f => !f.Key.StartsWith(migrationId + "/", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal),
        StringComparer.Ordinal);

    private static string FileLines(IEnumerable<KeyValuePair<string, string>> files)
    {
        var text = new StringBuilder();
        foreach (var (file, hash) in files)
            text.Append(file).Append(' ').Append(hash).Append('\n');
        return text.ToString();
    }
}

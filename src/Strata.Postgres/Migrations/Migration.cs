using Strata.Snapshots;

namespace Strata.Postgres.Migrations;

/// <summary>One migration folder: <c>&lt;id&gt;/up.sql</c>, <c>down.sql</c> and <c>snapshot.json</c>. The folder name is the id.</summary>
public sealed record Migration(string Id, string FolderPath)
{
    public const string UpFile = "up.sql";
    public const string DownFile = "down.sql";
    public const string SnapshotFile = "snapshot.json";

    public string UpPath => Path.Combine(FolderPath, UpFile);

    public string DownPath => Path.Combine(FolderPath, DownFile);

    public string SnapshotPath => Path.Combine(FolderPath, SnapshotFile);

    /// <summary>The 4-digit index or 14-digit timestamp before the first underscore.</summary>
    public string Prefix => Id[..Id.IndexOf('_')];

    /// <summary>The name after the prefix.</summary>
    public string Name => Id[(Id.IndexOf('_') + 1)..];

    public Task<string> ReadUpAsync(CancellationToken ct = default) => ReadAsync(UpPath, ct);

    public Task<string> ReadDownAsync(CancellationToken ct = default) => ReadAsync(DownPath, ct);

    public async Task<MigrationScript> ReadUpScriptAsync(CancellationToken ct = default)
    {
        using var source = OpenFile(UpPath);
        return await MigrationScript.ReadAsync(source, UpPath, ct);
    }

    public async Task<MigrationScript> ReadDownScriptAsync(CancellationToken ct = default)
    {
        using var source = OpenFile(DownPath);
        return await MigrationScript.ReadAsync(source, DownPath, ct);
    }

    /// <exception cref="MigrationFileException">The file is missing.</exception>
    /// <exception cref="SnapshotFormatException">The file is not a valid snapshot.</exception>
    public async Task<Snapshot> ReadSnapshotAsync(CancellationToken ct = default) =>
        SnapshotSerializer.Deserialize(await ReadAsync(SnapshotPath, ct), SnapshotPath);

    /// <summary>
    /// The snapshot's id and parent id. The branch check asks this of every migration on each generate,
    /// so it reads only the start of the file where it can (the ids come before the tables).
    /// </summary>
    internal async Task<(string Id, string? ParentId)> ReadSnapshotIdsAsync(CancellationToken ct)
    {
        const int prefixSize = 64 * 1024;
        var buffer = new byte[prefixSize];
        int length;
        await using (var stream = OpenOrExplain(SnapshotPath, File.OpenRead))
            length = await stream.ReadAtLeastAsync(buffer, prefixSize, throwOnEndOfStream: false, ct);
        var (prefix, isWholeFile) = (buffer.AsMemory(0, length), length < prefixSize);
        return SnapshotSerializer.TryReadIds(prefix.Span, isWholeFile, out var id, out var parentId)
            ? (id, parentId)
            : SnapshotSerializer.ReadIds(await ReadAsync(SnapshotPath, ct), SnapshotPath);
    }

    private static async Task<string> ReadAsync(string path, CancellationToken ct)
    {
        using var source = OpenFile(path);
        return await source.ReadToEndAsync(ct);
    }

    /// <summary>A file of a migration folder, read as strict UTF-8.</summary>
    /// <exception cref="MigrationFileException">The file is missing or cannot be opened.</exception>
    internal static SourceText OpenFile(string path) => OpenOrExplain(path, SourceText.OpenFile);

    private static T OpenOrExplain<T>(string path, Func<string, T> open)
    {
        try
        {
            return open(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MigrationFileException(path, null,
                "the file is missing; every migration folder holds up.sql, down.sql and snapshot.json: restore it from version control", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MigrationFileException(path, null, "the file cannot be read: " + e.Message, e);
        }
    }
}

public enum MigrationPrefix
{
    /// <summary>0000, 0001, …: the order is obvious and two branches adding one each conflict visibly.</summary>
    Index,

    /// <summary>The UTC time yyyyMMddHHmmss: fewer clashes between branches, less readable.</summary>
    Timestamp,
}

/// <summary>Two or more migrations generated on top of the same parent: two branches each added one.</summary>
/// <param name="ParentMigrationId">The migration both were generated on, or null when both claim to be the first.</param>
public sealed record BranchConflict(string? ParentMigrationId, IReadOnlyList<string> MigrationIds)
{
    public string Message
    {
        get
        {
            var names = string.Join(", ", MigrationIds.SkipLast(1)) + " and " + MigrationIds[^1];
            var parent = ParentMigrationId ?? "an empty database (each claims to be the first migration)";
            var keep = MigrationIds[0];
            var others = string.Join(", ", MigrationIds.Skip(1));
            return $"{names} were {(MigrationIds.Count == 2 ? "both" : "all")} generated on top of {parent}: two branches each added a migration. "
                + $"Keep one (say {keep}) and remove the other ({others}; `strata drop` removes the newest migration and keeps strata.sum right), "
                + $"then run `strata generate` to regenerate its changes on top of {keep}.";
        }
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Strata.Snapshots;

namespace Strata.Postgres.Migrations;

/// <summary>
/// A migrations folder on disk: one folder per migration, named by its id and applied in ordinal
/// order of ids, plus <c>strata.sum</c>. Loading only lists the folders; files are read when asked,
/// so that <c>migrate</c> never parses snapshots it does not need.
/// </summary>
public sealed partial class MigrationDirectory
{
    /// <summary>What <see cref="IdPattern"/> accepts, for messages about a folder (or an embedded resource) that is not a migration.</summary>
    internal const string IdRule = "a migration folder is named <prefix>_<name>, the prefix being a 4-digit index or a yyyyMMddHHmmss "
        + "timestamp and the name lowercase letters, digits and underscores (0001_add_users)";

    internal const int MaxNameLength = 100;
    private readonly List<Migration> _migrations;

    private MigrationDirectory(string path, List<Migration> migrations)
    {
        Path = path;
        _migrations = migrations;
    }

    /// <summary>The migrations folder as given to <see cref="LoadAsync"/> (file names in messages are built from it).</summary>
    public string Path { get; }

    /// <summary>The migrations in the order they apply (ordinal order of their ids).</summary>
    public IReadOnlyList<Migration> Migrations => _migrations;

    public string SumPath => System.IO.Path.Combine(Path, StrataSum.FileName);

    /// <summary>Lists the migration folders under <paramref name="path"/>; a folder that does not exist yet has no migrations.</summary>
    /// <exception cref="MigrationFileException">A folder whose name is not a migration id.</exception>
    public static Task<MigrationDirectory> LoadAsync(string path, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var migrations = new List<Migration>();
        if (Directory.Exists(path))
        {
            foreach (var folder in Directory.EnumerateDirectories(path).Where(IsMigrationFolderCandidate))
            {
                var id = System.IO.Path.GetFileName(folder);
                if (!IdPattern().IsMatch(id))
                {
                    throw new MigrationFileException(folder, null,
                        $"this folder is not a migration: {IdRule}. Rename it or move it out of the migrations folder");
                }
                migrations.Add(new Migration(id, folder));
            }
        }
        migrations.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return Task.FromResult(new MigrationDirectory(path, migrations));
    }

    /// <summary>Folders whose name starts with a dot are Strata's own temporary ones (or a tool's), never migrations.</summary>
    internal static bool IsMigrationFolderCandidate(string folder) => !System.IO.Path.GetFileName(folder).StartsWith('.');

    public Migration? Find(string id) => _migrations.Find(m => m.Id == id);

    /// <summary>The snapshot of the newest migration, or null when there are no migrations.</summary>
    public async Task<Snapshot?> LatestSnapshotAsync(CancellationToken ct = default) =>
        _migrations.Count == 0 ? null : await _migrations[^1].ReadSnapshotAsync(ct);

    /// <summary>Migrations whose snapshots share a parent, which happens when two branches each added one and were merged.</summary>
    public async Task<IReadOnlyList<BranchConflict>> FindBranchConflictsAsync(CancellationToken ct = default)
    {
        var ids = new List<(Migration Migration, string SnapshotId, string? ParentId)>();
        foreach (var migration in _migrations)
        {
            // A folder without snapshot.json (hand-made, or damaged: strata.sum reports that) claims no parent.
            if (!File.Exists(migration.SnapshotPath))
                continue;
            var (snapshotId, parentId) = await migration.ReadSnapshotIdsAsync(ct);
            ids.Add((migration, snapshotId, parentId));
        }
        var migrationBySnapshot = ids.GroupBy(i => i.SnapshotId).ToDictionary(g => g.Key, g => g.First().Migration.Id);
        return ids
            .GroupBy(i => i.ParentId ?? "")
            .Where(g => g.Count() > 1)
            .Select(g => new BranchConflict(
                g.Key.Length == 0 ? null : migrationBySnapshot.GetValueOrDefault(g.Key, g.Key),
                g.Select(i => i.Migration.Id).ToList()))
            .ToList();
    }

    /// <summary>Why <paramref name="name"/> cannot name a migration, or null when it can.</summary>
    public static string? NameProblem(string name)
    {
        if (name.Length == 0)
            return "the migration name is empty";
        if (name.Length > MaxNameLength)
            return $"the migration name is {name.Length} characters long; at most {MaxNameLength} are allowed";
        if (!NamePattern().IsMatch(name))
            return $"the migration name \"{name}\" may hold only lowercase letters, digits and underscores (add_due_dates)";
        return null;
    }

    /// <summary>
    /// The id for the next migration: <c>&lt;prefix&gt;_&lt;name&gt;</c>. The index prefix is one more than the
    /// highest index so far; the timestamp prefix is <paramref name="now"/> in UTC, moved on when an existing
    /// id has the same or a later one so that the new migration still sorts last. Without a name, a random
    /// adjective_noun.
    /// </summary>
    /// <exception cref="ArgumentException">An invalid <paramref name="name"/> (check with <see cref="NameProblem"/> first for a friendly message).</exception>
    /// <exception cref="InvalidOperationException">An index prefix asked of a folder that uses timestamps, or the index is exhausted.</exception>
    public string NextId(MigrationPrefix prefix, string? name, DateTimeOffset now, Random? random = null)
    {
        if (name is not null && NameProblem(name) is { } problem)
            throw new ArgumentException(problem, nameof(name));
        name ??= MigrationNames.Random(random ?? Random.Shared);
        return NextPrefix(prefix, now) + "_" + name;
    }

    private string NextPrefix(MigrationPrefix prefix, DateTimeOffset now)
    {
        var prefixes = _migrations.Select(m => m.Prefix).ToList();
        if (prefix == MigrationPrefix.Index)
        {
            if (prefixes.FirstOrDefault(p => p.Length != 4) is { } other)
            {
                throw new InvalidOperationException(
                    $"the migrations in {Path} use timestamp prefixes ({other}); an index prefix would sort before them: use --prefix timestamp");
            }
            var next = prefixes.Count == 0 ? 0 : prefixes.Max(p => int.Parse(p, CultureInfo.InvariantCulture)) + 1;
            if (next > 9999)
                throw new InvalidOperationException($"the migrations in {Path} have used every 4-digit index; continue with --prefix timestamp");
            return next.ToString("D4", CultureInfo.InvariantCulture);
        }

        var time = now.UtcDateTime;
        time = time.AddTicks(-(time.Ticks % TimeSpan.TicksPerSecond));
        var latest = prefixes.Where(p => p.Length == 14).Select(p => DateTime.ParseExact(p, "yyyyMMddHHmmss", CultureInfo.InvariantCulture)).DefaultIfEmpty(DateTime.MinValue).Max();
        if (time <= latest)
            time = latest.AddSeconds(1);
        return time.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Writes a new migration folder and records it in <c>strata.sum</c>. The files are written into a
    /// temporary folder that is then renamed, so an interrupted run never leaves half a migration.
    /// The entries of the other migrations are kept as recorded: writing a migration must not bless an
    /// unnoticed edit elsewhere.
    /// </summary>
    /// <exception cref="MigrationFileException">The id is taken, or strata.sum cannot be read.</exception>
    public async Task<Migration> WriteMigrationAsync(string id, string upSql, string downSql, Snapshot snapshot, CancellationToken ct = default)
    {
        if (!IdPattern().IsMatch(id))
            throw new ArgumentException($"\"{id}\" is not a migration id (<prefix>_<name>)", nameof(id));
        var folder = System.IO.Path.Combine(Path, id);
        if (Find(id) is not null || Directory.Exists(folder))
            throw new MigrationFileException(folder, null, "a migration with this id already exists; choose another --name");

        var recorded = await ReadRecordedSumAsync(ct);
        Directory.CreateDirectory(Path);
        var temporary = System.IO.Path.Combine(Path, $".{id}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(temporary);
            await File.WriteAllTextAsync(System.IO.Path.Combine(temporary, Migration.UpFile), upSql, ct);
            await File.WriteAllTextAsync(System.IO.Path.Combine(temporary, Migration.DownFile), downSql, ct);
            await File.WriteAllBytesAsync(System.IO.Path.Combine(temporary, Migration.SnapshotFile), SnapshotSerializer.SerializeToUtf8Bytes(snapshot), ct);
            Directory.Move(temporary, folder);
        }
        catch
        {
            if (Directory.Exists(temporary))
                Directory.Delete(temporary, recursive: true);
            throw;
        }

        var migration = new Migration(id, folder);
        _migrations.Add(migration);
        _migrations.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var sum = recorded is null
            ? await StrataSum.ComputeAsync(Path, ct)
            : recorded.WithFolder(id, await StrataSum.HashFolderAsync(Path, folder, ct));
        await sum.WriteAsync(Path, ct);
        return migration;
    }

    /// <summary>
    /// Removes the newest migration's folder and its lines of <c>strata.sum</c> (for <c>strata drop</c>; the
    /// caller makes sure it is not applied anywhere). Returns the removed migration, or null when there is none.
    /// </summary>
    public async Task<Migration?> DropNewestAsync(CancellationToken ct = default)
    {
        if (_migrations.Count == 0)
            return null;
        var newest = _migrations[^1];
        StrataSum? recorded;
        try
        {
            recorded = await ReadRecordedSumAsync(ct);
        }
        catch (MigrationFileException)
        {
            // A broken sum is what drop repairs (a bad merge); it is recomputed from the folders that remain.
            recorded = null;
        }

        // Renamed away first so that the migration disappears in one step even if deleting its files fails midway.
        var doomed = System.IO.Path.Combine(Path, $".{newest.Id}.{Guid.NewGuid():N}.dropped");
        if (Directory.Exists(newest.FolderPath))
            Directory.Move(newest.FolderPath, doomed);
        _migrations.RemoveAt(_migrations.Count - 1);

        var sum = recorded is null ? await StrataSum.ComputeAsync(Path, ct) : recorded.WithoutFolder(newest.Id);
        await sum.WriteAsync(Path, ct);
        if (Directory.Exists(doomed))
            Directory.Delete(doomed, recursive: true);
        return newest;
    }

    /// <summary>The problems of the folder against its <c>strata.sum</c>: edited, missing and unlisted files. No sum file with migrations present is a problem too.</summary>
    public async Task<IReadOnlyList<SumProblem>> VerifySumAsync(CancellationToken ct = default)
    {
        var actual = await StrataSum.ComputeAsync(Path, ct);
        var recorded = await StrataSum.ReadAsync(Path, ct);
        if (recorded is null)
            return actual.Files.Keys.Select(f => new SumProblem(SumProblemKind.NotInSum, f, null, actual.Files[f])).ToList();
        return recorded.Verify(actual);
    }

    /// <summary>Rewrites <c>strata.sum</c> from the files as they are now (after the user has checked them).</summary>
    public async Task<StrataSum> RehashAsync(CancellationToken ct = default)
    {
        var sum = await StrataSum.ComputeAsync(Path, ct);
        Directory.CreateDirectory(Path);
        await sum.WriteAsync(Path, ct);
        return sum;
    }

    private Task<StrataSum?> ReadRecordedSumAsync(CancellationToken ct) => StrataSum.ReadAsync(Path, ct);

    /// <summary>A migration id: the folder name on disk, the resource folder of an embedded migration.</summary>
    [GeneratedRegex("^[0-9]{4}(?:[0-9]{10})?_[a-z0-9_]+$")]
    internal static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex NamePattern();
}

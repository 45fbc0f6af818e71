using System.Diagnostics;
using System.Threading.Channels;

namespace Strata.Design.SchemaSource;

/// <summary>What a file event in a watched folder means to a watch.</summary>
public enum WatchedChange
{
    /// <summary>A file a build reads: a C# source, the .csproj, an import (the schema may differ).</summary>
    Source,

    /// <summary>A file of the migrations folder (the last snapshot, and what the databases lack, may differ).</summary>
    Migrations,
}

/// <summary>A folder to watch, and whether its subfolders are watched too.</summary>
public sealed record WatchedFolder(string Path, bool Recursive);

/// <summary>
/// The folders a watch of a schema project looks at and what an event in them means: the project's folder (the files
/// SourceScan sees: *.cs, *.csproj, *.props, *.targets, bin, obj and hidden folders left out), the migrations folder,
/// and from the last full build's manifest the folders of the referenced projects and of the imports above the project
/// (Directory.Build.props, global.json, …), whose change the next compile turns into a full build. Pure but for
/// <see cref="For"/>, which reads the manifest.
/// </summary>
public sealed class WatchScope
{
    private static readonly string[] ImportedFileNames =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "nuget.config"];

    public WatchScope(string projectDirectory, string migrationsDirectory, IReadOnlyList<WatchedFolder> others)
    {
        ProjectDirectory = Path.GetFullPath(projectDirectory);
        MigrationsDirectory = Path.GetFullPath(migrationsDirectory);
        var folders = new List<WatchedFolder> { new(ProjectDirectory, Recursive: true) };
        // A migrations folder not created yet: its parent, to see it appear.
        folders.Add(Directory.Exists(MigrationsDirectory) ? new WatchedFolder(MigrationsDirectory, true) : new WatchedFolder(ExistingAncestor(MigrationsDirectory), false));
        folders.AddRange(others.Where(f => !IsUnder(f.Path, ProjectDirectory)));
        Folders = folders.DistinctBy(f => f.Path, StringComparer.Ordinal).ToList();
    }

    public string ProjectDirectory { get; }

    public string MigrationsDirectory { get; }

    public IReadOnlyList<WatchedFolder> Folders { get; }

    /// <summary>The scope of <paramref name="project"/> with the folders its last full build read from (none before the first).</summary>
    public static WatchScope For(SchemaProject project, string migrationsDirectory)
    {
        var manifest = CompileManifest.Read(project);
        var others = new List<WatchedFolder>();
        foreach (var input in manifest?.Inputs ?? [])
        {
            if (input.IsFolder && Directory.Exists(input.Path))
                others.Add(new WatchedFolder(input.Path, Recursive: false));
            else if (!input.IsFolder && input.Length >= 0 && ImportedFileNames.Contains(Path.GetFileName(input.Path), StringComparer.OrdinalIgnoreCase))
                others.Add(new WatchedFolder(Path.GetDirectoryName(input.Path)!, Recursive: false));
        }
        return new WatchScope(project.ProjectDirectory, migrationsDirectory, others);
    }

    /// <summary>What a change of <paramref name="path"/> means, or null when the watch ignores it (build output, an editor's temporary file).</summary>
    public WatchedChange? Classify(string path)
    {
        var full = Path.GetFullPath(path);
        if (full == MigrationsDirectory || IsUnder(full, MigrationsDirectory))
            return WatchedChange.Migrations;
        var name = Path.GetFileName(full);
        var extension = Path.GetExtension(full);
        var buildInput = extension is ".cs" or ".csproj" or ".props" or ".targets"
            || ImportedFileNames.Contains(name, StringComparer.OrdinalIgnoreCase);
        if (!buildInput)
            return null;
        // As SourceScan: bin, obj and hidden folders are not sources (a build writes its generated .cs under obj).
        var root = Folders.Where(f => full.StartsWith(f.Path + Path.DirectorySeparatorChar, StringComparison.Ordinal)).MaxBy(f => f.Path.Length);
        if (root is null)
            return null;
        var folders = Path.GetRelativePath(root.Path, full).Split(Path.DirectorySeparatorChar)[..^1];
        return folders.Any(f => f is "bin" or "obj" || f.StartsWith('.')) ? null : WatchedChange.Source;
    }

    private static bool IsUnder(string path, string folder) =>
        path.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string ExistingAncestor(string path)
    {
        var folder = Path.GetDirectoryName(path);
        while (folder is not null && !Directory.Exists(folder))
            folder = Path.GetDirectoryName(folder);
        return folder ?? Path.GetPathRoot(path)!;
    }
}

/// <summary>The changes of one save: the files, what they touched, and when the first event of it came (a <see cref="Stopwatch"/> timestamp).</summary>
public sealed record SaveBatch(IReadOnlyList<string> Paths, bool Sources, bool Migrations, long FirstTimestamp);

/// <summary>
/// Gathers file events into saves: an editor writes a file twice (or writes a temporary file and renames it), and a
/// checkout or a format-all touches many; the batch is due once no event came for <see cref="Quiet"/>. Pure: the
/// time is passed in.
/// </summary>
public sealed class SaveCoalescer(TimeSpan quiet)
{
    private readonly List<string> _paths = [];
    private bool _sources;
    private bool _migrations;
    private long _first;
    private TimeSpan _last;

    public TimeSpan Quiet { get; } = quiet;

    public bool HasPending => _sources || _migrations;

    /// <param name="now">The time of the event on any monotonic clock (the one <see cref="Remaining"/> is given).</param>
    /// <param name="timestamp">The event's <see cref="Stopwatch"/> timestamp, kept for the first event of a batch.</param>
    public void Add(string path, WatchedChange change, TimeSpan now, long timestamp)
    {
        if (!HasPending)
            _first = timestamp;
        if (!_paths.Contains(path, StringComparer.Ordinal))
            _paths.Add(path);
        _sources |= change == WatchedChange.Source;
        _migrations |= change == WatchedChange.Migrations;
        _last = now;
    }

    /// <summary>How long until the pending batch is due (zero when it is), or null when nothing is pending.</summary>
    public TimeSpan? Remaining(TimeSpan now) =>
        !HasPending ? null : _last + Quiet - now is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    /// <summary>The pending batch, which is then forgotten.</summary>
    public SaveBatch Take()
    {
        var batch = new SaveBatch(_paths.ToList(), _sources, _migrations, _first);
        _paths.Clear();
        _sources = _migrations = false;
        return batch;
    }
}

/// <summary>
/// Watches a <see cref="WatchScope"/> with <see cref="FileSystemWatcher"/>s and hands out one <see cref="SaveBatch"/>
/// per save (<see cref="SaveCoalescer"/>). The folders can change (<see cref="Rescope"/>) after a full build names new inputs.
/// </summary>
public sealed class SchemaSourceWatcher : IDisposable
{
    /// <summary>Long enough to take an editor's two writes (or write and rename) of one save as one; short against the 300 ms a save's feedback may take.</summary>
    public static readonly TimeSpan DefaultQuiet = TimeSpan.FromMilliseconds(40);

    private readonly Channel<(string Path, WatchedChange Change, long Timestamp)> _events =
        Channel.CreateUnbounded<(string, WatchedChange, long)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SaveCoalescer _coalescer;
    private List<FileSystemWatcher> _watchers = [];
    private WatchScope _scope;

    public SchemaSourceWatcher(WatchScope scope, TimeSpan? quiet = null)
    {
        _coalescer = new SaveCoalescer(quiet ?? DefaultQuiet);
        _scope = scope;
        Start(scope);
    }

    public WatchScope Scope => _scope;

    /// <summary>Watches <paramref name="scope"/>'s folders instead, when they differ.</summary>
    public void Rescope(WatchScope scope)
    {
        if (scope.Folders.SequenceEqual(_scope.Folders))
            return;
        Stop();
        _scope = scope;
        Start(scope);
    }

    /// <summary>Waits for the next save (the first event, then quiet), and returns it.</summary>
    public async Task<SaveBatch> NextAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            while (_events.Reader.TryRead(out var e))
                _coalescer.Add(e.Path, e.Change, clock.Elapsed, e.Timestamp);
            var remaining = _coalescer.Remaining(clock.Elapsed);
            if (remaining == TimeSpan.Zero)
                return _coalescer.Take();
            if (remaining is null)
            {
                await _events.Reader.WaitToReadAsync(ct);
                continue;
            }
            // Due unless another event comes first.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(remaining.Value);
            try
            {
                await _events.Reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }
        }
    }

    private void Start(WatchScope scope)
    {
        foreach (var folder in scope.Folders.Where(f => Directory.Exists(f.Path)))
        {
            var watcher = new FileSystemWatcher(folder.Path)
            {
                IncludeSubdirectories = folder.Recursive,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Changed += (_, e) => Post(e.FullPath);
            watcher.Created += (_, e) => Post(e.FullPath);
            watcher.Deleted += (_, e) => Post(e.FullPath);
            watcher.Renamed += (_, e) =>
            {
                Post(e.OldFullPath);
                Post(e.FullPath);
            };
            // Events were lost (the kernel's queue overflowed): anything may have changed.
            watcher.Error += (_, _) =>
            {
                _events.Writer.TryWrite((scope.ProjectDirectory, WatchedChange.Source, Stopwatch.GetTimestamp()));
                _events.Writer.TryWrite((scope.MigrationsDirectory, WatchedChange.Migrations, Stopwatch.GetTimestamp()));
            };
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    private void Post(string path)
    {
        if (_scope.Classify(path) is { } change)
            _events.Writer.TryWrite((path, change, Stopwatch.GetTimestamp()));
    }

    private void Stop()
    {
        foreach (var watcher in _watchers)
            watcher.Dispose();
        _watchers = [];
    }

    public void Dispose() => Stop();
}

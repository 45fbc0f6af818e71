using System.Reflection;

namespace Strata.Postgres.Migrations;

/// <summary>
/// Migrations embedded in an assembly as manifest resources <c>&lt;prefix&gt;&lt;id&gt;/up.sql</c>, <c>down.sql</c>
/// and <c>&lt;prefix&gt;strata.sum</c>, so that an application carries its migrations inside its own binary.
/// The resource names are listed once, when the source is made; a file is read when asked.
/// </summary>
/// <remarks>
/// The MSBuild item that embeds a migrations folder so (docs/application-startup.md):
/// <code>&lt;EmbeddedResource Include="db/migrations/**/*.sql;db/migrations/strata.sum" LogicalName="strata/migrations/%(RecursiveDir)%(Filename)%(Extension)" /&gt;</code>
/// </remarks>
internal sealed class EmbeddedMigrationSource : MigrationSource
{
    public const string DefaultPrefix = "strata/migrations/";

    /// <summary>Resource files by their path below the prefix (<c>0001_init/up.sql</c>, <c>strata.sum</c>).</summary>
    private readonly SortedDictionary<string, Func<Stream>> _files = new(StringComparer.Ordinal);
    private readonly List<string> _ids;
    private readonly string _prefix;

    public EmbeddedMigrationSource(Assembly assembly, string resourcePrefix)
        : this(
            $"assembly {assembly.GetName().Name}, resources {resourcePrefix}",
            resourcePrefix,
            assembly.GetManifestResourceNames().Select(name => KeyValuePair.Create(name, (Func<Stream>)(() => Open(assembly, name)))))
    {
    }

    /// <summary>Over resources given as (manifest name, opener): the tests' in-memory assemblies.</summary>
    /// <exception cref="MigrationFileException">A resource below the prefix in a folder that is not a migration id.</exception>
    internal EmbeddedMigrationSource(string location, string resourcePrefix, IEnumerable<KeyValuePair<string, Func<Stream>>> resources)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourcePrefix);
        Location = location;
        // MSBuild's %(RecursiveDir) uses the separator of the OS that built the assembly: 0001_init\up.sql on Windows.
        _prefix = resourcePrefix.Replace('\\', '/');
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (manifestName, open) in resources)
        {
            var name = manifestName.Replace('\\', '/');
            if (!name.StartsWith(_prefix, StringComparison.Ordinal))
                continue;
            var relative = name[_prefix.Length..];
            if (relative == StrataSum.FileName)
            {
                _files[relative] = open;
                continue;
            }
            var slash = relative.IndexOf('/');
            // Files beside strata.sum are not migrations, and dot-named parts are tools' files: a folder source skips both too.
            if (slash < 0 || relative.Split('/').Any(part => part.StartsWith('.')))
                continue;
            var id = relative[..slash];
            if (!MigrationDirectory.IdPattern().IsMatch(id))
            {
                throw new MigrationFileException(ResourceName(relative), null,
                    $"this resource is not in a migration folder: {MigrationDirectory.IdRule}. Rename the folder, or leave it out of the "
                    + $"EmbeddedResource item whose LogicalName starts with \"{_prefix}\"");
            }
            ids.Add(id);
            _files[relative] = open;
        }
        _ids = [.. ids];
    }

    public override string Location { get; }

    public override IReadOnlyList<string> Ids => _ids;

    public override async Task<MigrationScripts> ReadAsync(string id, CancellationToken ct = default)
    {
        if (_ids.BinarySearch(id, StringComparer.Ordinal) < 0)
            throw new ArgumentException($"{id} is not a migration of {Location}", nameof(id));
        var up = id + "/" + Migration.UpFile;
        var down = id + "/" + Migration.DownFile;
        var openUp = Opener(up)
            ?? throw new MigrationFileException(ResourceName(up), null,
                $"the resource is missing: migration {id} has other files embedded but not {Migration.UpFile}. "
                + "Embed every migration's up.sql and down.sql (docs/application-startup.md shows the EmbeddedResource item)");
        return await MigrationScripts.ReadAsync(id, ResourceName(up), ResourceName(down), openUp, Opener(down), ct);
    }

    public override async Task<IReadOnlyList<SumProblem>> VerifySumAsync(CancellationToken ct = default)
    {
        var hashes = new List<KeyValuePair<string, string>>();
        foreach (var file in _files.Keys.Where(f => f != StrataSum.FileName))
        {
            using var source = Opener(file)!();
            hashes.Add(KeyValuePair.Create(file, await source.ReadChecksumAsync(ct)));
        }
        var actual = new StrataSum(hashes);

        var sumText = await ReadTextAsync(StrataSum.FileName, ct);
        if (sumText is null)
            return actual.Files.Select(f => new SumProblem(SumProblemKind.NotInSum, f.Key, null, f.Value)).ToList();
        var problems = StrataSum.Parse(sumText, ResourceName(StrataSum.FileName)).Verify(actual);

        // strata.sum lists every file of a migration folder, snapshot.json included, but an application needs
        // only the scripts: the recommended EmbeddedResource item embeds *.sql and strata.sum. So when no
        // snapshot.json is embedded at all, the recorded snapshot entries are not "missing" — they were left out
        // on purpose. When some are embedded, snapshots are part of what this assembly carries and every one
        // is compared. The sum's own first line still covers the snapshot lines, so a hand-edited sum is found either way.
        if (!_files.Keys.Any(IsSnapshot))
            problems = problems.Where(p => !(p.Kind == SumProblemKind.Missing && IsSnapshot(p.File))).ToList();
        return problems;
    }

    private static bool IsSnapshot(string file) => file.EndsWith("/" + Migration.SnapshotFile, StringComparison.Ordinal);

    /// <summary>A resource's name for messages: <c>resource:strata/migrations/0001_init/up.sql</c>.</summary>
    private string ResourceName(string relative) => "resource:" + _prefix + relative;

    /// <summary>Opens the resource as strict UTF-8 text, or null when it is not embedded.</summary>
    private Func<SourceText>? Opener(string relative) =>
        _files.TryGetValue(relative, out var open) ? () => SourceText.Open(open(), ResourceName(relative)) : null;

    /// <summary>The resource's text, or null when it is not embedded.</summary>
    /// <exception cref="MigrationFileException">The resource is not UTF-8.</exception>
    private async Task<string?> ReadTextAsync(string relative, CancellationToken ct)
    {
        if (Opener(relative) is not { } open)
            return null;
        using var source = open();
        return await source.ReadToEndAsync(ct);
    }

    private static Stream Open(Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"{assembly.GetName().Name} lists the resource {name} but cannot open it.");
}

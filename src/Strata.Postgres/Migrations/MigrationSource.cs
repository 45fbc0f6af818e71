using System.Reflection;

namespace Strata.Postgres.Migrations;

/// <summary>
/// One migration's scripts as a <see cref="MigrationSource"/> holds them. Reading it reads up.sql once,
/// start to end, for its checksum, its directives and its count of statements, and keeps none of its
/// text: the statements are read again, one at a time, when they run (a 50 MB script is never held whole).
/// </summary>
public sealed class MigrationScripts
{
    private readonly Func<SourceText> _openUp;

    private MigrationScripts(string id, string upFile, string downFile, Func<SourceText> openUp)
    {
        Id = id;
        UpFile = upFile;
        DownFile = downFile;
        _openUp = openUp;
    }

    /// <summary>The migration id (its folder name).</summary>
    public string Id { get; }

    /// <summary>up.sql's name for messages: a path for a folder, <c>resource:…</c> for an embedded one.</summary>
    public string UpFile { get; }

    /// <summary>down.sql's name for messages.</summary>
    public string DownFile { get; }

    /// <summary>The <see cref="StrataSum.Hash"/> of up.sql: what the tracking table records.</summary>
    public string UpChecksum { get; private set; } = "";

    /// <summary>up.sql's <c>-- strata:</c> directives.</summary>
    public IReadOnlyList<ScriptDirective> UpDirectives { get; private set; } = [];

    /// <summary>How many statements up.sql has.</summary>
    public int UpStatementCount { get; private set; }

    /// <summary>False when up.sql says <c>-- strata:no-transaction</c>.</summary>
    public bool UpRunsInTransaction => !UpDirectives.Any(d => d.Name == MigrationScript.NoTransaction);

    /// <summary>The text of down.sql, or null when the migration has none.</summary>
    public string? DownSql { get; private set; }

    /// <summary>up.sql's statements once <see cref="LoadUpAsync"/> has read them.</summary>
    internal MigrationScript? LoadedUp { get; private set; }

    /// <summary>up.sql's statements: in memory when loaded, else read from the file as they run (<see cref="StreamUpAsync"/>).</summary>
    internal IReadOnlyList<ScriptStatement> UpStatements => LoadedUp?.Statements ?? new StreamedStatements(this);

    /// <summary>
    /// Why up.sql cannot be applied (not UTF-8, or malformed), found while reading it; null when it can. Held
    /// rather than thrown: a migration applied before Strata refused such files still has its checksum
    /// compared (taken as it was then, the bad bytes decoded to U+FFFD), and only a migration that is to run
    /// is refused for it (<see cref="MigrationInventory"/>).
    /// </summary>
    public MigrationFileException? UpProblem { get; private set; }

    /// <summary>Why down.sql cannot be read (not UTF-8), thrown when a rollback needs it.</summary>
    public MigrationFileException? DownProblem { get; private set; }

    /// <summary>
    /// Reads a migration for a <see cref="MigrationSource"/>, the built-in ones and a custom one alike:
    /// <paramref name="openUp"/> and <paramref name="openDown"/> open the scripts afresh on each call
    /// (<c>() =&gt; SourceText.Open(stream, name)</c>), since up.sql is read again when it runs.
    /// </summary>
    /// <exception cref="MigrationFileException">up.sql or down.sql is missing or cannot be read.</exception>
    public static async Task<MigrationScripts> ReadAsync(string id, string upFile, string downFile, Func<SourceText> openUp, Func<SourceText>? openDown, CancellationToken ct = default)
    {
        var scripts = new MigrationScripts(id, upFile, downFile, openUp);
        using (var source = openUp())
        {
            var reader = new ScriptReader(source, new ScriptParser(upFile, splitAtSemicolons: false, keepText: false));
            try
            {
                while (await reader.NextAsync(ct) is not null)
                {
                }
                scripts.UpChecksum = source.Checksum;
                scripts.UpDirectives = reader.Parser.Directives;
                scripts.UpStatementCount = reader.Parser.StatementCount;
            }
            catch (MigrationFileException e) when (!SourceText.IsReadFailure(e))
            {
                scripts.UpProblem = e;
                scripts.UpChecksum = SourceText.IsNotUtf8(e) ? await LenientChecksumAsync(openUp, ct) : await source.ReadChecksumAsync(ct);
            }
        }
        if (openDown is not null)
        {
            using var down = openDown();
            try
            {
                scripts.DownSql = await down.ReadToEndAsync(ct);
            }
            catch (MigrationFileException e) when (SourceText.IsNotUtf8(e))
            {
                scripts.DownProblem = e;
                scripts.DownSql = "";
            }
        }
        return scripts;
    }

    private static async Task<string> LenientChecksumAsync(Func<SourceText> open, CancellationToken ct)
    {
        using var source = open();
        return await source.ReadLenientChecksumAsync(ct);
    }

    /// <summary>Reads up.sql's statements into memory (a migration that resumes, or a dry run that shows them).</summary>
    internal async Task LoadUpAsync(CancellationToken ct)
    {
        if (LoadedUp is not null)
            return;
        using var source = _openUp();
        var script = await MigrationScript.ReadAsync(source, UpFile, ct);
        // Read a second time (the first read kept only the checksum): the statements held must be the ones hashed.
        if (source.Checksum != UpChecksum)
        {
            throw new MigrationFileException(UpFile, null,
                $"the file changed while migration {Id} was being read (it hashed to {UpChecksum}, now to {source.Checksum}); nothing of it was applied. Run the command again");
        }
        LoadedUp = script;
    }

    /// <summary>up.sql, every statement in memory (for a dry run, or a migration that resumes).</summary>
    public async Task<MigrationScript> ReadUpAsync(CancellationToken ct = default)
    {
        using var source = _openUp();
        return await MigrationScript.ReadAsync(source, UpFile, ct);
    }

    /// <summary>The text of up.sql, whole.</summary>
    public async Task<string> ReadUpTextAsync(CancellationToken ct = default)
    {
        using var source = _openUp();
        return await source.ReadToEndAsync(ct);
    }

    /// <summary>
    /// up.sql's statements, read from the file one at a time as they are taken. The file must still be the
    /// one whose checksum was read: after the last statement, a file changed in the meantime throws instead of
    /// letting its migration be recorded with the wrong checksum.
    /// </summary>
    internal async IAsyncEnumerable<ScriptStatement> StreamUpAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        using var source = _openUp();
        var reader = new ScriptReader(source, new ScriptParser(UpFile, splitAtSemicolons: false, keepText: true));
        while (await reader.NextAsync(ct) is { } statement)
            yield return statement;
        if (source.Checksum != UpChecksum)
        {
            throw new MigrationFileException(UpFile, null,
                $"the file changed while migration {Id} was being applied (it hashed to {UpChecksum}, now to {source.Checksum}); nothing of it was committed. Run migrate again");
        }
    }
}

/// <summary>
/// The statements of an up.sql that are read from the file as they run: the count is known, the text is not
/// held. The Migrator streams them (<see cref="MigrationScripts.StreamUpAsync"/>); reading them by index would
/// mean holding them all, which is what this is for avoiding.
/// </summary>
internal sealed class StreamedStatements(MigrationScripts scripts) : IReadOnlyList<ScriptStatement>
{
    public MigrationScripts Scripts => scripts;

    public int Count => scripts.UpStatementCount;

    public ScriptStatement this[int index] => throw NotHeld();

    public IEnumerator<ScriptStatement> GetEnumerator() => throw NotHeld();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private InvalidOperationException NotHeld() =>
        new($"The statements of {scripts.UpFile} are read as they run and not held; load them first (MigrationScripts.LoadUpAsync).");
}

/// <summary>
/// Where the <see cref="Migrator"/> reads migrations from: a migrations folder on disk, or the same
/// files embedded in an application's assembly. Either way it lists the migration ids in the order they
/// apply, reads their scripts and checks them against <c>strata.sum</c>.
/// </summary>
public abstract class MigrationSource
{
    /// <summary>For messages: the folder path, or "assembly MyApp, resources strata/migrations/".</summary>
    public abstract string Location { get; }

    /// <summary>The migration ids in the order they apply (ordinal order).</summary>
    public abstract IReadOnlyList<string> Ids { get; }

    /// <summary>Reads one migration's up.sql (its checksum, directives and statement count; down.sql is read when asked).</summary>
    /// <exception cref="MigrationFileException">up.sql is missing, unreadable, malformed or not UTF-8.</exception>
    public abstract Task<MigrationScripts> ReadAsync(string id, CancellationToken ct = default);

    /// <summary>The migrations against <c>strata.sum</c>: edited, missing and unlisted files, a hand-edited sum.</summary>
    /// <exception cref="MigrationFileException">strata.sum is malformed.</exception>
    public abstract Task<IReadOnlyList<SumProblem>> VerifySumAsync(CancellationToken ct = default);

    /// <summary>
    /// Migrations generated on the same parent (<see cref="MigrationDirectory.FindBranchConflictsAsync"/>);
    /// none for a source that does not carry the snapshots (an assembly embeds only the scripts).
    /// </summary>
    public virtual Task<IReadOnlyList<BranchConflict>> FindBranchConflictsAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<BranchConflict>>([]);

    /// <summary>The migrations folder at <paramref name="path"/>.</summary>
    /// <exception cref="MigrationFileException">A folder whose name is not a migration id.</exception>
    public static async Task<MigrationSource> FromFolderAsync(string path, CancellationToken ct = default) =>
        FromDirectory(await MigrationDirectory.LoadAsync(path, ct));

    public static MigrationSource FromDirectory(MigrationDirectory directory) => new FolderMigrationSource(directory);

    /// <summary>
    /// Migrations embedded in <paramref name="assembly"/> as resources named
    /// <c>&lt;prefix&gt;&lt;id&gt;/up.sql</c>, <c>&lt;prefix&gt;&lt;id&gt;/down.sql</c> and <c>&lt;prefix&gt;strata.sum</c>
    /// (see docs/migrations.md for the MSBuild item that embeds a folder so).
    /// </summary>
    public static MigrationSource FromAssembly(Assembly assembly, string resourcePrefix = EmbeddedMigrationSource.DefaultPrefix) =>
        new EmbeddedMigrationSource(assembly, resourcePrefix);
}

/// <summary>A migrations folder on disk.</summary>
internal sealed class FolderMigrationSource(MigrationDirectory directory) : MigrationSource
{
    private readonly IReadOnlyList<string> _ids = directory.Migrations.Select(m => m.Id).ToList();

    public override string Location => directory.Path;

    public override IReadOnlyList<string> Ids => _ids;

    public override async Task<MigrationScripts> ReadAsync(string id, CancellationToken ct = default)
    {
        var migration = directory.Find(id) ?? throw new ArgumentException($"{id} is not a migration of {directory.Path}", nameof(id));
        return await MigrationScripts.ReadAsync(id, migration.UpPath, migration.DownPath,
            () => Migration.OpenFile(migration.UpPath), File.Exists(migration.DownPath) ? () => Migration.OpenFile(migration.DownPath) : null, ct);
    }

    public override Task<IReadOnlyList<SumProblem>> VerifySumAsync(CancellationToken ct = default) => directory.VerifySumAsync(ct);

    public override Task<IReadOnlyList<BranchConflict>> FindBranchConflictsAsync(CancellationToken ct = default) => directory.FindBranchConflictsAsync(ct);
}

using Strata.Model;

namespace Strata.Postgres.Migrations;

/// <summary>
/// The migrations of a source set against the tracking table: every migration's state, and the reasons a
/// run must refuse. Pure once read: the Migrator takes it under the lock and decides from it alone.
/// </summary>
internal sealed class MigrationInventory
{
    private readonly MigrationSource _source;
    private readonly IReadOnlyDictionary<string, HistoryRow> _history;
    private readonly Dictionary<string, MigrationScripts> _scripts;

    private MigrationInventory(
        MigrationSource source, IReadOnlyDictionary<string, HistoryRow> history, Dictionary<string, MigrationScripts> scripts,
        IReadOnlyList<SumProblem> sumProblems)
    {
        _source = source;
        _history = history;
        _scripts = scripts;
        SumProblems = sumProblems;
        Statuses = BuildStatuses();
    }

    public IReadOnlyList<SumProblem> SumProblems { get; }

    /// <summary>Every migration in the source or the tracking table, in id order.</summary>
    public IReadOnlyList<MigrationStatus> Statuses { get; }

    public IReadOnlyDictionary<string, HistoryRow> History => _history;

    /// <summary>
    /// Reads every migration's up.sql (to compare checksums) and verifies strata.sum. The statements of a
    /// migration are kept in memory only where they are needed whole: a partial migration (its progress is
    /// checked against the statements that ran), a pending <c>-- strata:no-transaction</c> one (it runs statement
    /// by statement with its progress hashed), and, with <paramref name="loadPending"/>, every pending one (a dry
    /// run shows them). Any other is streamed from its file when it runs.
    /// </summary>
    public static async Task<MigrationInventory> ReadAsync(MigrationSource source, IReadOnlyDictionary<string, HistoryRow> history, CancellationToken ct, bool loadPending = false)
    {
        var sumProblems = await source.VerifySumAsync(ct);
        var scripts = new Dictionary<string, MigrationScripts>(StringComparer.Ordinal);
        foreach (var id in source.Ids)
        {
            var read = await source.ReadAsync(id, ct);
            var row = history.GetValueOrDefault(id);
            // An applied migration was read as it was when it ran; one that is to run must be right.
            if (read.UpProblem is { } problem && row is not { Completed: true })
                throw problem;
            if (row is { Completed: false } || (row is null && (loadPending || !read.UpRunsInTransaction)))
                await read.LoadUpAsync(ct);
            scripts[id] = read;
        }
        return new MigrationInventory(source, history, scripts, sumProblems);
    }

    public MigrationScripts Scripts(string id) => _scripts[id];

    private List<MigrationStatus> BuildStatuses()
    {
        var newestApplied = _history.Keys.DefaultIfEmpty("").Max(StringComparer.Ordinal)!;
        var ids = _scripts.Keys.Union(_history.Keys).Order(StringComparer.Ordinal);
        var statuses = new List<MigrationStatus>();
        foreach (var id in ids)
        {
            _history.TryGetValue(id, out var row);
            var scripts = _scripts.GetValueOrDefault(id);
            var checksum = scripts?.UpChecksum;
            var state = (row, scripts) switch
            {
                (not null, null) => MigrationState.MissingOnDisk,
                ({ Completed: false }, _) => MigrationState.Partial,
                (not null, _) when row.Checksum != checksum => MigrationState.ChecksumMismatch,
                (not null, _) => MigrationState.Applied,
                _ when string.CompareOrdinal(id, newestApplied) < 0 => MigrationState.OutOfOrder,
                _ => MigrationState.Pending,
            };
            statuses.Add(new MigrationStatus(id, state, row, checksum, scripts?.UpFile, scripts?.UpStatementCount == 0));
        }
        return statuses;
    }

    /// <summary>The migrations a run applies, in order (partial ones resume), or the refusals that stop it.</summary>
    public (IReadOnlyList<MigrationStatus> ToApply, IReadOnlyList<Refusal> Refusals) PlanApply(MigratorOptions options)
    {
        var refusals = new List<Refusal>(SourceRefusals());
        string? target = null;
        if (options.TargetId is { } wanted)
        {
            target = ResolveTarget(wanted, _scripts.Keys);
            if (target is null)
                refusals.Add(new Refusal(RefusalKind.UnknownTarget, null, null, $"no migration in {_source.Location} is called {wanted} (give its id, such as 0003_add_tags, or its prefix 0003)"));
        }

        var toApply = new List<MigrationStatus>();
        foreach (var status in Statuses)
        {
            if (target is not null && string.CompareOrdinal(status.Id, target) > 0)
                break;
            switch (status.State)
            {
                case MigrationState.MissingOnDisk:
                    var missing = status.Applied!;
                    refusals.Add(new Refusal(RefusalKind.MissingOnDisk, status.Id, null,
                        $"migration {status.Id} was applied to this database ({Describe(missing)}) but is not in {_source.Location}: it was deleted or renamed after it was applied. "
                        + "Restore it from version control; a migration that is applied somewhere must stay."));
                    break;
                case MigrationState.ChecksumMismatch:
                    refusals.Add(new Refusal(RefusalKind.ChecksumMismatch, status.Id, status.File,
                        $"{status.File} has changed since it was applied ({Describe(status.Applied!)}): the database recorded {status.Applied!.Checksum}, the file now hashes to {status.FileChecksum}. "
                        + "An applied migration must not change: restore the file from version control and put the change in a new migration."));
                    break;
                case MigrationState.Partial:
                    if (PartialPrefixProblem(status) is { } problem)
                        refusals.Add(problem);
                    toApply.Add(status);
                    break;
                case MigrationState.OutOfOrder when !options.AllowOutOfOrder:
                    var newest = Statuses.Last(s => s.Applied is not null).Id;
                    refusals.Add(new Refusal(RefusalKind.OutOfOrder, status.Id, status.File,
                        $"migration {status.Id} is pending but older than {newest}, which is already applied: it comes from a branch merged after {newest} ran. "
                        + "Check that it does not conflict with the newer migrations, then apply it out of order (strata migrate --allow-out-of-order, or MigratorOptions.AllowOutOfOrder)."));
                    break;
                case MigrationState.OutOfOrder or MigrationState.Pending when status.EmptyProblem is { } empty:
                    refusals.Add(new Refusal(RefusalKind.EmptyMigration, status.Id, status.File, empty));
                    break;
                case MigrationState.OutOfOrder or MigrationState.Pending:
                    toApply.Add(status);
                    break;
            }
        }
        return (toApply, refusals);
    }

    /// <summary>
    /// The applied migrations a rollback undoes, newest first, or the refusals that stop it. Only the
    /// source's own integrity and the migrations being undone are checked: a problem elsewhere does
    /// not stand in the way of undoing the newest.
    /// </summary>
    public (IReadOnlyList<MigrationStatus> ToUndo, IReadOnlyList<Refusal> Refusals) PlanRollback(RollbackOptions options)
    {
        var refusals = new List<Refusal>(SourceRefusals());
        var applied = Statuses.Where(s => s.Applied is not null).Reverse().ToList();
        List<MigrationStatus> toUndo;
        if (options.TargetId is { } wanted)
        {
            var target = ResolveTarget(wanted, applied.Select(s => s.Id));
            if (target is null)
            {
                refusals.Add(new Refusal(RefusalKind.UnknownTarget, null, null,
                    $"{wanted} is not a migration applied to this database; roll back to one of: {string.Join(", ", applied.Select(s => s.Id).Take(10))}"));
                return ([], refusals);
            }
            toUndo = applied.TakeWhile(s => string.CompareOrdinal(s.Id, target) > 0).ToList();
        }
        else
        {
            if (options.Steps < 1)
                throw new ArgumentOutOfRangeException(nameof(options), options.Steps, "Steps must be at least 1.");
            toUndo = applied.Take(options.Steps).ToList();
        }

        foreach (var status in toUndo)
        {
            switch (status.State)
            {
                case MigrationState.MissingOnDisk:
                    refusals.Add(new Refusal(RefusalKind.MissingOnDisk, status.Id, null,
                        $"migration {status.Id} is applied but not in {_source.Location}, so there is no down.sql to undo it with: restore it from version control."));
                    continue;
                case MigrationState.ChecksumMismatch:
                    refusals.Add(new Refusal(RefusalKind.ChecksumMismatch, status.Id, status.File,
                        $"{status.File} has changed since it was applied: the database recorded {status.Applied!.Checksum}, the file now hashes to {status.FileChecksum}; "
                        + "its down.sql may not undo what ran. Restore the migration from version control first."));
                    continue;
                case MigrationState.Partial:
                    refusals.Add(new Refusal(RefusalKind.Partial, status.Id, status.File,
                        $"migration {status.Id} is only partly applied ({status.Applied!.StatementsApplied} statements ran), so its down.sql, written for the whole migration, cannot undo it. "
                        + "Finish it with strata migrate (after fixing the failing statement) and then roll it back, or undo its statements by hand."));
                    continue;
            }

            var scripts = _scripts[status.Id];
            if (scripts.DownProblem is { } problem)
                throw problem;
            var down = scripts.DownSql is null ? null : MigrationScript.Parse(scripts.DownSql, scripts.DownFile);
            if (down is null || down.Statements.Count == 0)
            {
                refusals.Add(new Refusal(RefusalKind.NoDownScript, status.Id, scripts.DownFile,
                    $"{scripts.DownFile} {(down is null ? "does not exist" : "has no statements")}, so migration {status.Id} cannot be rolled back "
                    + "(a hand-written migration gets an empty down.sql). Write the SQL that undoes its up.sql there, accept the edit with `strata hash`, and roll back again."));
                continue;
            }
            var losses = down.Directives.Where(d => d.Name == MigrationScript.DataLoss).Select(d => d.Argument ?? "").ToList();
            if (losses.Count > 0 && !options.AcceptDataLoss)
            {
                refusals.Add(new Refusal(RefusalKind.DataLoss, status.Id, scripts.DownFile,
                    $"rolling back {status.Id} destroys data: {string.Join("; ", losses)}. "
                    + "Back up what you need, then roll back with --accept-data-loss (RollbackOptions.AcceptDataLoss)."));
            }
        }
        return (toUndo, refusals);
    }

    private IEnumerable<Refusal> SourceRefusals() => SumProblems.Select(p =>
        new Refusal(RefusalKind.SumMismatch, null, Path.Combine(_source.Location, p.File), $"{_source.Location}: {p.Message}"));

    /// <summary>A partial migration may be fixed before it resumes, but only in the statements that have not run.</summary>
    private Refusal? PartialPrefixProblem(MigrationStatus status)
    {
        var row = status.Applied!;
        var scripts = _scripts[status.Id];
        var statements = scripts.LoadedUp!.Statements;
        if (row.StatementsApplied <= statements.Count && ProgressChecksum(statements, row.StatementsApplied) == row.ProgressChecksum)
            return null;
        return new Refusal(RefusalKind.ChecksumMismatch, status.Id, status.File,
            $"migration {status.Id} stopped part-way after {row.StatementsApplied} statements, and {status.File} has changed in those statements since they ran. "
            + $"Only the statements that have not run yet may be edited before it resumes: restore the first {row.StatementsApplied} as they were.");
    }

    /// <summary>The hash of the first <paramref name="count"/> statements: what a partial migration's resumption relies on.</summary>
    public static string ProgressChecksum(IReadOnlyList<ScriptStatement> statements, int count) =>
        StrataSum.Hash(string.Join("\n" + MigrationScript.Breakpoint + "\n", statements.Take(count).Select(s => s.Sql)));

    /// <summary>An id, or the prefix of exactly one id (0003 for 0003_add_tags).</summary>
    private static string? ResolveTarget(string wanted, IEnumerable<string> ids)
    {
        var candidates = ids.Where(id => id == wanted || id.StartsWith(wanted + "_", StringComparison.Ordinal)).ToList();
        return candidates.Count == 1 ? candidates[0] : candidates.Find(id => id == wanted);
    }

    private static string Describe(HistoryRow row) =>
        $"on {row.AppliedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z by {row.AppliedBy}";
}

namespace Strata.Postgres.Linting;

/// <summary>How much a finding of a rule weighs: an error makes <c>strata lint</c> (and <c>check</c>) exit 1.</summary>
public enum LintLevel
{
    Off,
    Warning,
    Error,
}

/// <summary>One rule of <c>strata lint</c>: its id (what strata.json and <c>-- strata:lint-ignore</c> name), its level unless strata.json says otherwise, why it hurts and the safe form.</summary>
public sealed record LintRule(string Id, LintLevel DefaultLevel, string Why, string SafeForm);

/// <summary>Every rule of <c>strata lint</c> (docs/lint.md lists the same, a test checks it).</summary>
public static class LintRules
{
    public static readonly LintRule IndexNotConcurrent = new("index-not-concurrent", LintLevel.Error,
        "CREATE INDEX blocks every write to the table for the whole build, and DROP INDEX takes an ACCESS EXCLUSIVE lock on it",
        "CREATE INDEX CONCURRENTLY / DROP INDEX CONCURRENTLY, in a migration of its own that starts with -- strata:no-transaction");

    public static readonly LintRule ConstraintNotValid = new("constraint-not-valid", LintLevel.Error,
        "adding a FOREIGN KEY or CHECK scans the whole table to validate it while holding a lock that blocks writes",
        "ADD CONSTRAINT … NOT VALID, then ALTER TABLE … VALIDATE CONSTRAINT … in the following migration (it does not block writes)");

    public static readonly LintRule SetNotNull = new("set-not-null", LintLevel.Error,
        "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, which blocks reads and writes",
        "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c in the following migration; then SET NOT NULL (PostgreSQL 12+ skips the scan) and DROP CONSTRAINT c");

    public static readonly LintRule ColumnTypeChange = new("column-type-change", LintLevel.Error,
        "a column type change rewrites the table and its indexes under an ACCESS EXCLUSIVE lock (only widening varchar/numeric and varchar to text do not)",
        "expand/contract: add a column of the new type, backfill it in batches, switch the application over, then drop the old column");

    public static readonly LintRule Rename = new("rename", LintLevel.Error,
        "the application version that is running reads the old name and fails as soon as the rename commits",
        "expand/contract: add the new column (or a view under the new table name), write both from the application, backfill, move reads over, then drop the old one in a later release");

    public static readonly LintRule DropColumn = new("drop-column", LintLevel.Warning,
        "dropping a column destroys its data; rolling back the migration cannot give it back",
        "stop reading and writing the column first, take a backup of what you may need, then drop it in a migration of its own");

    public static readonly LintRule DropTable = new("drop-table", LintLevel.Warning,
        "dropping a table destroys its rows; rolling back the migration cannot give them back",
        "stop using the table first, take a backup of what you may need, then drop it in a migration of its own");

    public static readonly LintRule BackwardIncompatible = new("backward-incompatible", LintLevel.Error,
        "an earlier migration created what this drops, so the application version that is running may still read it, and fails once it is gone",
        "expand/contract: release an application version that no longer uses it first, then drop it (and mark this migration with -- strata:lint-ignore backward-incompatible)");

    public static readonly LintRule RequiredColumnWithoutDefault = new("required-column-without-default", LintLevel.Error,
        "ADD COLUMN … NOT NULL without a default fails on a table that has rows, and any insert of the running application that leaves it out fails",
        "add the column with a constant DEFAULT (cheap since PostgreSQL 11), or add it nullable, backfill, and make it NOT NULL the safe way");

    public static readonly LintRule VolatileDefault = new("volatile-default", LintLevel.Error,
        "a new column whose default is volatile (random(), clock_timestamp(), gen_random_uuid(), a serial's nextval(), an identity) or a stored generated column rewrites the table under an ACCESS EXCLUSIVE lock; only a constant default is free (PostgreSQL 11+)",
        "add the column without the default (or with a constant one), SET DEFAULT afterwards for new rows, and backfill the existing rows in batches");

    public static readonly LintRule IntegerPrimaryKey = new("integer-primary-key", LintLevel.Warning,
        "an integer or serial primary key runs out at 2,147,483,647, and widening it later rewrites the table",
        "bigint GENERATED ALWAYS AS IDENTITY (or bigserial)");

    public static readonly LintRule CharType = new("char-type", LintLevel.Warning,
        "char(n) pads every value with blanks to n characters, compares them in surprising ways and is no faster than text",
        "text, or varchar(n) (a CHECK on length(col) when the limit is a rule)");

    public static readonly LintRule TimestampWithoutTimeZone = new("timestamp-without-time-zone", LintLevel.Warning,
        "timestamp without time zone stores a wall-clock reading without saying in which zone, so the same value means different instants to different sessions",
        "timestamptz (timestamp with time zone): it stores an instant and shows it in the session's time zone");

    public static readonly LintRule MissingLockTimeout = new("missing-lock-timeout", LintLevel.Off,
        "DDL that waits for a lock (behind a long transaction) blocks every query queued behind it; without lock_timeout it waits indefinitely. Off by default: strata migrate sets lock_timeout itself, so this is for migrations that other tools run",
        "SET lock_timeout = '5s'; at the top of the migration (and retry the migration when it runs out)");

    public static readonly LintRule ConcurrentlyInTransaction = new("concurrently-in-transaction", LintLevel.Error,
        "PostgreSQL refuses CONCURRENTLY inside a transaction block, and strata migrate runs a migration without -- strata:no-transaction in one transaction: it fails on this statement and rolls the migration back",
        "put -- strata:no-transaction at the top of the file, and keep the concurrent statements in a migration of their own");

    public static readonly LintRule UniqueNotUsingIndex = new("unique-not-using-index", LintLevel.Error,
        "adding a UNIQUE or PRIMARY KEY constraint builds its index while blocking every write to the table",
        "CREATE UNIQUE INDEX CONCURRENTLY in a -- strata:no-transaction migration, then ADD CONSTRAINT … UNIQUE USING INDEX (or PRIMARY KEY USING INDEX)");

    public static readonly LintRule DownDataLoss = new("down-data-loss", LintLevel.Warning,
        "rolling this migration back drops a column or table, and with it the data written since the migration was applied",
        "before a rollback in production, copy the data out (or roll forward with a new migration instead)");

    /// <summary>Every rule, in the order the docs list them.</summary>
    public static readonly IReadOnlyList<LintRule> All =
    [
        IndexNotConcurrent, ConstraintNotValid, SetNotNull, ColumnTypeChange, Rename, DropColumn, DropTable, BackwardIncompatible,
        RequiredColumnWithoutDefault, VolatileDefault, IntegerPrimaryKey, CharType, TimestampWithoutTimeZone, MissingLockTimeout,
        ConcurrentlyInTransaction, UniqueNotUsingIndex, DownDataLoss,
    ];

    /// <summary>The rule with the id, or null.</summary>
    public static LintRule? Find(string id) => All.FirstOrDefault(r => r.Id == id);

    /// <summary>The rule ids, for messages that name them.</summary>
    public static string Ids => string.Join(", ", All.Select(r => r.Id));

    /// <summary>The level strata.json writes: "off", "warning" or "error"; null for anything else.</summary>
    public static LintLevel? ParseLevel(string text) => text switch
    {
        "off" => LintLevel.Off,
        "warning" => LintLevel.Warning,
        "error" => LintLevel.Error,
        _ => null,
    };

    /// <summary>The level as strata.json and the output write it.</summary>
    public static string Name(this LintLevel level) => level switch
    {
        LintLevel.Error => "error",
        LintLevel.Warning => "warning",
        _ => "off",
    };
}

/// <summary>One finding: where, which rule at which level, and what the statement does.</summary>
/// <param name="Line">The 1-based line of the file where the offending clause starts.</param>
public sealed record LintFinding(string File, int Line, LintRule Rule, LintLevel Level, string Message);

/// <summary>The levels strata.json's <c>"lint": { "rules": { … } }</c> gives, over each rule's default.</summary>
public sealed record LintSettings(IReadOnlyDictionary<string, LintLevel> Levels)
{
    public static readonly LintSettings Default = new(new Dictionary<string, LintLevel>());

    public LintLevel LevelOf(LintRule rule) => Levels.TryGetValue(rule.Id, out var level) ? level : rule.DefaultLevel;
}

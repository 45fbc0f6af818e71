using Strata.Postgres.Migrations;
using Strata.Sql;

namespace Strata.Postgres.Linting;

/// <summary>
/// <c>strata lint</c>'s rules over migration scripts, read statement by statement through <see cref="MigrationScript"/>
/// and <see cref="SqlLexer"/>. Feed it every migration in order (<see cref="Lint"/>): a table is "existing" when the
/// migration does not create it itself (a statement on a table that no earlier migration or manual step created
/// would fail anyway), so most rules need nothing beyond the file. What does need earlier files is tracked from their
/// own statements, not from snapshots, so hand-written migrations count as much as generated ones: the columns each
/// table has with their types (a type change that only widens rewrites nothing; a drop of something an earlier
/// migration created breaks the running application), and the <c>CHECK (col IS NOT NULL)</c> constraints validated
/// so far (after which SET NOT NULL skips its scan).
/// </summary>
public sealed class MigrationLinter(LintSettings settings)
{
    /// <summary>A <c>-- strata:lint-ignore</c> naming a rule that does not exist: reported, never ignored.</summary>
    public static readonly LintRule UnknownRule = new("lint-ignore", LintLevel.Error,
        "a -- strata:lint-ignore directive names a rule that does not exist, so it ignores nothing",
        "name one of the rule ids (strata lint's documentation lists them)");

    // table key "schema.name" → its columns by name and their types (null when not read).
    private readonly Dictionary<string, Dictionary<string, SqlType?>> _tables = new(StringComparer.Ordinal);
    // (table key, constraint name) → a CHECK (column IS NOT NULL) and whether it is validated.
    private readonly Dictionary<(string Table, string Constraint), (string Column, bool Validated)> _notNullChecks = [];

    /// <summary>
    /// The findings of one migration, and the state carried on to the next. <paramref name="down"/> (its down.sql,
    /// when there is one) is read for data loss only.
    /// </summary>
    public IReadOnlyList<LintFinding> Lint(MigrationScript up, string upFile, MigrationScript? down = null, string? downFile = null)
    {
        var findings = new List<LintFinding>();
        var script = new ScriptLint(this, up, upFile, findings);
        foreach (var statement in up.Statements)
            script.Statement(statement);
        if (down is not null)
        {
            var downLint = new ScriptLint(this, down, downFile ?? "down.sql", findings);
            foreach (var statement in down.Statements)
                downLint.DownStatement(statement);
        }
        return findings;
    }

    /// <summary>
    /// The findings of the migrations of <paramref name="directory"/> that <paramref name="selected"/> picks (all when
    /// null); the others are read too, in order, for what they create.
    /// </summary>
    /// <exception cref="MigrationFileException">A file that cannot be read or parsed.</exception>
    public static async Task<IReadOnlyList<LintFinding>> LintFolderAsync(MigrationDirectory directory, LintSettings settings,
        Func<Migration, bool>? selected, CancellationToken ct)
    {
        var linter = new MigrationLinter(settings);
        var findings = new List<LintFinding>();
        foreach (var migration in directory.Migrations)
        {
            var up = await migration.ReadUpScriptAsync(ct);
            var wanted = selected?.Invoke(migration) ?? true;
            var down = wanted && File.Exists(migration.DownPath) ? await migration.ReadDownScriptAsync(ct) : null;
            var found = linter.Lint(up, migration.UpPath, down, migration.DownPath);
            if (wanted)
                findings.AddRange(found);
        }
        return findings;
    }

    private sealed record ColumnDefinition(string Name, int NameAt, SqlType? Type, bool NotNull, bool PrimaryKey, bool Unique,
        List<SqlLexeme> Default, bool Identity, bool GeneratedStored);

    /// <summary>The lint of one file: what it creates, what is ignored where, its findings.</summary>
    private sealed class ScriptLint
    {
        private static readonly HashSet<string> VolatileFunctions = new(StringComparer.Ordinal)
        {
            "random", "clock_timestamp", "timeofday", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
            "uuidv4", "uuidv7", "nextval", "txid_current", "random_normal",
        };

        // Words that end a column's type and default in a column definition.
        private static readonly HashSet<string> ColumnConstraintWords = new(StringComparer.Ordinal)
        {
            "constraint", "not", "null", "default", "primary", "unique", "check", "references", "generated", "collate", "deferrable", "initially",
        };

        private readonly MigrationLinter _linter;
        private readonly MigrationScript _script;
        private readonly string _file;
        private readonly List<LintFinding> _findings;
        private readonly HashSet<string> _ignoredInFile = new(StringComparer.Ordinal);
        private readonly HashSet<string> _createdHere = new(StringComparer.Ordinal);
        private readonly HashSet<(string Table, string Column)> _columnsAddedHere = [];
        private readonly HashSet<string> _indexesCreatedHere = new(StringComparer.Ordinal);
        private readonly HashSet<(string Table, string Constraint)> _addedNotValidHere = [];
        private bool _lockTimeoutSet;
        private bool _lockTimeoutReported;
        private ScriptStatement _statement = null!;
        private SqlText _text = null!;
        private IReadOnlyList<SqlLexeme> _lexemes = [];
        private HashSet<string> _ignoredHere = [];

        public ScriptLint(MigrationLinter linter, MigrationScript script, string file, List<LintFinding> findings)
        {
            _linter = linter;
            _script = script;
            _file = file;
            _findings = findings;
            foreach (var directive in script.Directives.Where(d => d.Name == MigrationScript.LintIgnoreFile))
                _ignoredInFile.UnionWith(RuleIds(directive));
        }

        private bool Transactional => _script.RunsInTransaction;

        private bool Existing(string table) => !_createdHere.Contains(table);

        /// <summary>The rule ids a directive names; an unknown one is reported at the directive's line.</summary>
        private IEnumerable<string> RuleIds(ScriptDirective directive)
        {
            foreach (var id in (directive.Argument ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (LintRules.Find(id) is null)
                {
                    _findings.Add(new LintFinding(_file, directive.Line, UnknownRule, LintLevel.Error,
                        $"\"{id}\" is not a rule of strata lint; the rules are {LintRules.Ids}"));
                }
                yield return id;
            }
        }

        private void Begin(ScriptStatement statement)
        {
            _statement = statement;
            _text = SqlLexer.Tokenize(statement.Sql);
            _lexemes = _text.Lexemes();
            var lastLine = statement.Line + statement.Sql.AsSpan().Count('\n');
            var previousEnd = PreviousStatementEnd(statement);
            // A lint-ignore line belongs to the statement below it (or to the one it stands inside).
            _ignoredHere = _script.Directives
                .Where(d => d.Name == MigrationScript.LintIgnore && d.Line > previousEnd && d.Line <= lastLine)
                .SelectMany(d => RuleIds(d).ToList())
                .ToHashSet(StringComparer.Ordinal);
        }

        private int PreviousStatementEnd(ScriptStatement statement)
        {
            var index = IndexOf(statement);
            if (index <= 0)
                return 0;
            var previous = _script.Statements[index - 1];
            return previous.Line + previous.Sql.AsSpan().Count('\n');
        }

        private int IndexOf(ScriptStatement statement)
        {
            for (var i = 0; i < _script.Statements.Count; i++)
            {
                if (ReferenceEquals(_script.Statements[i], statement))
                    return i;
            }
            return -1;
        }

        private void Report(LintRule rule, int lexeme, string message)
        {
            if (_ignoredInFile.Contains(rule.Id) || _ignoredHere.Contains(rule.Id))
                return;
            var level = _linter.LevelOf(rule);
            if (level == LintLevel.Off)
                return;
            var position = lexeme < _lexemes.Count ? _lexemes[lexeme].Start + 1 : 1;
            _findings.Add(new LintFinding(_file, _statement.LineAt(position), rule, level, message));
        }

        private bool WordAt(int at, string word) => at < _lexemes.Count && _lexemes[at].Kind == SqlLexemeKind.Word && _lexemes[at].Value == word;

        private bool Words(ref int at, params string[] words)
        {
            for (var w = 0; w < words.Length; w++)
            {
                if (!WordAt(at + w, words[w]))
                    return false;
            }
            at += words.Length;
            return true;
        }

        /// <summary>A name, plain or schema-qualified, as a key "schema.name" (public when unqualified).</summary>
        private (string Key, string Name)? Name(ref int at)
        {
            if (at >= _lexemes.Count || !_lexemes[at].IsName)
                return null;
            var first = _lexemes[at++].Value;
            if (at + 1 < _lexemes.Count && _lexemes[at].Is(".") && _lexemes[at + 1].IsName)
            {
                var name = _lexemes[at + 1].Value;
                at += 2;
                return (first + "." + name, name);
            }
            return ("public." + first, first);
        }

        private int End => _lexemes.Count > 0 && _lexemes[^1].Is(";") ? _lexemes.Count - 1 : _lexemes.Count;

        /// <summary>The ranges <c>[start, end)</c> between the commas at depth 0 from <paramref name="from"/> to <paramref name="to"/>.</summary>
        private List<(int Start, int End)> SplitAtCommas(int from, int to)
        {
            var parts = new List<(int, int)>();
            var depth = 0;
            var start = from;
            for (var i = from; i < to; i++)
            {
                if (_lexemes[i].Is("(") || _lexemes[i].Is("["))
                    depth++;
                else if (_lexemes[i].Is(")") || _lexemes[i].Is("]"))
                    depth--;
                else if (depth == 0 && _lexemes[i].Is(","))
                {
                    parts.Add((start, i));
                    start = i + 1;
                }
            }
            if (start < to)
                parts.Add((start, to));
            return parts;
        }

        private int Closing(int open, int to)
        {
            var depth = 0;
            for (var i = open; i < to; i++)
            {
                if (_lexemes[i].Is("("))
                    depth++;
                else if (_lexemes[i].Is(")") && --depth == 0)
                    return i;
            }
            return to;
        }

        // ── up.sql ───────────────────────────────────────────────────────────────────────────────

        public void Statement(ScriptStatement statement)
        {
            Begin(statement);
            if (_lexemes.Count == 0)
                return;
            if (Transactional && _lexemes.Any(l => l.Kind == SqlLexemeKind.Word && l.Value == "concurrently"))
            {
                var at = Enumerable.Range(0, _lexemes.Count).First(i => WordAt(i, "concurrently"));
                Report(LintRules.ConcurrentlyInTransaction, at,
                    "CONCURRENTLY in a migration that runs in a transaction (no -- strata:no-transaction at the top): strata migrate fails on it");
            }
            if (SetsLockTimeout())
            {
                _lockTimeoutSet = true;
                return;
            }
            var i = 0;
            if (Words(ref i, "create"))
            {
                var unique = Words(ref i, "unique");
                if (Words(ref i, "index"))
                    CreateIndex(i, unique);
                else
                    CreateTable(i);
            }
            else if (Words(ref i, "alter", "table"))
            {
                AlterTable(i);
            }
            else if (Words(ref i, "drop", "table"))
            {
                DropTables(i, down: false);
            }
            else if (Words(ref i, "drop", "index"))
            {
                DropIndex(i);
            }
        }

        private bool SetsLockTimeout()
        {
            if (WordAt(0, "set"))
                return _lexemes.Any(l => l.IsName && l.Value == "lock_timeout");
            return _lexemes.Any(l => l.Kind == SqlLexemeKind.Word && l.Value == "set_config")
                && _lexemes.Any(l => l.Kind == SqlLexemeKind.String && l.Value == "lock_timeout");
        }

        /// <summary>A statement that locks an existing table: in a transaction, it needs lock_timeout set before it.</summary>
        private void Locks(int at, string table)
        {
            if (!Transactional || _lockTimeoutSet || _lockTimeoutReported || !Existing(table))
                return;
            _lockTimeoutReported = true;
            Report(LintRules.MissingLockTimeout, at, $"{table} is locked here and no lock_timeout was set before: the lock waits as long as any transaction before it runs, and every query on {table} waits behind it");
        }

        private void CreateIndex(int i, bool unique)
        {
            var start = 0;
            var concurrently = Words(ref i, "concurrently");
            Words(ref i, "if", "not", "exists");
            string? index = null;
            if (!WordAt(i, "on"))
            {
                index = _lexemes.Count > i ? _lexemes[i].Value : null;
                i++;
            }
            if (!Words(ref i, "on"))
                return;
            Words(ref i, "only");
            if (Name(ref i) is not { } table)
                return;
            if (index is not null)
                _indexesCreatedHere.Add(index);
            if (!concurrently && Existing(table.Key))
            {
                Report(LintRules.IndexNotConcurrent, start,
                    $"CREATE {(unique ? "UNIQUE " : "")}INDEX{(index is null ? "" : " " + index)} on {table.Key}, a table this migration does not create, without CONCURRENTLY: writes to {table.Key} are blocked until the index is built");
                Locks(start, table.Key);
            }
        }

        private void DropIndex(int i)
        {
            var concurrently = Words(ref i, "concurrently");
            Words(ref i, "if", "exists");
            foreach (var (start, end) in SplitAtCommas(i, End))
            {
                var at = start;
                if (Name(ref at) is not { } index || _indexesCreatedHere.Contains(index.Name) || concurrently)
                    continue;
                Report(LintRules.IndexNotConcurrent, 0,
                    $"DROP INDEX {index.Key} without CONCURRENTLY: it takes an ACCESS EXCLUSIVE lock on its table, blocking reads and writes while it waits and runs");
                Locks(0, index.Key);
            }
        }

        private void CreateTable(int i)
        {
            while (i < End && !WordAt(i, "table"))
            {
                // CREATE [GLOBAL|LOCAL] [TEMPORARY|TEMP|UNLOGGED] TABLE: anything else (a view, a function) is not ours.
                if (!(WordAt(i, "global") || WordAt(i, "local") || WordAt(i, "temporary") || WordAt(i, "temp") || WordAt(i, "unlogged")))
                    return;
                i++;
            }
            if (!Words(ref i, "table"))
                return;
            Words(ref i, "if", "not", "exists");
            if (Name(ref i) is not { } table)
                return;
            _createdHere.Add(table.Key);
            var columns = new Dictionary<string, SqlType?>(StringComparer.Ordinal);
            _linter._tables[table.Key] = columns;
            if (i >= End || !_lexemes[i].Is("("))
                return;
            var close = Closing(i, End);
            var definitions = new List<ColumnDefinition>();
            var primaryKey = new List<string>();
            foreach (var (start, end) in SplitAtCommas(i + 1, close))
            {
                var at = start;
                if (WordAt(at, "constraint"))
                    at += 2;
                if (WordAt(at, "primary") && WordAt(at + 1, "key") && at + 2 < end && _lexemes[at + 2].Is("("))
                {
                    primaryKey.AddRange(Enumerable.Range(at + 3, Closing(at + 2, end) - at - 3).Where(k => _lexemes[k].IsName).Select(k => _lexemes[k].Value));
                    continue;
                }
                if (WordAt(at, "check"))
                {
                    NotNullCheck(table.Key, start, end, validated: true);
                    continue;
                }
                if (at != start || WordAt(at, "unique") || WordAt(at, "foreign") || WordAt(at, "exclude") || WordAt(at, "like") || WordAt(at, "primary"))
                    continue;
                if (ReadColumn(start, end) is { } column)
                {
                    definitions.Add(column);
                    columns[column.Name] = column.Type;
                }
            }
            foreach (var column in definitions)
            {
                TypeRules(column.Type, column.NameAt, column.Name, table.Key);
                if (column.PrimaryKey || primaryKey.Contains(column.Name))
                    PrimaryKeyRule(column, table.Key);
            }
        }

        private ColumnDefinition? ReadColumn(int start, int end)
        {
            if (start >= end || !_lexemes[start].IsName)
                return null;
            var at = start + 1;
            var type = SqlType.Read(_text, _lexemes, ref at, end);
            bool notNull = false, primaryKey = false, unique = false, identity = false, stored = false;
            var defaultLexemes = new List<SqlLexeme>();
            while (at < end)
            {
                if (WordAt(at, "not") && WordAt(at + 1, "null"))
                {
                    notNull = true;
                    at += 2;
                }
                else if (WordAt(at, "primary") && WordAt(at + 1, "key"))
                {
                    primaryKey = true;
                    at += 2;
                }
                else if (WordAt(at, "unique"))
                {
                    unique = true;
                    at++;
                }
                else if (WordAt(at, "default"))
                {
                    at++;
                    var depth = 0;
                    while (at < end && (depth > 0 || !(_lexemes[at].Kind == SqlLexemeKind.Word && ColumnConstraintWords.Contains(_lexemes[at].Value))))
                    {
                        if (_lexemes[at].Is("("))
                            depth++;
                        else if (_lexemes[at].Is(")"))
                            depth--;
                        defaultLexemes.Add(_lexemes[at++]);
                    }
                }
                else if (WordAt(at, "generated"))
                {
                    var from = at;
                    at++;
                    while (at < end && !WordAt(at, "identity") && !WordAt(at, "stored") && !_lexemes[at].Is("("))
                        at++;
                    if (WordAt(at, "identity"))
                        identity = true;
                    else
                        stored = true;
                    at = Math.Max(at, from + 1);
                    if (at < end && _lexemes[at].Is("("))
                        at = Closing(at, end) + 1;
                    else
                        at++;
                }
                else if (at < end && _lexemes[at].Is("("))
                {
                    at = Closing(at, end) + 1;
                }
                else
                {
                    at++;
                }
            }
            return new ColumnDefinition(_lexemes[start].Value, start, type, notNull || primaryKey, primaryKey, unique, defaultLexemes, identity, stored);
        }

        private void TypeRules(SqlType? type, int at, string column, string table)
        {
            if (type is null)
                return;
            if (type.Name == "char")
                Report(LintRules.CharType, at, $"{table}.{column} is {type.Text}: char(n) pads its values with blanks");
            if (type.Name == "timestamp")
                Report(LintRules.TimestampWithoutTimeZone, at, $"{table}.{column} is {type.Text}, a time without its time zone");
        }

        private void PrimaryKeyRule(ColumnDefinition column, string table)
        {
            if (column.Type is { IsInteger32OrLess: true } type)
                Report(LintRules.IntegerPrimaryKey, column.NameAt, $"the primary key {table}.{column.Name} is {type.Text}: it runs out of values at {(type.Name is "smallint" or "smallserial" ? "32,767" : "2,147,483,647")}");
        }

        /// <summary>A CHECK (col IS NOT NULL), table-level or added, recorded for SET NOT NULL.</summary>
        private void NotNullCheck(string table, int start, int end, bool validated)
        {
            string? name = null;
            var at = start;
            if (WordAt(at, "constraint") && at + 1 < end)
            {
                name = _lexemes[at + 1].Value;
                at += 2;
            }
            if (!Words(ref at, "check") || name is null)
                return;
            // The expression: parentheses around col IS NOT NULL, any number of them.
            var open = 0;
            while (at < end && _lexemes[at].Is("("))
            {
                open++;
                at++;
            }
            if (at + 3 < end && _lexemes[at].IsName && WordAt(at + 1, "is") && WordAt(at + 2, "not") && WordAt(at + 3, "null"))
            {
                var column = _lexemes[at].Value;
                at += 4;
                var closes = 0;
                while (at < end && _lexemes[at].Is(")"))
                {
                    closes++;
                    at++;
                }
                if (open > 0 && closes == open)
                    _linter._notNullChecks[(table, name)] = (column, validated || !Existing(table));
            }
        }

        private void AlterTable(int i)
        {
            Words(ref i, "if", "exists");
            Words(ref i, "only");
            if (Name(ref i) is not { } table)
                return;
            if (i < End && _lexemes[i].Is("*"))
                i++;
            var existing = Existing(table.Key);
            var columns = _linter._tables.TryGetValue(table.Key, out var known) ? known : null;
            foreach (var (start, end) in SplitAtCommas(i, End))
            {
                var at = start;
                if (Words(ref at, "add"))
                {
                    if (WordAt(at, "constraint") || WordAt(at, "primary") || WordAt(at, "unique") || WordAt(at, "check") || WordAt(at, "foreign") || WordAt(at, "exclude"))
                        AddConstraint(table.Key, existing, at, end);
                    else
                        AddColumn(table.Key, existing, at, end, columns);
                }
                else if (Words(ref at, "drop"))
                {
                    if (Words(ref at, "constraint"))
                    {
                        Words(ref at, "if", "exists");
                        if (at < end)
                            _linter._notNullChecks.Remove((table.Key, _lexemes[at].Value));
                        continue;
                    }
                    Words(ref at, "column");
                    Words(ref at, "if", "exists");
                    if (at >= end || !_lexemes[at].IsName)
                        continue;
                    var column = _lexemes[at].Value;
                    if (existing && !_columnsAddedHere.Contains((table.Key, column)))
                    {
                        Report(LintRules.DropColumn, start, $"drops the column {table.Key}.{column} and its data");
                        if (columns?.ContainsKey(column) == true)
                            Report(LintRules.BackwardIncompatible, start, $"drops the column {table.Key}.{column}, which an earlier migration created and the running application may still read");
                        Locks(start, table.Key);
                    }
                    columns?.Remove(column);
                }
                else if (Words(ref at, "alter"))
                {
                    Words(ref at, "column");
                    if (at >= end || !_lexemes[at].IsName)
                        continue;
                    var column = _lexemes[at++].Value;
                    var newHere = !existing || _columnsAddedHere.Contains((table.Key, column));
                    if (Words(ref at, "set", "data", "type") || Words(ref at, "type"))
                    {
                        var type = SqlType.Read(_text, _lexemes, ref at, end);
                        var old = columns?.GetValueOrDefault(column);
                        var rewrites = WordAt(at, "using") || type is null || old is null || !type.IsBinaryCoercibleWideningOf(old);
                        if (!newHere && rewrites)
                        {
                            Report(LintRules.ColumnTypeChange, start, old is null
                                ? $"changes the type of {table.Key}.{column} to {type?.Text}: unless it only widens the old type (which no earlier migration here shows), the table is rewritten under an ACCESS EXCLUSIVE lock"
                                : $"changes {table.Key}.{column} from {old.Text} to {type?.Text}: the table is rewritten under an ACCESS EXCLUSIVE lock");
                            Locks(start, table.Key);
                        }
                        TypeRules(type, start, column, table.Key);
                        if (columns is not null)
                            columns[column] = type;
                    }
                    else if (Words(ref at, "set", "not", "null"))
                    {
                        var validated = _linter._notNullChecks.Any(c => c.Key.Table == table.Key && c.Value.Column == column && c.Value.Validated);
                        if (!newHere && !validated)
                        {
                            Report(LintRules.SetNotNull, start, $"SET NOT NULL on {table.Key}.{column} without a validated CHECK ({column} IS NOT NULL): the whole table is scanned under an ACCESS EXCLUSIVE lock");
                            Locks(start, table.Key);
                        }
                    }
                }
                else if (Words(ref at, "validate", "constraint"))
                {
                    // In the transaction of its ADD … NOT VALID, the lock the ADD took is still held while VALIDATE scans.
                    if (Transactional && at < end && _addedNotValidHere.Contains((table.Key, _lexemes[at].Value)))
                    {
                        Report(LintRules.ConstraintNotValid, start,
                            $"validates {_lexemes[at].Value} in the transaction that added it NOT VALID: the lock the ADD took on {table.Key} is held through the whole scan");
                    }
                    if (at < end && _linter._notNullChecks.TryGetValue((table.Key, _lexemes[at].Value), out var check))
                        _linter._notNullChecks[(table.Key, _lexemes[at].Value)] = check with { Validated = true };
                }
                else if (Words(ref at, "rename"))
                {
                    Rename(table, existing, start, at, end, columns);
                }
            }
        }

        private void Rename((string Key, string Name) table, bool existing, int start, int at, int end, Dictionary<string, SqlType?>? columns)
        {
            if (Words(ref at, "constraint"))
                return;
            if (Words(ref at, "to"))
            {
                if (at >= end)
                    return;
                var schema = table.Key[..^(table.Name.Length + 1)];
                var renamed = schema + "." + _lexemes[at].Value;
                if (existing)
                {
                    Report(LintRules.Rename, start, $"renames the table {table.Key} to {renamed}: the running application still uses the old name");
                    Locks(start, table.Key);
                }
                if (_linter._tables.Remove(table.Key, out var moved))
                    _linter._tables[renamed] = moved;
                if (_createdHere.Remove(table.Key))
                    _createdHere.Add(renamed);
                return;
            }
            Words(ref at, "column");
            if (at + 2 >= end || !_lexemes[at].IsName || !WordAt(at + 1, "to"))
                return;
            var from = _lexemes[at].Value;
            var to = _lexemes[at + 2].Value;
            if (existing && !_columnsAddedHere.Contains((table.Key, from)))
            {
                Report(LintRules.Rename, start, $"renames the column {table.Key}.{from} to {to}: the running application still uses the old name");
                Locks(start, table.Key);
            }
            if (columns is not null && columns.Remove(from, out var type))
                columns[to] = type;
            if (_columnsAddedHere.Remove((table.Key, from)))
                _columnsAddedHere.Add((table.Key, to));
        }

        private void AddConstraint(string table, bool existing, int at, int end)
        {
            var start = at - 1;
            var kind = at;
            if (WordAt(kind, "constraint"))
                kind += 2;
            var notValid = Enumerable.Range(kind, Math.Max(0, end - kind - 1)).Any(k => WordAt(k, "not") && WordAt(k + 1, "valid"));
            if (WordAt(kind, "check"))
                NotNullCheck(table, at, end, validated: !notValid);
            if (!existing)
                return;
            if (notValid && WordAt(at, "constraint") && at + 1 < end)
                _addedNotValidHere.Add((table, _lexemes[at + 1].Value));
            if ((WordAt(kind, "foreign") || WordAt(kind, "check")) && !notValid)
            {
                Report(LintRules.ConstraintNotValid, start, $"adds a {(WordAt(kind, "check") ? "CHECK" : "FOREIGN KEY")} to {table} without NOT VALID: the whole table is scanned while writes wait");
                Locks(start, table);
            }
            else if (WordAt(kind, "unique") || WordAt(kind, "primary"))
            {
                var usingIndex = Enumerable.Range(kind, Math.Max(0, end - kind - 1)).Any(k => WordAt(k, "using") && WordAt(k + 1, "index"));
                if (!usingIndex)
                {
                    Report(LintRules.UniqueNotUsingIndex, start, $"adds a {(WordAt(kind, "unique") ? "UNIQUE" : "PRIMARY KEY")} constraint to {table}, building its index while writes wait");
                    Locks(start, table);
                }
            }
        }

        private void AddColumn(string table, bool existing, int at, int end, Dictionary<string, SqlType?>? columns)
        {
            var start = at - 1;
            Words(ref at, "column");
            Words(ref at, "if", "not", "exists");
            if (ReadColumn(at, end) is not { } column)
                return;
            TypeRules(column.Type, column.NameAt, column.Name, table);
            if (column.PrimaryKey)
                PrimaryKeyRule(column, table);
            if (columns is not null)
                columns[column.Name] = column.Type;
            if (!existing)
                return;
            _columnsAddedHere.Add((table, column.Name));
            var name = $"{table}.{column.Name}";
            var fills = column.Identity || column.Type?.IsSerial == true;
            if (column.NotNull && column.Default.Count == 0 && !fills && !column.GeneratedStored)
                Report(LintRules.RequiredColumnWithoutDefault, start, $"adds {name} NOT NULL without a default: it fails if {table} has rows, and so does every insert that leaves it out");
            var volatileCall = column.Default.Select((l, k) => (l, k))
                .FirstOrDefault(p => p.l.Kind == SqlLexemeKind.Word && VolatileFunctions.Contains(p.l.Value) && p.k + 1 < column.Default.Count && column.Default[p.k + 1].Is("("));
            var why = volatileCall.l is not null ? $"its default calls {volatileCall.l.Value}(), a volatile function"
                : column.Type?.IsSerial == true ? $"it is {column.Type.Text}, whose default is nextval()"
                : column.Identity ? "it is an identity column"
                : column.GeneratedStored ? "it is a stored generated column"
                : null;
            if (why is not null)
                Report(LintRules.VolatileDefault, start, $"adds {name} to an existing table and {why}: every row gets its own value, so the table is rewritten under an ACCESS EXCLUSIVE lock");
            if (column.PrimaryKey || column.Unique)
                Report(LintRules.UniqueNotUsingIndex, start, $"adds {name} with a {(column.PrimaryKey ? "PRIMARY KEY" : "UNIQUE")} constraint, building its index while writes wait");
            Locks(start, table);
        }

        private void DropTables(int i, bool down)
        {
            Words(ref i, "if", "exists");
            foreach (var (start, end) in SplitAtCommas(i, End))
            {
                var at = start;
                if (Name(ref at) is not { } table)
                    continue;
                if (down)
                {
                    Report(LintRules.DownDataLoss, 0, $"rolling back drops the table {table.Key} and every row written to it since");
                    continue;
                }
                if (Existing(table.Key))
                {
                    Report(LintRules.DropTable, 0, $"drops the table {table.Key} and all its rows");
                    if (_linter._tables.ContainsKey(table.Key))
                        Report(LintRules.BackwardIncompatible, 0, $"drops the table {table.Key}, which an earlier migration created and the running application may still read");
                    Locks(0, table.Key);
                }
                _linter._tables.Remove(table.Key);
                _createdHere.Remove(table.Key);
            }
        }

        // ── down.sql ─────────────────────────────────────────────────────────────────────────────

        public void DownStatement(ScriptStatement statement)
        {
            Begin(statement);
            var i = 0;
            if (Words(ref i, "drop", "table"))
            {
                DropTables(i, down: true);
                return;
            }
            if (!Words(ref i, "alter", "table"))
                return;
            Words(ref i, "if", "exists");
            Words(ref i, "only");
            if (Name(ref i) is not { } table)
                return;
            foreach (var (start, end) in SplitAtCommas(i, End))
            {
                var at = start;
                if (!Words(ref at, "drop") || WordAt(at, "constraint"))
                    continue;
                Words(ref at, "column");
                Words(ref at, "if", "exists");
                if (at < end && _lexemes[at].IsName)
                    Report(LintRules.DownDataLoss, start, $"rolling back drops the column {table.Key}.{_lexemes[at].Value} and the data written to it since");
            }
        }
    }

    private LintLevel LevelOf(LintRule rule) => rule == UnknownRule ? LintLevel.Error : settings.LevelOf(rule);
}

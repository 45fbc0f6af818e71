using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Random;

/// <summary>One random pair: schema A, schema B = a mutation of A, the renames it made, and what it did.</summary>
internal sealed record RandomPair(DatabaseModel A, DatabaseModel B, IReadOnlyList<Rename> Renames, IReadOnlyList<string> Mutations);

/// <summary>
/// Seeded random schemas and random mutations of them. The round-trip databases hold no rows, so any
/// cast PostgreSQL has is allowed in a type change; what stays excluded is what PostgreSQL rejects even
/// on an empty table (a cast that does not exist, a btree index on json, a foreign key between
/// different types) or what no schema author would write.
/// </summary>
internal sealed class RandomSchemaGenerator
{
    private static readonly string[] Words = ["a", "ok", "it's", "x y", "Zed"];
    private static readonly ReferentialAction[] Actions = Enum.GetValues<ReferentialAction>();

    private readonly System.Random _random;
    private readonly List<string> _log = [];
    private readonly List<Rename> _renames = [];
    private readonly HashSet<(QualifiedName Table, string Column)> _typeChanged = [];
    private int _next;
    private SchemaSpec _original = new();

    /// <summary>
    /// Domain choices draw from a stream of their own, so that adding domains to the generator left the
    /// schemas of every seed as they were apart from the domains (and the columns that use one).
    /// </summary>
    private readonly System.Random _domainRandom;

    /// <summary>Row-level security and policies draw from a stream of their own too, for the same reason.</summary>
    private readonly System.Random _policyRandom;
    /// <summary>Function choices draw from a stream of their own too, for the same reason; their names count on their own.</summary>
    private readonly System.Random _functionRandom;
    private int _nextFunction;
    /// <summary>Exclusion constraints and column collations draw from a stream of their own too, for the same reason.</summary>
    private readonly System.Random _exclusionRandom;
    /// <summary>Trigger choices draw from a stream of their own too, for the same reason.</summary>
    private readonly System.Random _triggerRandom;
    /// <summary>Storage parameters of tables and indexes draw from a stream of their own too, for the same reason.</summary>
    private readonly System.Random _storageRandom;
    /// <summary>Aggregates draw from a stream of their own too, for the same reason; their names count on their own.</summary>
    private readonly System.Random _aggregateRandom;
    private int _nextAggregate;
    /// <summary>Collations of the schema's own draw from a stream of their own too, for the same reason; their names count on their own.</summary>
    private readonly System.Random _collationRandom;
    private int _nextCollation;

    public RandomSchemaGenerator(int seed)
    {
        _random = new System.Random(seed);
        _domainRandom = new System.Random(unchecked(seed * 7919 + 17));
        _policyRandom = new System.Random(unchecked(seed * 104729 + 31));
        _functionRandom = new System.Random(unchecked(seed * 104729 + 37));
        _partitions = new RandomPartitions(seed);
        _exclusionRandom = new System.Random(unchecked(seed * 104729 + 41));
        _triggerRandom = new System.Random(unchecked(seed * 104729 + 43));
        _inheritance = new RandomInheritance(seed);
        _storageRandom = new System.Random(unchecked(seed * 104729 + 47));
        _aggregateRandom = new System.Random(unchecked(seed * 104729 + 53));
        _collationRandom = new System.Random(unchecked(seed * 104729 + 59));
        _privileges = new RandomPrivileges(seed);
        _indexKeys = new RandomIndexKeys(seed);
        _schemaMeta = new RandomSchemaMeta(seed);
        _exactness = new RandomExactness(seed);
        _coverage16 = new RandomCoverage16(seed);
    }

    /// <summary>The rest of issue 16's features, in objects of their own, from a stream of its own (<see cref="RandomCoverage16"/>).</summary>
    private readonly RandomCoverage16 _coverage16;

    /// <summary>Issue 16's exactness features draw from a stream of their own too (<see cref="RandomExactness"/>).</summary>
    private readonly RandomExactness _exactness;

    /// <summary>Schema comments and clustered indexes draw from a stream of their own too (<see cref="RandomSchemaMeta"/>).</summary>
    private readonly RandomSchemaMeta _schemaMeta;

    /// <summary>Inheriting tables draw from a stream of their own too (<see cref="RandomInheritance"/>).</summary>
    private readonly RandomInheritance _inheritance;

    /// <summary>Privileges draw from a stream of their own too (<see cref="RandomPrivileges"/>), added to the built pair.</summary>
    private readonly RandomPrivileges _privileges;
    /// <summary>Index key collations and key storage parameters draw from a stream of their own too (<see cref="RandomIndexKeys"/>).</summary>
    private readonly RandomIndexKeys _indexKeys;

    /// <summary>Partitioned tables draw from a stream of their own too (<see cref="RandomPartitions"/>).</summary>
    private readonly RandomPartitions _partitions;

    public RandomPair NextPair()
    {
        var a = NewSchema();
        if (_inheritance.Chance(0.25))
            _inheritance.Add(a);
        var b = a.Clone();
        _original = a;
        _log.Clear();
        _renames.Clear();
        _typeChanged.Clear();
        var mutations = 1 + _random.Next(4);
        // A rename ends the mutations: a later one could drop or rename the renamed object again,
        // and a rename decision names objects as they are in A and in B.
        for (var i = 0; i < mutations && _renames.Count == 0; i++)
        {
            Mutate(b);
            foreach (var table in b.Tables.Where(t => t.Columns.Count == 0))
                table.Columns.Add(NewColumn(b, table));
        }
        if (_renames.Count == 0 && b.Domains.Count > 0 && _domainRandom.NextDouble() < 0.5)
            MutateDomain(b, b.Domains[_domainRandom.Next(b.Domains.Count)]);
        if (b.Tables.Count > 0 && _policyRandom.NextDouble() < 0.5)
        {
            // Mostly a table that has policies, so that their changes come up as often as their creation.
            var secured = b.Tables.Where(t => t.Policies.Count > 0).ToList();
            var tables = secured.Count > 0 && _policyRandom.NextDouble() < 0.7 ? secured : b.Tables;
            MutateSecurity(tables[_policyRandom.Next(tables.Count)]);
        }
        if (_renames.Count == 0 && _functionRandom.NextDouble() < 0.5)
            MutateFunctions(b);
        if (_renames.Count == 0 && (a.Partitioned.Count > 0 || _partitions.Chance(0.3)))
            _partitions.Mutate(b, _log);
        if (_renames.Count == 0 && (a.Inherited.Count > 0 || _inheritance.Chance(0.25)))
            _inheritance.Mutate(b, _log);
        if (_renames.Count == 0 && b.Tables.Count > 0 && _exclusionRandom.NextDouble() < 0.4)
            MutateExclusionsOrCollations(b, b.Tables[_exclusionRandom.Next(b.Tables.Count)]);
        if (b.Tables.Count > 0 && _triggerRandom.NextDouble() < 0.5)
        {
            // Mostly a table that has triggers, so that their changes come up as often as their creation.
            var triggered = b.Tables.Where(t => t.Triggers.Count > 0).ToList();
            var tables = triggered.Count > 0 && _triggerRandom.NextDouble() < 0.7 ? triggered : b.Tables;
            MutateTriggers(tables[_triggerRandom.Next(tables.Count)]);
        }
        if (b.Tables.Count > 0 && _storageRandom.NextDouble() < 0.4)
            MutateStorage(b.Tables[_storageRandom.Next(b.Tables.Count)]);
        if (_aggregateRandom.NextDouble() < 0.4)
            MutateAggregates(b);
        if (_renames.Count == 0 && b.Tables.Count > 0 && _collationRandom.NextDouble() < 0.4)
            MutateCollations(b);
        _indexKeys.Mutate(b, _log, renaming: _renames.Count > 0);
        return _coverage16.Decorate(_privileges.Add(_schemaMeta.Decorate(_exactness.Decorate(new RandomPair(a.Build(), b.Build(), [.. _renames], [.. _log])))));
    }

    // ---------------------------------------------------------------- generation

    private SchemaSpec NewSchema()
    {
        var spec = new SchemaSpec();
        if (Chance(0.3))
            spec.Schemas.Add(NewName("s"));
        for (var i = Between(0, 3); i > 0; i--)
            AddEnum(spec);
        if (Chance(0.3))
            AddSequence(spec);
        for (var i = _domainRandom.Next(3); i > 0; i--)
            AddDomain(spec);
        for (var i = _functionRandom.Next(3); i > 0; i--)
            AddFunction(spec);
        for (var i = Between(1, 4); i > 0; i--)
            AddTable(spec);
        for (var i = Between(0, 3); i > 0; i--)
            AddView(spec);
        if (_partitions.Chance(0.3))
            _partitions.Add(spec);
        foreach (var table in spec.Tables)
        {
            foreach (var column in table.Columns.Where(c => CanCollate(table, c)))
                if (_exclusionRandom.NextDouble() < 0.25)
                    column.Collation = Collations[_exclusionRandom.Next(Collations.Length)];
            if (_exclusionRandom.NextDouble() < 0.3)
                AddExclusion(table);
        }
        if (_collationRandom.NextDouble() < 0.4)
        {
            for (var i = 1 + _collationRandom.Next(2); i > 0; i--)
                AddCollation(spec);
            foreach (var table in spec.Tables)
            {
                foreach (var column in table.Columns.Where(c => c.Collation is null && CanCollate(table, c)))
                {
                    if (_collationRandom.NextDouble() < 0.3)
                        UseCollation(spec, table, column);
                }
            }
        }
        foreach (var table in spec.Tables)
        {
            if (_policyRandom.NextDouble() < 0.4)
            {
                table.RowSecurity = _policyRandom.NextDouble() < 0.8;
                table.ForceRowSecurity = _policyRandom.NextDouble() < 0.3;
                for (var i = _policyRandom.Next(3); i > 0; i--)
                    table.Policies.Add(NewPolicy(table));
            }
            if (_triggerRandom.NextDouble() < 0.4)
            {
                for (var i = 1 + _triggerRandom.Next(2); i > 0; i--)
                    table.Triggers.Add(NewTrigger(table));
            }
        }
        for (var i = _aggregateRandom.Next(3); i > 0; i--)
            AddAggregate(spec);
        foreach (var table in spec.Tables)
        {
            if (_storageRandom.NextDouble() < 0.3)
                table.Options = TableOptions();
            for (var i = 0; i < table.Indexes.Count; i++)
            {
                if (_storageRandom.NextDouble() < 0.3)
                    table.Indexes[i] = table.Indexes[i] with { Options = IndexOptions(table.Indexes[i]) };
            }
        }
        _indexKeys.Add(spec);
        return spec;
    }

    // ---------------------------------------------------------------- aggregates

    /// <summary>
    /// Definitions of an aggregate over integers, as PostgreSQL prints them: the first two keep the state type (a change
    /// between them is a CREATE OR REPLACE), the others change it or add a sort operator or a combine function.
    /// </summary>
    private static readonly string[] AggregateDefinitions =
    [
        "SFUNC = int4pl, STYPE = integer",
        "SFUNC = int4pl, STYPE = integer, INITCOND = '0'",
        "SFUNC = int4_sum, STYPE = bigint",
        "SFUNC = int4larger, STYPE = integer, SORTOP = OPERATOR(pg_catalog.>)",
        "SFUNC = int4_sum, STYPE = bigint, COMBINEFUNC = int8pl, PARALLEL = SAFE",
    ];

    private void AddAggregate(SchemaSpec spec) =>
        spec.Aggregates.Add(new AggregateSpec("agg" + ++_nextAggregate, AggregateDefinitions[_aggregateRandom.Next(AggregateDefinitions.Length)],
            _aggregateRandom.Next(3) == 0 ? "an aggregate" : null));

    /// <summary>One change to the aggregates: a definition (in place or a drop and create), the comment, a drop, a new one.</summary>
    private void MutateAggregates(SchemaSpec spec)
    {
        if (spec.Aggregates.Count == 0 || _aggregateRandom.Next(4) == 0)
        {
            AddAggregate(spec);
            _log.Add($"aggregate {spec.Aggregates[^1].Name} added");
            return;
        }
        var index = _aggregateRandom.Next(spec.Aggregates.Count);
        var aggregate = spec.Aggregates[index];
        switch (_aggregateRandom.Next(3))
        {
            case 0:
                spec.Aggregates[index] = aggregate with { Definition = AggregateDefinitions[_aggregateRandom.Next(AggregateDefinitions.Length)] };
                _log.Add($"aggregate {aggregate.Name}: definition");
                break;
            case 1:
                spec.Aggregates[index] = aggregate with { Comment = aggregate.Comment is null ? "an aggregate" : null };
                _log.Add($"aggregate {aggregate.Name}: comment");
                break;
            default:
                spec.Aggregates.RemoveAt(index);
                _log.Add($"aggregate {aggregate.Name} dropped");
                break;
        }
    }

    // ---------------------------------------------------------------- collations of the schema's own

    /// <summary>The definitions a collation takes: libc's C and POSIX, C with POSIX's ctype, and ICU's, deterministic or not (a changed one keeps its determinism).</summary>
    private static readonly (bool Icu, string? Locale, bool Deterministic)[] CollationDefinitions =
    [
        (false, "C", true), (false, "POSIX", true), (false, null, true),
        (true, "und", true), (true, "de", true), (true, "und-u-ks-level2", false), (true, "und-u-ks-level1", false),
    ];

    private void AddCollation(SchemaSpec spec)
    {
        var schemas = spec.Schemas.Append(QualifiedName.DefaultSchema).ToList();
        var (icu, locale, deterministic) = CollationDefinitions[_collationRandom.Next(CollationDefinitions.Length)];
        spec.Collations.Add(new CollationSpec(schemas[_collationRandom.Next(schemas.Count)], "coll" + _nextCollation++, icu, locale, deterministic));
    }

    /// <summary>
    /// A column that nothing compares with another column's collation or pattern-matches may take a nondeterministic
    /// collation: not referenced by a foreign key, not in an exclusion constraint.
    /// </summary>
    private static bool CanBeNondeterministic(SchemaSpec spec, TableSpec table, ColumnSpec column) =>
        table.Exclusions.All(x => x.Column != column.Name)
        && !spec.Tables.Any(t => t.ForeignKeys.Any(f => f.Target == table.QualifiedName && f.TargetColumns.Contains(column.Name)));

    /// <summary>Sets <paramref name="column"/> to one of the schema's collations that it may take; false when there is none.</summary>
    private bool UseCollation(SchemaSpec spec, TableSpec table, ColumnSpec column)
    {
        var usable = spec.Collations.Where(c => c.Deterministic || CanBeNondeterministic(spec, table, column)).ToList();
        if (usable.Count == 0)
            return false;
        var collation = usable[_collationRandom.Next(usable.Count)];
        column.Collation = collation.Name;
        column.CollationSchema = CollationReference.SchemaOf(collation.Schema);
        return true;
    }

    private IEnumerable<(TableSpec Table, ColumnSpec Column)> UsersOf(SchemaSpec spec, CollationSpec collation) =>
        spec.Tables.SelectMany(t => t.Columns.Where(c => c.Collation == collation.Name && c.CollationSchema == CollationReference.SchemaOf(collation.Schema)).Select(c => (t, c)));

    /// <summary>One change: a collation added and used, its definition changed (re-created), renamed, or dropped with its uses, or a column set to one.</summary>
    private void MutateCollations(SchemaSpec spec)
    {
        var collations = spec.Collations;
        var i = collations.Count > 0 ? _collationRandom.Next(collations.Count) : -1;
        switch (i < 0 ? 0 : _collationRandom.Next(5))
        {
            case 0:
            case 4:
                if (i < 0 || _collationRandom.NextDouble() < 0.5)
                {
                    AddCollation(spec);
                    _log.Add($"collation {collations[^1].QualifiedName} added");
                }
                var table = spec.Tables[_collationRandom.Next(spec.Tables.Count)];
                var referenced = spec.Tables.SelectMany(t => t.ForeignKeys.Where(f => f.Target == table.QualifiedName).SelectMany(f => f.TargetColumns)).ToHashSet();
                var collatable = table.Columns.Where(c => CanCollate(table, c) && !_typeChanged.Contains((table.QualifiedName, c.Name)) && !referenced.Contains(c.Name)).ToList();
                if (collatable.Count == 0)
                    return;
                var column = collatable[_collationRandom.Next(collatable.Count)];
                var from = column.CollationSchema is { } fromSchema ? $"{fromSchema}.{column.Collation}" : column.Collation ?? "default";
                if (UseCollation(spec, table, column))
                {
                    _typeChanged.Add((table.QualifiedName, column.Name));
                    _log.Add($"collation of {table.QualifiedName}.{column.Name}: {from} → {column.CollationSchema}.{column.Collation}");
                }
                break;
            case 1:
                var old = collations[i];
                var others = CollationDefinitions.Where(d => d.Icu == old.Icu && d.Deterministic == old.Deterministic && d.Locale != old.Locale).ToList();
                var (_, locale, _) = others[_collationRandom.Next(others.Count)];
                collations[i] = old with { Locale = locale };
                _log.Add($"collation {old.QualifiedName}: locale {old.Locale ?? "C/POSIX"} → {locale ?? "C/POSIX"} (re-created)");
                break;
            case 2:
                var renamed = collations[i];
                var name = "coll" + _nextCollation++;
                foreach (var (_, user) in UsersOf(spec, renamed).ToList())
                    user.Collation = name;
                collations[i] = renamed with { Name = name };
                _log.Add($"collation {renamed.QualifiedName} renamed to {name}");
                break;
            case 3:
                var dropped = collations[i];
                foreach (var (userTable, user) in UsersOf(spec, dropped).ToList())
                {
                    (user.Collation, user.CollationSchema) = (null, null);
                    _typeChanged.Add((userTable.QualifiedName, user.Name));
                }
                collations.RemoveAt(i);
                _log.Add($"collation {dropped.QualifiedName} dropped");
                break;
        }
    }

    // ---------------------------------------------------------------- storage parameters

    /// <summary>A few of a table's storage parameters, each at most once.</summary>
    private List<string> TableOptions()
    {
        var options = new List<string>();
        if (_storageRandom.NextDouble() < 0.6)
            options.Add("fillfactor=" + (60 + 10 * _storageRandom.Next(5)));
        if (_storageRandom.NextDouble() < 0.4)
            options.Add("autovacuum_enabled=" + (_storageRandom.NextDouble() < 0.5 ? "false" : "true"));
        if (_storageRandom.NextDouble() < 0.3)
            options.Add("autovacuum_vacuum_scale_factor=0." + (1 + _storageRandom.Next(9)));
        return options;
    }

    /// <summary>A storage parameter the index's access method takes (deduplicate_items only without INCLUDE, where it counts).</summary>
    private List<string> IndexOptions(IndexSpec index) => index.Method switch
    {
        "gin" => ["fastupdate=" + (_storageRandom.NextDouble() < 0.5 ? "off" : "on")],
        "brin" => ["pages_per_range=" + (16 << _storageRandom.Next(3))],
        "hash" => ["fillfactor=" + (50 + 10 * _storageRandom.Next(5))],
        _ when index.Include.Count == 0 && _storageRandom.NextDouble() < 0.5 => ["deduplicate_items=off"],
        _ => ["fillfactor=" + (50 + 10 * _storageRandom.Next(5))],
    };

    /// <summary>A table's or one of its indexes' storage parameters set, changed or removed (in place: ALTER … SET / RESET).</summary>
    private void MutateStorage(TableSpec table)
    {
        if (table.Indexes.Count > 0 && _storageRandom.NextDouble() < 0.5)
        {
            var i = _storageRandom.Next(table.Indexes.Count);
            var index = table.Indexes[i];
            table.Indexes[i] = index with { Options = index.Options.Count > 0 && _storageRandom.NextDouble() < 0.4 ? [] : IndexOptions(index) };
            _log.Add($"storage parameters of index {index.Name}");
            return;
        }
        table.Options = table.Options.Count > 0 && _storageRandom.NextDouble() < 0.3 ? [] : TableOptions();
        _log.Add($"storage parameters of table {table.QualifiedName}");
    }

    // ---------------------------------------------------------------- exclusion constraints and column collations

    private static readonly string[] Collations = ["C", "POSIX"];

    /// <summary>
    /// A text column that nothing pins to its collation: not a foreign key's (either side), not read by a generated
    /// column (PostgreSQL refuses to retype either).
    /// </summary>
    private static bool CanCollate(TableSpec table, ColumnSpec column) =>
        column.Type is { Kind: TypeKind.Text or TypeKind.Varchar, ArrayDimensions: 0 } && column.Generated is null
        && table.ForeignKeys.All(f => !f.Columns.Contains(column.Name))
        && table.Columns.All(c => c.Generated?.Columns.Contains(column.Name) != true);

    /// <summary>A column an exclusion constraint compares with = under btree: of a type with a btree equality, not generated.</summary>
    private static bool CanExclude(ColumnSpec column) =>
        column.Type is { Kind: TypeKind.Integer or TypeKind.BigInt or TypeKind.Text or TypeKind.Varchar or TypeKind.Uuid or TypeKind.Date, ArrayDimensions: 0 }
        && column.Generated is null;

    private void AddExclusion(TableSpec table)
    {
        var columns = table.Columns.Where(CanExclude).ToList();
        if (columns.Count == 0)
            return;
        string name;
        do
            name = "excl" + _exclusionRandom.Next(100000);
        while (table.Exclusions.Exists(x => x.Name == name));
        table.Exclusions.Add(new ExclusionSpec(name, columns[_exclusionRandom.Next(columns.Count)].Name, _exclusionRandom.NextDouble() < 0.3));
    }

    /// <summary>One change: an exclusion constraint added, dropped, made (not) deferrable or renamed, or a column's collation changed.</summary>
    private void MutateExclusionsOrCollations(SchemaSpec spec, TableSpec table)
    {
        var exclusions = table.Exclusions;
        var i = exclusions.Count > 0 ? _exclusionRandom.Next(exclusions.Count) : -1;
        switch (_exclusionRandom.Next(i < 0 ? 2 : 5))
        {
            case 0:
                var referenced = spec.Tables.SelectMany(t => t.ForeignKeys.Where(f => f.Target == table.QualifiedName).SelectMany(f => f.TargetColumns)).ToHashSet();
                var collatable = table.Columns.Where(c => CanCollate(table, c) && !_typeChanged.Contains((table.QualifiedName, c.Name))
                    && !referenced.Contains(c.Name)).ToList();
                if (collatable.Count == 0)
                    return;
                var column = collatable[_exclusionRandom.Next(collatable.Count)];
                var from = column.Collation;
                column.Collation = from is null ? Collations[_exclusionRandom.Next(Collations.Length)] : from == "C" && _exclusionRandom.NextDouble() < 0.5 ? "POSIX" : null;
                _typeChanged.Add((table.QualifiedName, column.Name));
                _log.Add($"collation of {table.QualifiedName}.{column.Name}: {from ?? "default"} → {column.Collation ?? "default"}");
                break;
            case 1:
                AddExclusion(table);
                if (exclusions.Count > 0)
                    _log.Add($"table {table.QualifiedName}: exclusion constraint {exclusions[^1].Name} added");
                break;
            case 2:
                _log.Add($"table {table.QualifiedName}: exclusion constraint {exclusions[i].Name} dropped");
                exclusions.RemoveAt(i);
                break;
            case 3:
                exclusions[i] = exclusions[i] with { Deferrable = !exclusions[i].Deferrable };
                _log.Add($"table {table.QualifiedName}: exclusion constraint {exclusions[i].Name} {(exclusions[i].Deferrable ? "deferrable" : "not deferrable")}");
                break;
            default:
                string renamed;
                do
                    renamed = "excl" + _exclusionRandom.Next(100000);
                while (exclusions.Exists(x => x.Name == renamed));
                _log.Add($"table {table.QualifiedName}: exclusion constraint {exclusions[i].Name} renamed to {renamed}");
                exclusions[i] = exclusions[i] with { Name = renamed };
                break;
        }
    }

    // ---------------------------------------------------------------- triggers

    private TriggerSpec NewTrigger(TableSpec table, string? name = null)
    {
        var events = Enum.GetValues<TriggerEvent>().Where(_ => _triggerRandom.NextDouble() < 0.4).ToList();
        if (events.Count == 0)
            events.Add((TriggerEvent)_triggerRandom.Next(3));
        var forEachRow = !events.Contains(TriggerEvent.Truncate) && _triggerRandom.NextDouble() < 0.6;
        var arguments = Enumerable.Range(0, _triggerRandom.Next(3)).Select(i => i == 1 ? "it's" : "arg" + _triggerRandom.Next(10)).ToList();
        var enabled = _triggerRandom.NextDouble() < 0.7 ? TriggerEnabled.Origin : (TriggerEnabled)_triggerRandom.Next(4);
        return new TriggerSpec(name ?? NewTriggerName(table), _triggerRandom.NextDouble() < 0.5, events, forEachRow, arguments, enabled,
            _triggerRandom.NextDouble() < 0.2 ? "trigger " + _triggerRandom.Next(100) : null);
    }

    private string NewTriggerName(TableSpec table)
    {
        string name;
        do
            name = (_triggerRandom.Next(10) == 0 ? "Trg " : "trg") + _triggerRandom.Next(1000);
        while (table.Triggers.Exists(t => t.Name == name));
        return name;
    }

    /// <summary>One change to a table's triggers: one added, dropped, re-created with other events, its enabled state or comment changed, or renamed.</summary>
    private void MutateTriggers(TableSpec table)
    {
        var triggers = table.Triggers;
        var i = triggers.Count > 0 ? _triggerRandom.Next(triggers.Count) : -1;
        switch (_triggerRandom.Next(i < 0 ? 1 : 6))
        {
            case 0:
                triggers.Add(NewTrigger(table));
                _log.Add($"table {table.QualifiedName}: trigger {triggers[^1].Name} added");
                break;
            case 1:
                _log.Add($"table {table.QualifiedName}: trigger {triggers[i].Name} dropped");
                triggers.RemoveAt(i);
                break;
            case 2:
                triggers[i] = NewTrigger(table, triggers[i].Name);
                _log.Add($"table {table.QualifiedName}: trigger {triggers[i].Name} changed");
                break;
            case 3:
                triggers[i] = triggers[i] with { Enabled = (TriggerEnabled)(((int)triggers[i].Enabled + 1 + _triggerRandom.Next(3)) % 4) };
                _log.Add($"table {table.QualifiedName}: trigger {triggers[i].Name} now {triggers[i].Enabled}");
                break;
            case 4:
                triggers[i] = triggers[i] with { Comment = triggers[i].Comment is null ? "trigger " + _triggerRandom.Next(100) : null };
                _log.Add($"table {table.QualifiedName}: trigger {triggers[i].Name} comment changed");
                break;
            default:
                var renamed = NewTriggerName(table);
                _log.Add($"table {table.QualifiedName}: trigger {triggers[i].Name} renamed to {renamed}");
                triggers[i] = triggers[i] with { Name = renamed };
                break;
        }
    }

    // ---------------------------------------------------------------- row-level security

    private static readonly string[] PolicyExpressions =
        ["true", "false", "current_user IS NOT NULL", "pg_backend_pid() > 0", "now() > '2000-01-01 00:00:00+00'::timestamptz"];

    private string PolicyExpression() => PolicyExpressions[_policyRandom.Next(PolicyExpressions.Length)];

    /// <summary>A policy whose clauses are what its command takes: SELECT and DELETE USING only, INSERT WITH CHECK only.</summary>
    private PolicySpec NewPolicy(TableSpec table, PolicyCommand? command = null, string? name = null)
    {
        var chosen = command ?? (PolicyCommand)_policyRandom.Next(5);
        string? usingSql = chosen == PolicyCommand.Insert || _policyRandom.NextDouble() < 0.2 && chosen is PolicyCommand.All or PolicyCommand.Update ? null : PolicyExpression();
        string? check = chosen is PolicyCommand.Select or PolicyCommand.Delete || _policyRandom.NextDouble() < 0.5 && chosen != PolicyCommand.Insert ? null : PolicyExpression();
        return new PolicySpec(name ?? NewPolicyName(table), chosen, _policyRandom.NextDouble() < 0.8, usingSql, check,
            _policyRandom.NextDouble() < 0.2 ? "policy " + _policyRandom.Next(100) : null);
    }

    private string NewPolicyName(TableSpec table)
    {
        string name;
        do
            name = (_policyRandom.Next(10) == 0 ? "Pol " : "pol") + _policyRandom.Next(1000);
        while (table.Policies.Exists(p => p.Name == name));
        return name;
    }

    /// <summary>One change to a table's row-level security: its flags, or a policy added, dropped, altered, re-created or renamed.</summary>
    private void MutateSecurity(TableSpec table)
    {
        var policies = table.Policies;
        var i = policies.Count > 0 ? _policyRandom.Next(policies.Count) : -1;
        switch (_policyRandom.Next(i < 0 ? 3 : 8))
        {
            case 0:
                table.RowSecurity = !table.RowSecurity;
                _log.Add($"table {table.QualifiedName}: row-level security {(table.RowSecurity ? "enabled" : "disabled")}");
                break;
            case 1:
                table.ForceRowSecurity = !table.ForceRowSecurity;
                _log.Add($"table {table.QualifiedName}: row-level security {(table.ForceRowSecurity ? "forced" : "not forced")}");
                break;
            case 2:
                policies.Add(NewPolicy(table));
                _log.Add($"table {table.QualifiedName}: policy {policies[^1].Name} added");
                break;
            case 3:
                _log.Add($"table {table.QualifiedName}: policy {policies[i].Name} dropped");
                policies.RemoveAt(i);
                break;
            case 4:
                policies[i] = NewPolicy(table, policies[i].Command, policies[i].Name) with { Permissive = policies[i].Permissive };
                _log.Add($"table {table.QualifiedName}: policy {policies[i].Name} expressions or comment changed");
                break;
            case 5:
                policies[i] = NewPolicy(table, name: policies[i].Name);
                _log.Add($"table {table.QualifiedName}: policy {policies[i].Name} now for {policies[i].Command}");
                break;
            case 6:
                policies[i] = policies[i] with { Permissive = !policies[i].Permissive };
                _log.Add($"table {table.QualifiedName}: policy {policies[i].Name} {(policies[i].Permissive ? "permissive" : "restrictive")}");
                break;
            default:
                var renamed = NewPolicyName(table);
                _log.Add($"table {table.QualifiedName}: policy {policies[i].Name} renamed to {renamed}");
                policies[i] = policies[i] with { Name = renamed };
                break;
        }
    }

    private string NewName(string prefix)
    {
        _next++;
        // Now and then a name that only works quoted: capitals, a space, a quote, a reserved word.
        return _random.Next(25) switch
        {
            0 => $"{char.ToUpperInvariant(prefix[0])}{prefix[1..]} {_next}",
            1 => $"{prefix}\"{_next}",
            2 => $"select{_next}",
            _ => prefix + _next,
        };
    }

    private string PickSchema(SchemaSpec spec) => spec.Schemas.Count > 0 && Chance(0.4) ? Pick(spec.Schemas) : QualifiedName.DefaultSchema;

    private void AddEnum(SchemaSpec spec)
    {
        var values = Enumerable.Range(0, Between(1, 4)).Select(_ => NewName("v")).ToList();
        spec.Enums.Add(new EnumSpec(PickSchema(spec), NewName("e"), values));
    }

    private void AddSequence(SchemaSpec spec) => spec.Sequences.Add(new SequenceSpec(PickSchema(spec), NewName("q"), RandomSequenceOptions()));

    private SequenceOptions RandomSequenceOptions() => _random.Next(3) switch
    {
        0 => SequenceOptions.Default,
        1 => new SequenceOptions(StartWith: Between(1, 100), IncrementBy: Between(1, 5)),
        _ => new SequenceOptions(DataType: Chance(0.5) ? "integer" : "bigint", StartWith: 10, IncrementBy: 2, MinValue: 1, MaxValue: 100_000, Cache: Between(1, 5), Cycle: Chance(0.5)),
    };

    private void AddTable(SchemaSpec spec, string? schema = null)
    {
        var table = new TableSpec { Schema = schema ?? PickSchema(spec), Name = NewName("t") };
        var keyKind = _random.Next(4);
        if (keyKind < 3)
        {
            var id = new ColumnSpec
            {
                Name = NewName("c"),
                Type = keyKind switch { 0 => Types.BigInt, 1 => Types.Integer, _ => Pick([Types.Uuid, Types.Text, Types.Serial]) },
                NotNull = true,
            };
            if (keyKind == 0)
                id.Identity = new Identity(Chance(0.5) ? IdentityGeneration.Always : IdentityGeneration.ByDefault, Chance(0.5) ? SequenceOptions.Default : new SequenceOptions(StartWith: Between(1, 1000)));
            table.Columns.Add(id);
            table.PrimaryKey = new KeySpec(NewName("pk"), [id.Name]);
        }
        for (var i = Between(1, 5); i > 0; i--)
            table.Columns.Add(NewColumn(spec, table));
        if (keyKind == 3 && Chance(0.5))
        {
            var keyable = table.Columns.Where(c => IsKeyable(c.Type) && c.Generated is null).Take(2).ToList();
            if (keyable.Count > 0)
            {
                keyable.ForEach(c => c.NotNull = true);
                table.PrimaryKey = new KeySpec(NewName("pk"), keyable.Select(c => c.Name).ToList());
            }
        }
        if (Chance(0.2))
            table.Comment = Pick(Words);
        spec.Tables.Add(table);

        for (var i = Between(0, 2); i > 0; i--)
            AddConstraintOrIndex(spec, table);
        if (Chance(0.4))
            AddForeignKey(spec, table);
    }

    private ColumnSpec NewColumn(SchemaSpec spec, TableSpec table)
    {
        var column = new ColumnSpec { Name = NewName("c"), Type = RandomType(spec) };
        if (Chance(0.1) && table.Columns.FirstOrDefault(c => c.Generated is null) is { } source)
        {
            column.Type = Types.Boolean;
            column.Generated = new Expression("({0} IS NOT NULL)", [source.Name]);
            return column;
        }
        column.NotNull = Chance(0.3);
        if (Chance(0.3))
            column.Default = DefaultFor(spec, column.Type);
        if (Chance(0.1))
            column.Comment = Pick(Words);
        return column;
    }

    private ColumnType RandomType(SchemaSpec spec)
    {
        if (spec.Domains.Count > 0 && _domainRandom.NextDouble() < 0.2)
        {
            var domain = spec.Domains[_domainRandom.Next(spec.Domains.Count)].Type;
            return _domainRandom.NextDouble() < 0.2 ? domain.Array() : domain;
        }
        if (spec.Enums.Count > 0 && Chance(0.15))
        {
            var enumType = Pick(spec.Enums);
            var type = new ColumnType(TypeKind.Enum, EnumName: enumType.QualifiedName);
            return Chance(0.2) ? type.Array() : type;
        }
        return _random.Next(26) switch
        {
            0 => Types.SmallInt,
            1 or 2 => Types.Integer,
            3 => Types.BigInt,
            4 => Types.Numeric(Between(5, 14), Between(0, 4)),
            5 => Types.Numeric(),
            6 => Types.Real,
            7 => Types.DoublePrecision,
            8 => Types.Boolean,
            9 or 10 => Types.Text,
            11 => Types.Varchar(Pick([10, 50, 255])),
            12 => Types.Char(Pick([1, 5])),
            13 => Types.Uuid,
            14 => Types.Date,
            15 => Types.Timestamp(Chance(0.5) ? null : Between(0, 6)),
            16 => Types.TimestampTz(Chance(0.5) ? null : Between(0, 6)),
            17 => Types.Time(Chance(0.5) ? null : 3),
            18 => Types.Interval(),
            19 => Types.Json,
            20 => Types.Jsonb,
            21 => Types.Bytea,
            22 => Pick([Types.Inet, Types.Cidr, Types.MacAddr]),
            23 => Types.Raw("tsvector"),
            24 => Types.ArrayOf(Pick([Types.Text, Types.Integer, Types.BigInt, Types.Varchar(20)])),
            _ => Types.TimeTz(),
        };
    }

    private string? DefaultFor(SchemaSpec spec, ColumnType type)
    {
        if (type.IsArray)
            return "'{}'";
        return type.Kind switch
        {
            TypeKind.SmallInt or TypeKind.Integer or TypeKind.BigInt => Pick(["0", "1", "42", "-1"]),
            TypeKind.Numeric => Pick(["0", "1.5"]),
            TypeKind.Real or TypeKind.DoublePrecision => "0.5",
            TypeKind.Boolean => Pick(["true", "false"]),
            TypeKind.Char => SqlLiteral.Quote(type.Length == 1 ? "x" : Pick(Words)),
            TypeKind.Text or TypeKind.Varchar => SqlLiteral.Quote(Pick(Words)),
            TypeKind.Uuid => "gen_random_uuid()",
            TypeKind.Date => Pick(["CURRENT_DATE", "'2020-01-01'"]),
            TypeKind.Timestamp or TypeKind.TimestampTz => Pick(["now()", "CURRENT_TIMESTAMP", "'2020-01-01 12:00:00'"]),
            TypeKind.Interval => "'1 day'",
            TypeKind.Jsonb => "'{}'::jsonb",
            TypeKind.Json => "'[]'::json",
            TypeKind.Inet => "'127.0.0.1'",
            TypeKind.Cidr => "'10.0.0.0/8'",
            TypeKind.Enum => spec.Enums.First(e => e.QualifiedName == type.EnumName).Values is { Count: > 0 } values ? SqlLiteral.Quote(Pick(values)) : null,
            TypeKind.Domain => DefaultFor(spec, spec.Domains.First(d => d.QualifiedName == type.DomainName).BaseType),
            _ => null,
        };
    }

    // Types with a btree operator class, usable in primary keys, unique constraints and plain indexes.
    private static bool IsKeyable(ColumnType type) => type.Kind is not (TypeKind.Json or TypeKind.Raw) || type.RawName == "tsvector";

    private void AddConstraintOrIndex(SchemaSpec spec, TableSpec table)
    {
        var plain = table.Columns.Where(c => c.Generated is null).ToList();
        var keyable = table.Columns.Where(c => IsKeyable(c.Type)).ToList();
        switch (_random.Next(5))
        {
            case 0 when keyable.Count > 0:
                var unique = new KeySpec(NewName("uq"), PickSome(keyable, 2).Select(c => c.Name).ToList(), Chance(0.3));
                if (RepeatsKey(table, unique))
                    break;
                table.Uniques.Add(unique);
                _log.Add($"unique on {table.QualifiedName}");
                break;
            case 1 when plain.Count > 0:
                var checkColumns = PickSome(plain, 2).Select(c => c.Name).ToList();
                table.Checks.Add((NewName("ck"), new Expression(checkColumns.Count == 1 ? "{0} IS NOT NULL" : "{0} IS NOT NULL OR {1} IS NULL", checkColumns)));
                _log.Add($"check on {table.QualifiedName}");
                break;
            default:
                if (RandomIndex(table) is { } index)
                {
                    table.Indexes.Add(index);
                    _log.Add($"index {index.Name} on {table.QualifiedName}");
                }
                break;
        }
    }

    private IndexSpec? RandomIndex(TableSpec table)
    {
        var keyable = table.Columns.Where(c => IsKeyable(c.Type)).ToList();
        var name = NewName("ix");
        switch (_random.Next(6))
        {
            case 0 when table.Columns.FirstOrDefault(c => c.Type.Kind == TypeKind.Jsonb || c.Type.IsArray || c.Type.RawName == "tsvector") is { } ginColumn:
                return new IndexSpec(name, [new IndexKeySpec(ginColumn.Name, null, false, NullsOrder.Default)], false, "gin", [], null, false);
            case 1 when table.Columns.FirstOrDefault(c => c.Type.Kind is TypeKind.Integer or TypeKind.Text or TypeKind.Uuid && !c.Type.IsArray) is { } hashColumn:
                return new IndexSpec(name, [new IndexKeySpec(hashColumn.Name, null, false, NullsOrder.Default)], false, "hash", [], null, false);
            case 2 when table.Columns.FirstOrDefault(c => c.Type.Kind is TypeKind.Timestamp or TypeKind.TimestampTz or TypeKind.Date or TypeKind.Integer && !c.Type.IsArray) is { } brinColumn:
                return new IndexSpec(name, [new IndexKeySpec(brinColumn.Name, null, false, NullsOrder.Default)], false, "brin", [], null, false);
            case 3 when table.Columns.Count > 0:
                var any = Pick(table.Columns);
                return new IndexSpec(name, [new IndexKeySpec(null, new Expression("({0} IS NULL)", [any.Name]), false, NullsOrder.Default)], false, "btree", [], null, Chance(0.2));
            default:
                if (keyable.Count == 0)
                    return null;
                var keys = PickSome(keyable, 3).Select(c => new IndexKeySpec(c.Name, null, Chance(0.3), Pick([NullsOrder.Default, NullsOrder.Default, NullsOrder.First, NullsOrder.Last]))).ToList();
                var rest = table.Columns.Where(c => keys.All(k => k.Column != c.Name)).ToList();
                var include = rest.Count > 0 && Chance(0.2) ? [Pick(rest).Name] : new List<string>();
                var where = Chance(0.2) ? new Expression("{0} IS NOT NULL", [Pick(table.Columns).Name]) : null;
                return new IndexSpec(name, keys, Chance(0.3), "btree", include, where, Chance(0.15));
        }
    }

    private void AddForeignKey(SchemaSpec spec, TableSpec table)
    {
        // PostgreSQL cannot build a foreign key between varchar[] columns ("cannot determine element
        // type of anyarray argument"), so keys of array type are not referenced.
        var targets = spec.Tables.Where(t => t.PrimaryKey is { } pk && pk.Columns.All(c => !t.Find(c)!.Type.IsArray)).ToList();
        if (targets.Count == 0)
            return;
        var target = Pick(targets);
        // PostgreSQL joins no foreign key on a domain over an enum (the validator says so too); skipped after the pick, so
        // that the choices of every other seed stay as they were.
        if (target.PrimaryKey!.Columns.Any(c => IsDomainOverEnum(spec, target.Find(c)!.Type)))
            return;
        var columns = new List<string>();
        foreach (var keyColumn in target.PrimaryKey!.Columns)
        {
            var type = target.Find(keyColumn)!.Type;
            type = type.Kind switch
            {
                TypeKind.Serial => Types.Integer,
                TypeKind.BigSerial => Types.BigInt,
                TypeKind.SmallSerial => Types.SmallInt,
                _ => type,
            };
            var column = new ColumnSpec { Name = NewName("c"), Type = type, NotNull = Chance(0.5) };
            table.Columns.Add(column);
            columns.Add(column.Name);
        }
        var deferrable = Chance(0.2);
        var onDelete = Pick(Actions);
        if (onDelete == ReferentialAction.SetDefault || onDelete == ReferentialAction.SetNull)
            onDelete = ReferentialAction.Cascade;
        table.ForeignKeys.Add(new ForeignKeySpec(NewName("fk"), columns, target.QualifiedName, [.. target.PrimaryKey.Columns], onDelete, Pick([ReferentialAction.NoAction, ReferentialAction.Cascade, ReferentialAction.Restrict]), deferrable, deferrable && Chance(0.5)));
        _log.Add($"foreign key {table.QualifiedName} → {target.QualifiedName}");
    }

    /// <summary>A domain over an enum, directly or through other domains (not over an array of one).</summary>
    private static bool IsDomainOverEnum(SchemaSpec spec, ColumnType type)
    {
        for (var depth = 0; type is { Kind: TypeKind.Domain, IsArray: false } && depth < 32; depth++)
        {
            if (spec.Domains.FirstOrDefault(d => d.QualifiedName == type.DomainName) is not { } domain)
                return false;
            type = domain.BaseType;
            if (type is { Kind: TypeKind.Enum, IsArray: false })
                return true;
        }
        return false;
    }

    private void AddView(SchemaSpec spec)
    {
        var sources = spec.Tables.Select(t => t.QualifiedName).Concat(spec.Views.Where(v => !v.Materialized).Select(v => v.QualifiedName)).ToList();
        if (sources.Count == 0)
            return;
        var source = Pick(sources);
        var columns = PickSome(spec.ColumnsOf(source).ToList(), 3);
        if (columns.Count == 0)
            return;
        spec.Views.Add(new ViewSpec(PickSchema(spec), NewName("v"), Chance(0.25), source, [.. columns], Chance(0.3) ? columns[0] : null, Chance(0.2) ? Pick(Words) : null));
        _log.Add($"add view {spec.Views[^1].QualifiedName} on {source}");
    }

    // ---------------------------------------------------------------- mutation

    private void Mutate(SchemaSpec spec)
    {
        // Each mutation says whether it applied; one that does not fit this schema gives way to another.
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var before = _log.Count + _renames.Count;
            var table = spec.Tables.Count > 0 ? Pick(spec.Tables) : null;
            var original = table is null ? null : _original.FindTable(table.QualifiedName);
            switch (_random.Next(36))
            {
                case 0 or 1:
                    AddTable(spec);
                    _log.Add($"add table {spec.Tables[^1].QualifiedName}");
                    break;
                case 2 when table is not null && spec.Tables.Count > 1:
                    DropTable(spec, table);
                    break;
                case 3 when table is not null && original is not null:
                    RenameTable(spec, table);
                    break;
                case 4 or 5 when table is not null:
                    var added = NewColumn(spec, table);
                    table.Columns.Add(added);
                    _log.Add($"add column {table.QualifiedName}.{added.Name}");
                    break;
                case 6 when table is not null && table.Columns.Count > 1:
                    DropColumn(spec, table, Pick(table.Columns).Name);
                    break;
                case 7 when table is not null && original is not null && table.Columns.FirstOrDefault(c => original.Find(c.Name) is not null) is { } existing:
                    RenameColumn(spec, table, existing);
                    break;
                case 8 or 9 or 10 when table is not null:
                    ChangeType(spec, table);
                    break;
                case 11 when table is not null:
                    ToggleNotNull(table);
                    break;
                case 12 or 13 when table is not null:
                    ChangeDefault(spec, table);
                    break;
                case 14 when table is not null:
                    ChangeIdentity(table);
                    break;
                case 15 when table is not null:
                    ChangePrimaryKey(spec, table);
                    break;
                case 16 or 17 when table is not null:
                    AddConstraintOrIndex(spec, table);
                    break;
                case 18 or 19 when table is not null:
                    DropConstraintOrIndex(table);
                    break;
                case 20 when table is not null:
                    AddForeignKey(spec, table);
                    break;
                case 21 or 22 or 23 when spec.Enums.Count > 0:
                    ChangeEnum(spec, Pick(spec.Enums));
                    break;
                case 24:
                    AddEnum(spec);
                    _log.Add($"add enum {spec.Enums[^1].QualifiedName}");
                    break;
                case 25 when spec.Views.Count > 0:
                    ChangeView(spec, Pick(spec.Views));
                    break;
                case 26:
                    AddView(spec);
                    break;
                case 27:
                    ChangeSequences(spec);
                    break;
                case 28 when table is not null:
                    ChangeComments(table);
                    break;
                case 29:
                    ChangeSchemas(spec);
                    break;
                case 30 or 31 when table is not null:
                    RenameOrChangeConstraint(spec, table);
                    break;
                case 32 when spec.Views.FirstOrDefault(v => _original.FindView(v.QualifiedName) is not null) is { } view:
                    RenameView(spec, view);
                    break;
                case 33 when spec.Sequences.FirstOrDefault(q => _original.Sequences.Any(o => o.Name == q.Name && o.Schema == q.Schema)) is { } sequence:
                    var renamed = sequence with { Name = NewName("q") };
                    spec.Sequences[spec.Sequences.IndexOf(sequence)] = renamed;
                    _renames.Add(new Rename(ObjectKind.Sequence, Key(new QualifiedName(sequence.Schema, sequence.Name)), Key(new QualifiedName(renamed.Schema, renamed.Name))));
                    _log.Add($"rename sequence {sequence.Name} → {renamed.Name}");
                    break;
                case 34 when spec.Schemas.FirstOrDefault(_original.Schemas.Contains) is { } schema:
                    RenameSchema(spec, schema);
                    break;
                case 35 when table is not null:
                    WidenKey(spec, table);
                    break;
            }
            if (_log.Count + _renames.Count > before)
                return;
        }
    }

    /// <summary>A new name for an index or constraint (the differ renames those without asking), or a changed check or foreign key.</summary>
    private void RenameOrChangeConstraint(SchemaSpec spec, TableSpec table)
    {
        switch (_random.Next(5))
        {
            case 0 when table.Indexes.Count > 0:
                var index = Pick(table.Indexes);
                table.Indexes[table.Indexes.IndexOf(index)] = index with { Name = NewName("ix") };
                _log.Add($"rename index {index.Name}");
                break;
            case 1 when table.Uniques.Count > 0:
                var unique = Pick(table.Uniques);
                var changed = unique with { Name = NewName("uq"), NullsNotDistinct = Chance(0.5) ? !unique.NullsNotDistinct : unique.NullsNotDistinct };
                if (RepeatsKey(table, changed, except: unique))
                    break;
                table.Uniques[table.Uniques.IndexOf(unique)] = changed;
                _log.Add($"rename unique {unique.Name}");
                break;
            case 2 when table.Checks.Count > 0:
                var i = _random.Next(table.Checks.Count);
                var check = table.Checks[i];
                table.Checks[i] = Chance(0.5)
                    ? (NewName("ck"), check.Expression)
                    : (check.Name, new Expression(check.Expression.Template.Replace("IS NOT NULL", "IS NULL OR true", StringComparison.Ordinal), check.Expression.Columns));
                _log.Add($"rename or change check {check.Name}");
                break;
            case 3 when table.ForeignKeys.Count > 0:
                var j = _random.Next(table.ForeignKeys.Count);
                var fk = table.ForeignKeys[j];
                table.ForeignKeys[j] = Chance(0.5)
                    ? fk with { Name = NewName("fk") }
                    : fk with { OnDelete = fk.OnDelete == ReferentialAction.Cascade ? ReferentialAction.Restrict : ReferentialAction.Cascade, Deferrable = !fk.Deferrable, InitiallyDeferred = false };
                _log.Add($"rename or change foreign key {fk.Name}");
                break;
            case 4 when table.PrimaryKey is { } pk:
                table.PrimaryKey = pk with { Name = NewName("pk") };
                _log.Add($"rename primary key {pk.Name}");
                break;
        }
    }

    private void RenameView(SchemaSpec spec, ViewSpec view)
    {
        var renamed = view with { Name = NewName("v") };
        spec.Views[spec.Views.IndexOf(view)] = renamed;
        RetargetViews(spec, view.QualifiedName, renamed.QualifiedName);
        _renames.Add(new Rename(ObjectKind.View, Key(view.QualifiedName), Key(renamed.QualifiedName)));
        _log.Add($"rename view {view.QualifiedName} → {renamed.QualifiedName}");
    }

    private void RenameSchema(SchemaSpec spec, string schema)
    {
        var to = NewName("s");
        QualifiedName Move(QualifiedName name) => name.Schema == schema ? new QualifiedName(to, name.Name) : name;
        spec.Schemas[spec.Schemas.IndexOf(schema)] = to;
        for (var i = 0; i < spec.Enums.Count; i++)
            if (spec.Enums[i].Schema == schema)
                spec.Enums[i] = spec.Enums[i] with { Schema = to };
        for (var i = 0; i < spec.Sequences.Count; i++)
            if (spec.Sequences[i].Schema == schema)
                spec.Sequences[i] = spec.Sequences[i] with { Schema = to };
        for (var i = 0; i < spec.Domains.Count; i++)
            spec.Domains[i] = spec.Domains[i] with
            {
                Schema = spec.Domains[i].Schema == schema ? to : spec.Domains[i].Schema,
                BaseType = spec.Domains[i].BaseType.EnumName is { } baseEnum ? spec.Domains[i].BaseType with { EnumName = Move(baseEnum) } : spec.Domains[i].BaseType,
            };
        for (var i = 0; i < spec.Views.Count; i++)
            spec.Views[i] = spec.Views[i] with { Schema = spec.Views[i].Schema == schema ? to : spec.Views[i].Schema, Source = Move(spec.Views[i].Source) };
        for (var i = 0; i < spec.Collations.Count; i++)
            if (spec.Collations[i].Schema == schema)
                spec.Collations[i] = spec.Collations[i] with { Schema = to };
        foreach (var table in spec.Tables)
        {
            if (table.Schema == schema)
                table.Schema = to;
            foreach (var column in table.Columns.Where(c => c.Type.EnumName is not null))
                column.Type = column.Type with { EnumName = Move(column.Type.EnumName!.Value) };
            foreach (var column in table.Columns.Where(c => c.Type.DomainName is not null))
                column.Type = column.Type with { DomainName = Move(column.Type.DomainName!.Value) };
            foreach (var column in table.Columns.Where(c => c.CollationSchema == schema))
                column.CollationSchema = to;
            for (var i = 0; i < table.ForeignKeys.Count; i++)
                table.ForeignKeys[i] = table.ForeignKeys[i] with { Target = Move(table.ForeignKeys[i].Target) };
        }
        _renames.Add(new Rename(ObjectKind.Schema, schema, to));
        _log.Add($"rename schema {schema} → {to}");
    }

    private void ChangeSequences(SchemaSpec spec)
    {
        if (spec.Sequences.Count > 0 && Chance(0.6))
        {
            var sequence = Pick(spec.Sequences);
            if (Chance(0.6))
            {
                spec.Sequences[spec.Sequences.IndexOf(sequence)] = sequence with { Options = RandomSequenceOptions() };
                _log.Add($"alter sequence {sequence.Name}");
            }
            else
            {
                spec.Sequences.Remove(sequence);
                _log.Add($"drop sequence {sequence.Name}");
            }
            return;
        }
        AddSequence(spec);
        _log.Add($"add sequence {spec.Sequences[^1].Name}");
    }

    private void DropTable(SchemaSpec spec, TableSpec table)
    {
        spec.Tables.Remove(table);
        foreach (var other in spec.Tables)
            other.ForeignKeys.RemoveAll(f => f.Target == table.QualifiedName);
        DropViewsReading(spec, table.QualifiedName);
        _log.Add($"drop table {table.QualifiedName}");
    }

    private static void DropViewsReading(SchemaSpec spec, QualifiedName relation)
    {
        foreach (var view in spec.Views.Where(v => v.Source == relation).ToList())
        {
            spec.Views.Remove(view);
            DropViewsReading(spec, view.QualifiedName);
        }
    }

    private void RenameTable(SchemaSpec spec, TableSpec table)
    {
        var from = table.QualifiedName;
        var schemas = spec.Schemas.Append(QualifiedName.DefaultSchema).ToList();
        table.Name = NewName("t");
        if (Chance(0.2))
            table.Schema = Pick(schemas);
        foreach (var other in spec.Tables)
            for (var i = 0; i < other.ForeignKeys.Count; i++)
                if (other.ForeignKeys[i].Target == from)
                    other.ForeignKeys[i] = other.ForeignKeys[i] with { Target = table.QualifiedName };
        RetargetViews(spec, from, table.QualifiedName);
        _renames.Add(new Rename(ObjectKind.Table, Key(from), Key(table.QualifiedName)));
        _log.Add($"rename table {from} → {table.QualifiedName}");
    }

    private static void RetargetViews(SchemaSpec spec, QualifiedName from, QualifiedName to)
    {
        for (var i = 0; i < spec.Views.Count; i++)
            if (spec.Views[i].Source == from)
                spec.Views[i] = spec.Views[i] with { Source = to };
    }

    private void DropColumn(SchemaSpec spec, TableSpec table, string column)
    {
        table.Columns.RemoveAll(c => c.Name == column);
        // Everything that names the column goes with it, as PostgreSQL's CASCADE would take it.
        foreach (var generated in table.Columns.Where(c => c.Generated?.Columns.Contains(column) == true).Select(c => c.Name).ToList())
            DropColumn(spec, table, generated);
        if (table.PrimaryKey?.Columns.Contains(column) == true)
        {
            foreach (var other in spec.Tables)
                other.ForeignKeys.RemoveAll(f => f.Target == table.QualifiedName && f.TargetColumns.SequenceEqual(table.PrimaryKey.Columns));
            table.PrimaryKey = null;
        }
        foreach (var unique in table.Uniques.Where(u => u.Columns.Contains(column)).ToList())
        {
            foreach (var other in spec.Tables)
                other.ForeignKeys.RemoveAll(f => f.Target == table.QualifiedName && f.TargetColumns.SequenceEqual(unique.Columns));
            table.Uniques.Remove(unique);
        }
        table.Checks.RemoveAll(c => c.Expression.Columns.Contains(column));
        table.ForeignKeys.RemoveAll(f => f.Columns.Contains(column));
        table.Indexes.RemoveAll(i => i.Columns.Contains(column));
        table.Exclusions.RemoveAll(x => x.Column == column);
        RemoveViewColumn(spec, table.QualifiedName, column);
        _log.Add($"drop column {table.QualifiedName}.{column}");
    }

    private static void RemoveViewColumn(SchemaSpec spec, QualifiedName relation, string column)
    {
        foreach (var view in spec.Views.Where(v => v.Source == relation && v.Columns.Contains(column)).ToList())
        {
            view.Columns.Remove(column);
            if (view.Columns.Count == 0)
            {
                spec.Views.Remove(view);
                DropViewsReading(spec, view.QualifiedName);
            }
            else
            {
                RemoveViewColumn(spec, view.QualifiedName, column);
            }
        }
    }

    private void RenameColumn(SchemaSpec spec, TableSpec table, ColumnSpec column)
    {
        var from = column.Name;
        var to = NewName("c");
        column.Name = to;
        static void Replace(List<string> names, string from, string to)
        {
            for (var i = 0; i < names.Count; i++)
                if (names[i] == from)
                    names[i] = to;
        }
        foreach (var other in table.Columns)
            if (other.Generated is { } generated)
                Replace(generated.Columns, from, to);
        if (table.PrimaryKey is { } pk)
            Replace(pk.Columns, from, to);
        table.Uniques.ForEach(u => Replace(u.Columns, from, to));
        table.Checks.ForEach(c => Replace(c.Expression.Columns, from, to));
        table.ForeignKeys.ForEach(f => Replace(f.Columns, from, to));
        foreach (var other in spec.Tables)
            foreach (var fk in other.ForeignKeys.Where(f => f.Target == table.QualifiedName))
                Replace(fk.TargetColumns, from, to);
        foreach (var index in table.Indexes)
        {
            for (var i = 0; i < index.Keys.Count; i++)
            {
                if (index.Keys[i].Column == from)
                    index.Keys[i] = index.Keys[i] with { Column = to };
                if (index.Keys[i].Expression is { } expression)
                    Replace(expression.Columns, from, to);
            }
            Replace(index.Include, from, to);
            if (index.Where is { } where)
                Replace(where.Columns, from, to);
        }
        for (var i = 0; i < table.Exclusions.Count; i++)
            if (table.Exclusions[i].Column == from)
                table.Exclusions[i] = table.Exclusions[i] with { Column = to };
        RenameViewColumn(spec, table.QualifiedName, from, to);
        _renames.Add(new Rename(ObjectKind.Column, Key(table.QualifiedName) + "." + from, Key(table.QualifiedName) + "." + to));
        _log.Add($"rename column {table.QualifiedName}.{from} → {to}");
    }

    private static void RenameViewColumn(SchemaSpec spec, QualifiedName relation, string from, string to)
    {
        for (var i = 0; i < spec.Views.Count; i++)
        {
            var view = spec.Views[i];
            if (view.Source != relation || !view.Columns.Contains(from))
                continue;
            view.Columns[view.Columns.IndexOf(from)] = to;
            if (view.Filter == from)
                spec.Views[i] = view with { Filter = to };
            RenameViewColumn(spec, view.QualifiedName, from, to);
        }
    }

    private void ChangeType(SchemaSpec spec, TableSpec table)
    {
        var referenced = spec.Tables.SelectMany(t => t.ForeignKeys.Where(f => f.Target == table.QualifiedName).SelectMany(f => f.TargetColumns)).ToHashSet();
        var usedByGenerated = table.Columns.Where(c => c.Generated is not null).SelectMany(c => c.Generated!.Columns).ToHashSet();
        var keyed = table.Uniques.SelectMany(u => u.Columns).Concat(table.PrimaryKey?.Columns ?? []).Concat(table.Indexes.SelectMany(i => i.Keys.Where(k => k.Column is not null).Select(k => k.Column!))).ToHashSet();
        var excluded = table.Exclusions.Select(x => x.Column).ToHashSet();
        var specialIndexed = table.Indexes.Where(i => i.Method != "btree").SelectMany(i => i.Columns).ToHashSet();
        var candidates = table.Columns.Where(c =>
            c.Identity is null && c.Generated is null && !c.Type.IsSerial
            && !_typeChanged.Contains((table.QualifiedName, c.Name))
            && !referenced.Contains(c.Name) && !usedByGenerated.Contains(c.Name) && !specialIndexed.Contains(c.Name)
            && table.ForeignKeys.All(f => !f.Columns.Contains(c.Name))).ToList();
        if (candidates.Count == 0)
            return;
        var column = Pick(candidates);
        var targets = CastTargets(spec, column.Type).Where(t => t != column.Type && (!keyed.Contains(column.Name) || IsKeyable(t))
            && (!excluded.Contains(column.Name) || CanExclude(new ColumnSpec { Name = column.Name, Type = t }))).ToList();
        if (targets.Count == 0)
            return;
        // One change per column and pair: int → text → date is two casts, the migration makes one.
        _typeChanged.Add((table.QualifiedName, column.Name));
        var from = column.Type;
        column.Type = Pick(targets);
        if (column.Collation is not null && column.Type is not { Kind: TypeKind.Text or TypeKind.Varchar, ArrayDimensions: 0 })
            (column.Collation, column.CollationSchema) = (null, null);
        if (column.Default is not null)
            column.Default = DefaultFor(spec, column.Type);
        _log.Add($"change type {table.QualifiedName}.{column.Name} {from} → {column.Type}");
    }

    /// <summary>integer → bigint on a one-column primary key and on every foreign key that references it, in one migration.</summary>
    private void WidenKey(SchemaSpec spec, TableSpec table)
    {
        if (table.PrimaryKey is not { Columns: [var keyName] } || table.Find(keyName) is not { } key
            || key.Type != Types.Integer || key.Generated is not null || _typeChanged.Contains((table.QualifiedName, keyName)))
            return;
        var referencing = spec.Tables.SelectMany(t => t.ForeignKeys.Where(f => f.Target == table.QualifiedName && f.TargetColumns.SequenceEqual([keyName])).Select(f => (Table: t, Column: f.Columns[0]))).ToList();
        // A referencing column that is itself referenced would need a chain of widenings; keep it simple.
        var referencedAnywhere = spec.Tables.SelectMany(t => t.ForeignKeys.SelectMany(f => f.TargetColumns.Select(c => (f.Target, c)))).ToHashSet();
        if (referencing.Any(r => referencedAnywhere.Contains((r.Table.QualifiedName, r.Column)) && r.Table != table))
            return;
        key.Type = Types.BigInt;
        if (key.Default is not null)
            key.Default = DefaultFor(spec, key.Type);
        _typeChanged.Add((table.QualifiedName, keyName));
        foreach (var other in spec.Tables)
            foreach (var fk in other.ForeignKeys.Where(f => f.Target == table.QualifiedName && f.TargetColumns.SequenceEqual([keyName])))
            {
                var column = other.Find(fk.Columns[0])!;
                column.Type = Types.BigInt;
                if (column.Default is not null)
                    column.Default = DefaultFor(spec, column.Type);
                _typeChanged.Add((other.QualifiedName, column.Name));
            }
        _log.Add($"widen key {table.QualifiedName}.{keyName} and its foreign keys to bigint");
    }

    /// <summary>Types PostgreSQL can cast <paramref name="type"/> to with <c>USING column::type</c>.</summary>
    private static List<ColumnType> CastTargets(SchemaSpec spec, ColumnType type)
    {
        List<ColumnType> numbers = [Types.SmallInt, Types.Integer, Types.BigInt, Types.Numeric(12, 2), Types.Numeric(), Types.Real, Types.DoublePrecision];
        List<ColumnType> texts = [Types.Text, Types.Varchar(10), Types.Varchar(255), Types.Char(5)];
        List<ColumnType> times = [Types.Date, Types.Timestamp(), Types.TimestampTz(), Types.TimestampTz(3)];
        List<ColumnType> fromText = [.. numbers, Types.Boolean, Types.Uuid, .. times, Types.Jsonb, Types.Json, Types.Inet, Types.Interval(), .. spec.Enums.Select(e => new ColumnType(TypeKind.Enum, EnumName: e.QualifiedName))];
        if (type.IsArray)
            return type.Kind is TypeKind.Text or TypeKind.Integer or TypeKind.BigInt or TypeKind.Varchar
                ? [Types.ArrayOf(Types.Text), Types.ArrayOf(Types.Integer), Types.ArrayOf(Types.BigInt), Types.ArrayOf(Types.Varchar(20))]
                : [];
        return type.Kind switch
        {
            TypeKind.SmallInt or TypeKind.BigInt or TypeKind.Numeric or TypeKind.Real or TypeKind.DoublePrecision => [.. numbers, .. texts],
            TypeKind.Integer => [.. numbers, .. texts, Types.Boolean],
            TypeKind.Boolean => [Types.Integer, .. texts],
            TypeKind.Text or TypeKind.Varchar or TypeKind.Char => [.. texts, .. fromText],
            TypeKind.Date or TypeKind.Timestamp or TypeKind.TimestampTz => [.. times, .. texts],
            TypeKind.Json or TypeKind.Jsonb => [Types.Json, Types.Jsonb, .. texts],
            TypeKind.Inet or TypeKind.Cidr => [Types.Inet, Types.Cidr, .. texts],
            TypeKind.Enum => [.. texts],
            TypeKind.Uuid or TypeKind.Interval or TypeKind.Time or TypeKind.TimeTz or TypeKind.MacAddr => [.. texts],
            _ => [],
        };
    }

    private void ToggleNotNull(TableSpec table)
    {
        var candidates = table.Columns.Where(c => c.Identity is null && !c.Type.IsSerial && table.PrimaryKey?.Columns.Contains(c.Name) != true).ToList();
        if (candidates.Count == 0)
            return;
        var column = Pick(candidates);
        column.NotNull = !column.NotNull;
        _log.Add($"{(column.NotNull ? "set" : "drop")} not null {table.QualifiedName}.{column.Name}");
    }

    private void ChangeDefault(SchemaSpec spec, TableSpec table)
    {
        var candidates = table.Columns.Where(c => c.Identity is null && c.Generated is null && !c.Type.IsSerial).ToList();
        if (candidates.Count == 0)
            return;
        var column = Pick(candidates);
        column.Default = column.Default is not null && Chance(0.4) ? null : DefaultFor(spec, column.Type);
        _log.Add($"default {table.QualifiedName}.{column.Name} = {column.Default ?? "none"}");
    }

    private void ChangeIdentity(TableSpec table)
    {
        if (table.Columns.FirstOrDefault(c => c.Identity is not null) is { } identityColumn)
        {
            switch (_random.Next(3))
            {
                case 0:
                    identityColumn.Identity = null;
                    _log.Add($"drop identity {table.QualifiedName}.{identityColumn.Name}");
                    break;
                case 1:
                    identityColumn.Identity = identityColumn.Identity! with { Generation = identityColumn.Identity.Generation == IdentityGeneration.Always ? IdentityGeneration.ByDefault : IdentityGeneration.Always };
                    _log.Add($"switch identity generation {table.QualifiedName}.{identityColumn.Name}");
                    break;
                default:
                    identityColumn.Identity = identityColumn.Identity! with { Options = new SequenceOptions(StartWith: Between(1, 500), IncrementBy: Between(1, 10), Cache: Between(1, 3)) };
                    _log.Add($"identity options {table.QualifiedName}.{identityColumn.Name}");
                    break;
            }
            return;
        }
        var candidate = table.Columns.FirstOrDefault(c => c.Type.Kind is TypeKind.Integer or TypeKind.BigInt && !c.Type.IsArray && c.Default is null && c.Generated is null);
        if (candidate is null)
            return;
        candidate.Identity = new Identity(IdentityGeneration.ByDefault, SequenceOptions.Default);
        candidate.NotNull = true;
        _log.Add($"add identity {table.QualifiedName}.{candidate.Name}");
    }

    private void ChangePrimaryKey(SchemaSpec spec, TableSpec table)
    {
        var referencing = spec.Tables.SelectMany(t => t.ForeignKeys).Any(f => f.Target == table.QualifiedName && table.PrimaryKey is { } pk && f.TargetColumns.SequenceEqual(pk.Columns));
        if (referencing)
            return;
        if (table.PrimaryKey is not null && Chance(0.5))
        {
            table.PrimaryKey = null;
            _log.Add($"drop primary key {table.QualifiedName}");
            return;
        }
        var keyable = table.Columns.Where(c => IsKeyable(c.Type) && c.Generated is null).ToList();
        if (keyable.Count == 0)
            return;
        var columns = PickSome(keyable, 2);
        var primaryKey = new KeySpec(table.PrimaryKey?.Name ?? NewName("pk"), columns.Select(c => c.Name).ToList());
        if (RepeatsKey(table, primaryKey, except: table.PrimaryKey))
            return;
        columns.ForEach(c => c.NotNull = true);
        table.PrimaryKey = primaryKey;
        _log.Add($"primary key {table.QualifiedName} ({string.Join(", ", table.PrimaryKey.Columns)})");
    }

    private void DropConstraintOrIndex(TableSpec table)
    {
        switch (_random.Next(4))
        {
            case 0 when table.Indexes.Count > 0:
                var index = Pick(table.Indexes);
                if (Chance(0.5))
                {
                    table.Indexes.Remove(index);
                    _log.Add($"drop index {index.Name}");
                }
                else if (RandomIndex(table) is { } replacement)
                {
                    // The same name with another definition: the index must be dropped and re-created.
                    table.Indexes[table.Indexes.IndexOf(index)] = replacement with { Name = index.Name };
                    _log.Add($"change index {index.Name}");
                }
                break;
            case 1 when table.Checks.Count > 0:
                table.Checks.RemoveAt(_random.Next(table.Checks.Count));
                _log.Add($"drop check on {table.QualifiedName}");
                break;
            case 2 when table.ForeignKeys.Count > 0:
                table.ForeignKeys.RemoveAt(_random.Next(table.ForeignKeys.Count));
                _log.Add($"drop foreign key on {table.QualifiedName}");
                break;
            default:
                // Foreign keys reference primary keys only, so any unique constraint may go.
                if (table.Uniques.Count > 0)
                {
                    var unique = Pick(table.Uniques);
                    table.Uniques.Remove(unique);
                    _log.Add($"drop unique {unique.Name}");
                }
                break;
        }
    }

    private void ChangeEnum(SchemaSpec spec, EnumSpec enumType)
    {
        var values = enumType.Values;
        switch (_random.Next(6))
        {
            case 0:
                values.Add(NewName("v"));
                _log.Add($"enum {enumType.Name}: add value at the end");
                break;
            case 1:
                values.Insert(_random.Next(values.Count + 1), NewName("v"));
                _log.Add($"enum {enumType.Name}: add value in place");
                break;
            case 2 when values.Count > 1:
                var removed = Pick(values);
                values.Remove(removed);
                var literal = SqlLiteral.Quote(removed);
                foreach (var column in spec.Tables.SelectMany(t => t.Columns).Where(c => c.Type.EnumName == enumType.QualifiedName && c.Default == literal))
                    column.Default = SqlLiteral.Quote(values[0]);
                for (var d = 0; d < spec.Domains.Count; d++)
                    if (spec.Domains[d].BaseType.EnumName == enumType.QualifiedName && spec.Domains[d].Default == literal)
                        spec.Domains[d] = spec.Domains[d] with { Default = SqlLiteral.Quote(values[0]) };
                _log.Add($"enum {enumType.Name}: remove value {removed}");
                break;
            case 3 when values.Count > 1:
                values.Reverse();
                _log.Add($"enum {enumType.Name}: reorder values");
                break;
            case 4 when _original.Enums.Any(e => e.QualifiedName == enumType.QualifiedName):
                var from = enumType.QualifiedName;
                var renamed = enumType with { Name = NewName("e") };
                spec.Enums[spec.Enums.IndexOf(enumType)] = renamed;
                foreach (var column in spec.Tables.SelectMany(t => t.Columns).Where(c => c.Type.EnumName == from))
                    column.Type = column.Type with { EnumName = renamed.QualifiedName };
                for (var d = 0; d < spec.Domains.Count; d++)
                    if (spec.Domains[d].BaseType.EnumName == from)
                        spec.Domains[d] = spec.Domains[d] with { BaseType = spec.Domains[d].BaseType with { EnumName = renamed.QualifiedName } };
                _renames.Add(new Rename(ObjectKind.Enum, Key(from), Key(renamed.QualifiedName)));
                _log.Add($"rename enum {from} → {renamed.QualifiedName}");
                break;
            default:
                spec.Enums.Remove(enumType);
                foreach (var domain in spec.Domains.Where(d => d.BaseType.EnumName == enumType.QualifiedName).ToList())
                    DropDomain(spec, domain);
                DropColumnsOfType(spec, type => type.EnumName == enumType.QualifiedName);
                _log.Add($"drop enum {enumType.QualifiedName}");
                break;
        }
    }

    private void ChangeView(SchemaSpec spec, ViewSpec view)
    {
        var index = spec.Views.IndexOf(view);
        switch (_random.Next(3))
        {
            case 0:
                spec.Views.RemoveAt(index);
                DropViewsReading(spec, view.QualifiedName);
                _log.Add($"drop view {view.QualifiedName}");
                break;
            case 1:
                // Another filter keeps the output columns, so views on this view stay valid.
                spec.Views[index] = view with { Filter = view.Filter is null ? Pick(view.Columns) : null };
                _log.Add($"change view {view.QualifiedName}");
                break;
            default:
                spec.Views[index] = view with { Comment = view.Comment is null ? Pick(Words) : null };
                _log.Add($"comment on view {view.QualifiedName}");
                break;
        }
    }

    private void ChangeComments(TableSpec table)
    {
        table.Comment = table.Comment is null ? Pick(Words) : Chance(0.5) ? null : table.Comment + "!";
        var column = Pick(table.Columns);
        column.Comment = column.Comment is null ? Pick(Words) : null;
        _log.Add($"comments on {table.QualifiedName}");
    }

    private void ChangeSchemas(SchemaSpec spec)
    {
        var empty = spec.Schemas.Where(s => spec.Tables.All(t => t.Schema != s) && spec.Enums.All(e => e.Schema != s)
            && spec.Views.All(v => v.Schema != s) && spec.Sequences.All(q => q.Schema != s) && spec.Domains.All(d => d.Schema != s)).ToList();
        if (empty.Count > 0 && Chance(0.5))
        {
            spec.Schemas.Remove(empty[0]);
            _log.Add($"drop schema {empty[0]}");
            return;
        }
        var schema = NewName("s");
        spec.Schemas.Add(schema);
        if (Chance(0.5))
            AddTable(spec, schema);
        _log.Add($"add schema {schema}");
    }

    // ---------------------------------------------------------------- domains

    private void AddDomain(SchemaSpec spec)
    {
        List<ColumnType> bases = [Types.Text, Types.Integer, Types.Varchar(50), Types.Numeric(10, 2), Types.ArrayOf(Types.Text),
            .. spec.Enums.Select(e => new ColumnType(TypeKind.Enum, EnumName: e.QualifiedName))];
        var baseType = bases[_domainRandom.Next(bases.Count)];
        var checks = new List<(string, string)>();
        for (var i = _domainRandom.Next(3); i > 0; i--)
            checks.Add((NewName("dk"), DomainCheck(baseType, i)));
        spec.Domains.Add(new DomainSpec(PickSchema(spec), NewName("d"), baseType, _domainRandom.NextDouble() < 0.2,
            _domainRandom.NextDouble() < 0.3 ? DefaultFor(spec, baseType) : null, checks, _domainRandom.NextDouble() < 0.2 ? Pick(Words) : null));
    }

    /// <summary>A check every base type of <see cref="AddDomain"/> accepts, different for each <paramref name="variant"/>.</summary>
    private static string DomainCheck(ColumnType baseType, int variant) => baseType.IsArray ? $"cardinality(VALUE) < {10 * variant}"
        : baseType.Kind switch
        {
            TypeKind.Text or TypeKind.Varchar => $"length(VALUE) < {100 * variant}",
            TypeKind.Integer or TypeKind.Numeric => $"VALUE > {-1000 * variant}",
            _ => variant == 1 ? "VALUE IS NOT NULL" : "VALUE IS DISTINCT FROM NULL",
        };

    /// <summary>One change to a domain: what ALTER DOMAIN does, a base-type change (a re-creation), a rename or a drop.</summary>
    private void AddFunction(SchemaSpec spec)
    {
        var name = ++_nextFunction % 5 == 0 ? $"Fn \"{_nextFunction}\"" : $"fn{_nextFunction}";
        spec.Functions.Add(_functionRandom.Next(2) == 0
            ? new FunctionSpec(name, Types.Integer, Types.Integer, "sql", $"SELECT a + {_functionRandom.Next(10)}", _functionRandom.Next(2) == 0, null, null)
            : new FunctionSpec(name, Types.Text, Types.Text, "plpgsql", "BEGIN\n  RETURN a || '$';\nEND", false, null, _functionRandom.Next(3) == 0 ? "it's text" : null));
    }

    /// <summary>One change to the functions: a body, the volatility, a default, the comment (each in place), the result type (a drop and create), a rename, a drop, a new one or an overload.</summary>
    private void MutateFunctions(SchemaSpec spec)
    {
        if (spec.Functions.Count == 0)
        {
            AddFunction(spec);
            _log.Add($"function {spec.Functions[^1].Name} added");
            return;
        }
        var index = _functionRandom.Next(spec.Functions.Count);
        var function = spec.Functions[index];
        switch (_functionRandom.Next(8))
        {
            case 0:
                spec.Functions[index] = function with { Body = function.Language == "sql" ? $"SELECT a * {_functionRandom.Next(2, 9)}" : "BEGIN RETURN a; END" };
                _log.Add($"function {function.Name}: body");
                break;
            case 1:
                spec.Functions[index] = function with { Stable = !function.Stable };
                _log.Add($"function {function.Name}: volatility");
                break;
            case 2:
                spec.Functions[index] = function with { Default = function.Default is null ? (function.ArgumentType == Types.Text ? "'x'::text" : "1") : function.Default };
                _log.Add($"function {function.Name}: default");
                break;
            case 3:
                spec.Functions[index] = function with { Comment = function.Comment is null ? "a function" : null };
                _log.Add($"function {function.Name}: comment");
                break;
            case 4 when function.Language == "sql":
                spec.Functions[index] = function with { Result = function.Result == Types.Integer ? Types.BigInt : Types.Integer };
                _log.Add($"function {function.Name}: result type (drop and create)");
                break;
            case 5:
                var renamed = $"fn{++_nextFunction}";
                spec.Functions[index] = function with { Name = renamed };
                _log.Add($"function {function.Name} renamed to {renamed}");
                break;
            case 6:
                spec.Functions.RemoveAt(index);
                _log.Add($"function {function.Name} dropped");
                break;
            default:
                if (spec.Functions.Any(f => f.Name == function.Name && f.ArgumentType != function.ArgumentType))
                    break;
                spec.Functions.Add(function.ArgumentType == Types.Text
                    ? new FunctionSpec(function.Name, Types.Integer, Types.Integer, "sql", "SELECT a", false, null, null)
                    : new FunctionSpec(function.Name, Types.Text, Types.Text, "sql", "SELECT a", false, null, null));
                _log.Add($"function {function.Name}: overload added");
                break;
        }
    }

    private void MutateDomain(SchemaSpec spec, DomainSpec domain)
    {
        var index = spec.Domains.IndexOf(domain);
        var name = domain.QualifiedName;
        switch (_domainRandom.Next(7))
        {
            case 0:
                spec.Domains[index] = domain with { NotNull = !domain.NotNull };
                _log.Add($"domain {name}: {(domain.NotNull ? "drop" : "set")} not null");
                break;
            case 1:
                spec.Domains[index] = domain with { Default = domain.Default is null ? DefaultFor(spec, domain.BaseType) : null };
                _log.Add($"domain {name}: default {spec.Domains[index].Default ?? "none"}");
                break;
            case 2:
                var checks = new List<(string Name, string Expression)>(domain.Checks);
                if (checks.Count > 0 && _domainRandom.NextDouble() < 0.5)
                    checks[0] = _domainRandom.NextDouble() < 0.5 ? (NewName("dk"), checks[0].Expression) : (checks[0].Name, DomainCheck(domain.BaseType, 7));
                else
                    checks.Add((NewName("dk"), DomainCheck(domain.BaseType, 5)));
                spec.Domains[index] = domain with { Checks = checks };
                _log.Add($"domain {name}: change checks");
                break;
            case 3:
                spec.Domains[index] = domain with { Comment = domain.Comment is null ? Pick(Words) : null };
                _log.Add($"domain {name}: comment");
                break;
            case 4 when domain.BaseType.Kind is TypeKind.Text or TypeKind.Varchar or TypeKind.Integer && !domain.BaseType.IsArray:
                // A base type the checks and the default still fit: the domain is re-created and its columns converted.
                var baseType = domain.BaseType.Kind switch { TypeKind.Text => Types.Varchar(200), TypeKind.Varchar => Types.Text, _ => Types.BigInt };
                spec.Domains[index] = domain with { BaseType = baseType };
                _log.Add($"domain {name}: base type {domain.BaseType} → {baseType}");
                break;
            case 5 when _original.Domains.Any(d => d.QualifiedName == name):
                var renamed = domain with { Name = NewName("d") };
                spec.Domains[index] = renamed;
                foreach (var column in spec.Tables.SelectMany(t => t.Columns).Where(c => c.Type.DomainName == name))
                    column.Type = column.Type with { DomainName = renamed.QualifiedName };
                _renames.Add(new Rename(ObjectKind.Domain, Key(name), Key(renamed.QualifiedName)));
                _log.Add($"rename domain {name} → {renamed.QualifiedName}");
                break;
            default:
                DropDomain(spec, domain);
                break;
        }
    }

    /// <summary>Drops a domain with the columns that use it (and the tables left without columns).</summary>
    private void DropDomain(SchemaSpec spec, DomainSpec domain)
    {
        spec.Domains.Remove(domain);
        DropColumnsOfType(spec, type => type.DomainName == domain.QualifiedName);
        _log.Add($"drop domain {domain.QualifiedName}");
    }

    /// <summary>Drops the columns whose type goes (an enum's or a domain's), and the tables left without columns.</summary>
    private void DropColumnsOfType(SchemaSpec spec, Func<ColumnType, bool> goes)
    {
        foreach (var table in spec.Tables)
            foreach (var column in table.Columns.Where(c => goes(c.Type)).ToList())
                DropColumn(spec, table, column.Name);
        foreach (var table in spec.Tables.Where(t => t.Columns.Count == 0).ToList())
            DropTable(spec, table);
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>
    /// Whether a key repeats the primary key or another unique (same columns in the same order).
    /// Such keys are legal (the generator adds them after CREATE TABLE, which would merge them away;
    /// a scenario covers that); the random pairs leave them out to spend their variety elsewhere.
    /// </summary>
    private static bool RepeatsKey(TableSpec table, KeySpec key, KeySpec? except = null)
    {
        var others = table.Uniques.Where(u => !ReferenceEquals(u, except)).Select(u => (u.Columns, u.NullsNotDistinct)).ToList();
        if (table.PrimaryKey is { } pk && !ReferenceEquals(pk, except))
            others.Add((pk.Columns, false));
        return others.Any(o => o.Columns.SequenceEqual(key.Columns) && o.NullsNotDistinct == key.NullsNotDistinct);
    }

    private static string Key(QualifiedName name) => name.Schema + "." + name.Name;

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private int Between(int min, int max) => _random.Next(min, max + 1);

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private List<T> PickSome<T>(IReadOnlyList<T> items, int max)
    {
        var count = Math.Min(items.Count, Between(1, max));
        return items.OrderBy(_ => _random.Next()).Take(count).ToList();
    }
}

using Strata.Diffing;
using Strata.Model;
using static Strata.Postgres.Sql.SqlIdentifier;
using Index = Strata.Model.Index;

namespace Strata.Postgres.Sql;

/// <summary>Whether generate writes the safe forms of changes to existing tables (the default) or the plain ones.</summary>
public enum MigrationSafety
{
    /// <summary>Indexes built CONCURRENTLY, constraints added NOT VALID and validated, in a second migration outside a transaction.</summary>
    On,

    /// <summary>The plain forms, all in one migration: each takes its table's lock for the whole build or scan.</summary>
    Off,
}

/// <summary>
/// A migration split into its safe forms: <see cref="Transactional"/> runs first in one transaction (the changes that
/// only take a lock for a moment, constraints added NOT VALID), then <see cref="Online"/> outside a transaction, a
/// statement at a time (indexes built and dropped CONCURRENTLY, the validations). <see cref="Intermediate"/> is the
/// model between the two: what the database holds once <see cref="Transactional"/> committed.
/// </summary>
/// <see cref="OnlineDown"/> undoes <see cref="Online"/>: it takes the target model back to the intermediate one, a validated
/// constraint back to NOT VALID (dropped and added again without the scan: PostgreSQL cannot un-validate one).
public sealed record SafeSplit(IReadOnlyList<SqlStatement> Transactional, IReadOnlyList<SqlStatement> Online, DatabaseModel Intermediate, IReadOnlyList<SqlStatement> OnlineDown);

public static partial class PostgresSqlGenerator
{
    /// <summary>
    /// The statements of <paramref name="diff"/> (which takes <paramref name="previous"/> to <paramref name="target"/>) in
    /// the forms that do not hold a table's strong lock through a build or a scan, for tables that exist before the
    /// migration: a table created by it is empty, and gets the plain forms. See docs/safe-migrations.md.
    /// </summary>
    public static SafeSplit GenerateSafe(SchemaDiff diff, DatabaseModel previous, DatabaseModel target)
    {
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(target);
        var plan = new SafePlan(diff, previous, target);
        var intermediate = plan.Intermediate();
        return new SafeSplit(plan.Transactional, plan.Online, intermediate, plan.OnlineDown(intermediate));
    }

    /// <summary>
    /// The statements of <paramref name="diff"/>, with the indexes on tables that exist in <paramref name="before"/> (the model
    /// the diff starts from) created and dropped CONCURRENTLY: the down script of an online migration, which undoes it
    /// without the build's lock.
    /// </summary>
    public static IReadOnlyList<SqlStatement> GenerateConcurrentIndexes(SchemaDiff diff, DatabaseModel before)
    {
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentNullException.ThrowIfNull(before);
        var created = diff.Changes.OfType<CreateTable>().Select(c => c.Table.QualifiedName).ToHashSet();
        bool Existing(QualifiedName table) => before.FindTable(table) is { Partitioning: null } && !created.Contains(table);
        var statements = new List<SqlStatement>();
        foreach (var change in diff.Changes)
        {
            switch (change)
            {
                case CreateIndex c when Existing(c.Table):
                    statements.AddRange(Generate(new SchemaDiff(new[] { c with { Index = c.Index with { Concurrently = true } } }, ValueList<RenameCandidate>.Empty)));
                    break;
                case DropIndex c when Existing(c.Table):
                    statements.AddRange(Generate(new SchemaDiff(new[] { c with { Index = c.Index with { Concurrently = true } } }, ValueList<RenameCandidate>.Empty)));
                    break;
                // The helper check of SET NOT NULL, given back as the intermediate model has it: NOT VALID, without a scan.
                case AddCheck c when Existing(c.Table):
                    statements.Add(new SqlStatement(OneLineQuotes.Rewrite($"ALTER TABLE {Quote(c.Table)} ADD {CheckSql(c.Check)} NOT VALID;")));
                    break;
                default:
                    statements.AddRange(Generate(new SchemaDiff(new[] { change }, ValueList<RenameCandidate>.Empty)));
                    break;
            }
        }
        return statements;
    }

    /// <summary>The name of the NOT VALID check that proves a column holds no null before SET NOT NULL, cut to PostgreSQL's 63 bytes.</summary>
    public static string NotNullCheckName(string table, string column)
    {
        // The helper lives only during the migration, so a long name is cut rather than refused (at a character boundary).
        var name = $"{table}_{column}_not_null";
        while (System.Text.Encoding.UTF8.GetByteCount(name) > Identifiers.MaxBytes)
            name = name[..^1];
        return name;
    }

    /// <summary>Sorts the changes of one diff into the two migrations and writes each one's statements.</summary>
    private sealed class SafePlan
    {
        private readonly DatabaseModel _previous;
        private readonly DatabaseModel _target;
        private readonly HashSet<QualifiedName> _safeTables = [];

        // What the online part builds or removes, so that what names it follows it there and the intermediate model lacks it.
        private readonly List<(QualifiedName Table, string Name)> _onlineIndexes = [];
        private readonly List<(QualifiedName Table, Index Index)> _onlineDrops = [];
        private readonly List<(QualifiedName Table, string Name)> _onlineConstraints = [];
        private readonly List<(QualifiedName Table, ValueList<string> Columns)> _onlineKeys = [];
        private readonly List<(QualifiedName Table, string Column, CheckConstraint Helper)> _notNull = [];
        private readonly List<QualifiedName> _onlineClusterOn = [];

        // The constraints added NOT VALID in the transaction and validated online: the online part's down makes them NOT VALID again.
        private readonly List<(SchemaChange Change, QualifiedName Table, string Name, string ConstraintSql, string? Comment)> _validated = [];

        public List<SqlStatement> Transactional { get; } = [];

        public List<SqlStatement> Online { get; } = [];

        public SafePlan(SchemaDiff diff, DatabaseModel previous, DatabaseModel target)
        {
            (_previous, _target) = (previous, target);
            var created = diff.Changes.OfType<CreateTable>().Select(c => c.Table.QualifiedName).ToHashSet();
            var renamedTo = diff.Changes.OfType<RenameTable>().Select(r => r.To).ToHashSet();
            // A parent's or a partitioned table's constraints and indexes reach its children, where CONCURRENTLY
            // and NOT VALID are refused or mean something else: those keep the plain forms.
            var inheritanceTables = new HashSet<QualifiedName>();
            foreach (var table in target.Tables.Concat(previous.Tables))
            {
                if (table.Inherits.Count > 0 || table.Partitioning is not null)
                    inheritanceTables.Add(table.QualifiedName);
                inheritanceTables.UnionWith(table.Inherits);
                if (table.PartitionOf is { } parent)
                    inheritanceTables.Add(parent);
            }
            foreach (var table in target.Tables)
            {
                var name = table.QualifiedName;
                if (!created.Contains(name) && (previous.FindTable(name) is not null || renamedTo.Contains(name)) && !inheritanceTables.Contains(name))
                    _safeTables.Add(name);
            }
            // Drops of an index stay in the transaction where the same table loses or retypes a column or renames an
            // index: the column's drop may take the index along, and a rename may want its name.
            var keepDropsPlain = diff.Changes
                .Select(c => c switch
                {
                    DropColumn d => d.Table,
                    AlterColumn a when a.Changes.HasFlag(ColumnChanges.Type) => a.Table,
                    RenameIndex r => r.Table,
                    _ => (QualifiedName?)null,
                })
                .OfType<QualifiedName>()
                .ToHashSet();

            foreach (var change in diff.Changes)
                Place(change, keepDropsPlain);
        }

        private bool Safe(QualifiedName table) => _safeTables.Contains(table);

        private void Place(SchemaChange change, HashSet<QualifiedName> keepDropsPlain)
        {
            switch (change)
            {
                case CreateIndex c when c.Index.Concurrently || Safe(c.Table):
                    _onlineIndexes.Add((c.Table, c.Index.Name));
                    if (c.Index is { Unique: true, Where: null } && c.Index.Elements.All(e => e.Column is not null))
                        _onlineKeys.Add((c.Table, c.Index.Elements.Select(e => e.Column!).ToValueList()));
                    Online.AddRange(Generate(c with { Index = c.Index with { Concurrently = true } }));
                    break;
                case DropIndex c when c.Index.Concurrently || (Safe(c.Table) && !keepDropsPlain.Contains(c.Table)):
                    _onlineDrops.Add((c.Table, c.Index));
                    Online.AddRange(Generate(c with { Index = c.Index with { Concurrently = true } }));
                    break;

                case AddUnique c when Safe(c.Table):
                    WriteKeyFromIndex(c.Table, c.Unique.Name, c.Unique.Columns, c.Unique.NullsNotDistinct, c.Unique.Options,
                        "UNIQUE", DeferrableSql(c.Unique.Deferrable, c.Unique.InitiallyDeferred), c.Unique.Comment);
                    break;
                case AddPrimaryKey c when Safe(c.Table):
                    WriteKeyFromIndex(c.Table, c.PrimaryKey.Name, c.PrimaryKey.Columns, false, c.PrimaryKey.Options,
                        "PRIMARY KEY", DeferrableSql(c.PrimaryKey.Deferrable, c.PrimaryKey.InitiallyDeferred), c.PrimaryKey.Comment);
                    break;

                // A key that the online part builds does not exist yet in the transaction: the foreign key onto it follows it.
                case AddForeignKey c when ReferencesOnlineKey(c.ForeignKey):
                    _onlineConstraints.Add((c.Table, c.ForeignKey.Name));
                    if (Safe(c.Table))
                        AddNotValid(Online, c, c.Table, c.ForeignKey.Name, ForeignKeySql(c.ForeignKey), c.ForeignKey.Comment);
                    else
                        Online.AddRange(Generate(c));
                    break;
                case AddForeignKey c when Safe(c.Table):
                    AddNotValid(Transactional, c, c.Table, c.ForeignKey.Name, ForeignKeySql(c.ForeignKey), c.ForeignKey.Comment);
                    break;
                case AddCheck c when Safe(c.Table):
                    AddNotValid(Transactional, c, c.Table, c.Check.Name, CheckSql(c.Check), c.Check.Comment);
                    break;

                case AlterColumn c when Safe(c.Table) && c.Changes.HasFlag(ColumnChanges.Nullability) && c.To.NotNull
                                        && !c.Changes.HasFlag(ColumnChanges.Identity) && c.To.Type.IsSerial == c.From.Type.IsSerial:
                    WriteSetNotNull(c);
                    break;

                case SetClusterOn c when c.Index is not null && _onlineIndexes.Contains((c.Relation, c.Index)):
                    _onlineClusterOn.Add(c.Relation);
                    Online.AddRange(Generate(c));
                    break;
                case SetOptions { Kind: OptionsOf.Index } c when _onlineIndexes.Any(i => new QualifiedName(i.Table.Schema, i.Name) == c.Relation):
                    Online.AddRange(Generate(c));
                    break;

                default:
                    Transactional.AddRange(Generate(change));
                    break;
            }
        }

        /// <summary>
        /// The constraint added NOT VALID (a moment's lock, no scan) into <paramref name="into"/>, validated online: VALIDATE
        /// scans under SHARE UPDATE EXCLUSIVE, which lets writes through, but only outside the transaction that added it.
        /// </summary>
        private void AddNotValid(List<SqlStatement> into, SchemaChange change, QualifiedName table, string name, string constraintSql, string? comment)
        {
            if (into == Transactional)
                _validated.Add((change, table, name, constraintSql, comment));
            into.Add(Checked(change, $"ALTER TABLE {Quote(table)} ADD {constraintSql} NOT VALID;"));
            if (comment is not null)
                into.Add(Checked(change, ConstraintCommentSql(table, name, comment)));
            Online.Add(Validate(table, name));
        }

        /// <summary>A statement written here, held to what <see cref="PostgresSqlGenerator.Generate(SchemaDiff)"/> holds its statements to.</summary>
        private static SqlStatement Checked(SchemaChange change, string sql, bool transactional = true)
        {
            var statement = new SqlStatement(OneLineQuotes.Rewrite(sql), transactional);
            if (Strata.Sql.SqlLexer.HasDirectiveLine(statement.Sql))
                throw new MigrationTextException($"{Describe(change)} has a line that a migration file reads as a directive; reword that line of its SQL.");
            return statement;
        }

        private bool ReferencesOnlineKey(ForeignKey foreignKey) =>
            _onlineKeys.Any(k => k.Table == foreignKey.ReferencedTable && k.Columns.Order(StringComparer.Ordinal).SequenceEqual(foreignKey.ReferencedColumns.Order(StringComparer.Ordinal)));

        /// <summary>
        /// UNIQUE or PRIMARY KEY on a table with rows: the unique index built CONCURRENTLY, then the constraint made of
        /// it (ADD CONSTRAINT … USING INDEX takes the index's name, which is the constraint's).
        /// </summary>
        private void WriteKeyFromIndex(QualifiedName table, string name, ValueList<string> columns, bool nullsNotDistinct, ValueList<string> options,
            string keyword, string deferrable, string? comment)
        {
            _onlineConstraints.Add((table, name));
            _onlineIndexes.Add((table, name));
            _onlineKeys.Add((table, columns));
            var index = new Index(name, columns.Select(IndexElement.OnColumn).ToValueList(), Unique: true, NullsNotDistinct: nullsNotDistinct,
                Concurrently: true, Options: options);
            Online.Add(new SqlStatement(CreateIndexSql(table, index), Transactional: false));
            Online.Add(new SqlStatement($"ALTER TABLE {Quote(table)} ADD CONSTRAINT {Quote(name)} {keyword} USING INDEX {Quote(name)}{deferrable};"));
            if (comment is not null)
                Online.Add(new SqlStatement(OneLineQuotes.Rewrite(ConstraintCommentSql(table, name, comment))));
        }

        /// <summary>
        /// SET NOT NULL scans the table under ACCESS EXCLUSIVE unless a valid check proves the column holds no null
        /// (PostgreSQL 12+): the check is added NOT VALID in the transaction, validated online (which takes only
        /// SHARE UPDATE EXCLUSIVE), then SET NOT NULL skips the scan and the helper check is dropped.
        /// </summary>
        private void WriteSetNotNull(AlterColumn change)
        {
            var rest = change.Changes & ~ColumnChanges.Nullability;
            if (rest != ColumnChanges.None)
                Transactional.AddRange(Generate(change with { To = change.To with { NotNull = false }, Changes = rest }));
            var helper = new CheckConstraint(NotNullCheckName(change.Table.Name, change.To.Name), $"{Quote(change.To.Name)} IS NOT NULL");
            _notNull.Add((change.Table, change.To.Name, helper));
            var table = Quote(change.Table);
            Transactional.Add(new SqlStatement($"ALTER TABLE {table} ADD {CheckSql(helper)} NOT VALID;"));
            Online.Add(Validate(change.Table, helper.Name));
            Online.Add(new SqlStatement($"ALTER TABLE {table} ALTER COLUMN {Quote(change.To.Name)} SET NOT NULL;"));
            Online.Add(new SqlStatement(DropConstraintSql(change.Table, helper.Name)));
        }

        private static SqlStatement Validate(QualifiedName table, string constraint) =>
            new($"ALTER TABLE {Quote(table)} VALIDATE CONSTRAINT {Quote(constraint)};");

        private static IReadOnlyList<SqlStatement> Generate(SchemaChange change) =>
            PostgresSqlGenerator.Generate(new SchemaDiff(new[] { change }, ValueList<RenameCandidate>.Empty));

        /// <summary>What undoes the online part: validated constraints dropped and added again NOT VALID, then the target taken back to <paramref name="intermediate"/>.</summary>
        public List<SqlStatement> OnlineDown(DatabaseModel intermediate)
        {
            var down = new List<SqlStatement>();
            foreach (var (change, table, name, constraintSql, comment) in Enumerable.Reverse(_validated))
            {
                down.Add(new SqlStatement(DropConstraintSql(table, name)));
                down.Add(Checked(change, $"ALTER TABLE {Quote(table)} ADD {constraintSql} NOT VALID;"));
                if (comment is not null)
                    down.Add(Checked(change, ConstraintCommentSql(table, name, comment)));
            }
            down.AddRange(GenerateConcurrentIndexes(SchemaDiffer.Diff(_target, intermediate, RenameDecisions.None), _target));
            return down;
        }

        /// <summary>The target model as it stands between the two parts: what the online part builds not there yet, what it drops still there.</summary>
        public DatabaseModel Intermediate()
        {
            if (Online.Count == 0)
                return _target;
            var tables = _target.Tables.Select(table =>
            {
                var name = table.QualifiedName;
                bool BuiltOnline(string item) => _onlineIndexes.Contains((name, item)) || _onlineConstraints.Contains((name, item));
                var indexes = table.Indexes.Where(i => !BuiltOnline(i.Name))
                    .Concat(_onlineDrops.Where(d => d.Table == name && !table.Indexes.Any(i => i.Name == d.Index.Name && !BuiltOnline(i.Name))).Select(d => d.Index with { Concurrently = false }));
                var notNull = _notNull.Where(n => n.Table == name).ToList();
                return table with
                {
                    PrimaryKey = table.PrimaryKey is { } key && BuiltOnline(key.Name) ? null : table.PrimaryKey,
                    Uniques = table.Uniques.Where(u => !BuiltOnline(u.Name)).ToValueList(),
                    ForeignKeys = table.ForeignKeys.Where(f => !BuiltOnline(f.Name)).ToValueList(),
                    Indexes = indexes.ToValueList(),
                    Columns = table.Columns.Select(c => notNull.Any(n => n.Column == c.Name) ? c with { NotNull = false } : c).ToValueList(),
                    Checks = table.Checks.Concat(notNull.Select(n => n.Helper)).ToValueList(),
                    ClusterOn = _onlineClusterOn.Contains(name) ? _previous.FindTable(name)?.ClusterOn : table.ClusterOn,
                };
            }).ToValueList();
            return (_target with { Tables = tables }).Normalize();
        }
    }
}

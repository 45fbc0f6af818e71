using System.Globalization;
using System.Text;
using Strata.Diffing;
using Strata.Model;
using static Strata.Postgres.Sql.SqlIdentifier;
using Index = Strata.Model.Index;

namespace Strata.Postgres.Sql;

/// <summary>
/// Turns the differ's ordered changes into PostgreSQL 15 statements, one change at a time and in the
/// differ's order. Every name goes through <see cref="SqlIdentifier"/>; expressions from the model
/// (defaults, checks, index predicates, view queries) are SQL already and are written as they are.
/// </summary>
/// <remarks>
/// A kind of object declared in its own file writes its statements there, in a partial part of this class that
/// registers a <see cref="KindSql"/> (see <c>Model/KindRegistry.cs</c> for why the registration is a static field).
/// </remarks>
public static partial class PostgresSqlGenerator
{
    private static readonly HashSet<string> BuiltInIndexMethods = new(["btree", "hash", "gin", "gist", "brin", "spgist"], StringComparer.Ordinal);

    private static readonly HashSet<string> SequenceTypes = new(["smallint", "integer", "bigint", "int2", "int4", "int8", "int"], StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<SqlStatement> Generate(SchemaDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var statements = new List<SqlStatement>();
        foreach (var change in diff.Changes)
        {
            var first = statements.Count;
            Write(change, statements);
            // Names and string literals are written so that none of their lines reads as a directive of
            // the migration file, and so are the quotes of SQL the user wrote (a view query, a default, a
            // check); what is left is a comment or a body, which Strata cannot rewrite without changing it.
            for (var i = first; i < statements.Count; i++)
            {
                statements[i] = statements[i] with { Sql = OneLineQuotes.Rewrite(statements[i].Sql) };
                if (Strata.Sql.SqlLexer.HasDirectiveLine(statements[i].Sql))
                    throw new MigrationTextException(
                        $"{Describe(change)} has a line that a migration file reads as a directive (one ending with \"--> statement-breakpoint\" or "
                        + "starting with \"-- strata:\"), which would split or reject the file. Reword that line of its SQL; a string literal "
                        + "in it can be written on one line as E'…\\n…'.");
            }
        }
        return statements;
    }

    private static string Describe(SchemaChange change) => change switch
    {
        CreateView c => $"View {c.View.QualifiedName}",
        CreateTable c => $"Table {c.Table.QualifiedName}",
        AddColumn c => $"Column {c.Table}.{c.Column.Name}",
        AlterColumn c => $"Column {c.Table}.{c.To.Name}",
        AddCheck c => $"Check constraint {c.Check.Name} on {c.Table}",
        CreateIndex c => $"Index {c.Index.Name} on {c.Table}",
        RecreateEnum c => $"A column default using enum {c.To.QualifiedName}",
        _ => Kinds.WriterOf(change)?.Describe is { } describe ? describe(change) : $"The change {change.GetType().Name}",
    };

    // The kinds' SQL, registered from their files. No initializer: the partial parts' initializers, which add to it,
    // run in an unspecified order, and one here could run after them.
    private static List<KindSql>? _registered;
    private static KindSqlRegistry? _kinds;

    private static KindSql Register(KindSql kind)
    {
        (_registered ??= []).Add(kind);
        _kinds = null;
        return kind;
    }

    /// <summary>The registered kinds' SQL, built on first use (reading it runs every part's registration first).</summary>
    internal static KindSqlRegistry Kinds => _kinds ??= new KindSqlRegistry(_registered ?? []);

    /// <summary>The statements that create the whole model in an empty database (export).</summary>
    public static IReadOnlyList<SqlStatement> CreateAll(DatabaseModel model) =>
        Generate(SchemaDiffer.Diff(DatabaseModel.Empty, model, RenameDecisions.None));

    private static void Write(SchemaChange change, List<SqlStatement> output)
    {
        void Emit(string sql, string? dataLoss = null) => output.Add(new SqlStatement(sql, DataLoss: dataLoss));

        switch (change)
        {
            case CreateSchema c:
                Emit($"CREATE SCHEMA {Quote(c.Name)};");
                break;
            case DropSchema c:
                Emit($"DROP SCHEMA {Quote(c.Name)};");
                break;
            case RenameSchema c:
                Emit($"ALTER SCHEMA {Quote(c.From)} RENAME TO {Quote(c.To)};");
                break;
            case CommentOnSchema c:
                Emit($"COMMENT ON SCHEMA {Quote(c.Schema)} IS {CommentLiteral(c.Comment)};");
                break;

            case CreateEnum c:
                Emit(CreateEnumSql(c.Enum.QualifiedName, c.Enum.Values));
                break;
            case DropEnum c:
                Emit($"DROP TYPE {Quote(c.Enum.QualifiedName)};");
                break;
            case RenameEnum c:
                WriteMove("TYPE", c.From, c.To, output);
                break;
            case AddEnumValue c:
                Emit($"ALTER TYPE {Quote(c.Enum)} ADD VALUE {Literal(c.Value)}"
                     + (c.Before is not null ? $" BEFORE {Literal(c.Before)}" : c.After is not null ? $" AFTER {Literal(c.After)}" : "") + ";");
                break;
            case RecreateEnum c:
                WriteRecreateEnum(c, output);
                break;

            case CreateSequence c:
                Emit($"CREATE SEQUENCE {Quote(c.Sequence.QualifiedName)}{CreateSequenceOptions(c.Sequence.Options, includeType: true)};");
                break;
            case DropSequence c:
                Emit($"DROP SEQUENCE {Quote(c.Sequence.QualifiedName)};", $"drops sequence {c.Sequence.QualifiedName} and its current value");
                break;
            case AlterSequence c:
                if (SequenceIntoBounds(Literal(QuoteAsText(c.To.QualifiedName)), c.From.Options, c.To.Options) is { } intoBounds)
                    Emit(intoBounds);
                Emit($"ALTER SEQUENCE {Quote(c.To.QualifiedName)}{AlterSequenceOptions(c.From.Options, c.To.Options, includeType: true, prefix: "")};");
                break;
            case RenameSequence c:
                WriteMove("SEQUENCE", c.From, c.To, output);
                break;

            case CreateTable c:
                Emit(CreateTableSql(c.Table));
                if (c.Table.PrimaryKey is { Comment: not null } commentedKey)
                    Emit(ConstraintCommentSql(c.Table.QualifiedName, commentedKey.Name, commentedKey.Comment));
                foreach (var unique in c.Table.Uniques.Where(u => u.Comment is not null))
                    Emit(ConstraintCommentSql(c.Table.QualifiedName, unique.Name, unique.Comment));
                foreach (var check in c.Table.Checks.Where(k => k.Comment is not null))
                    Emit(ConstraintCommentSql(c.Table.QualifiedName, check.Name, check.Comment));
                break;
            case DropTable c:
                Emit($"DROP TABLE {Quote(c.Table.QualifiedName)};", $"drops table {c.Table.QualifiedName} and all its rows");
                break;
            case RenameTable c:
                WriteMove("TABLE", c.From, c.To, output);
                break;

            case AddColumn c:
                output.Add(new SqlStatement($"ALTER TABLE {Quote(c.Table)} ADD COLUMN {ColumnDefinition(c.Column)};", Rewrite: Rewrites.OfNewColumn(c.Table, c.Column)));
                break;
            case DropColumn c:
                // A generated column's values are derived: adding it back recomputes them.
                Emit($"ALTER TABLE {Quote(c.Table)} DROP COLUMN {Quote(c.Column.Name)};",
                    c.Column.GeneratedAs is null ? $"drops column {c.Table}.{c.Column.Name} and its values" : null);
                break;
            case RenameColumn c:
                Emit($"ALTER TABLE {Quote(c.Table)} RENAME COLUMN {Quote(c.From)} TO {Quote(c.To)};");
                break;
            case AlterColumn c:
                WriteAlterColumn(c, output);
                break;

            // A constraint or index that is added (or added again) takes its comment along; a comment alone that
            // changes is a SetComment.
            case AddPrimaryKey c:
                Emit($"ALTER TABLE {Quote(c.Table)} ADD {PrimaryKeySql(c.PrimaryKey)};");
                if (c.PrimaryKey.Comment is not null)
                    Emit(ConstraintCommentSql(c.Table, c.PrimaryKey.Name, c.PrimaryKey.Comment));
                break;
            case AddUnique c:
                Emit($"ALTER TABLE {Quote(c.Table)} ADD {UniqueSql(c.Unique)};");
                if (c.Unique.Comment is not null)
                    Emit(ConstraintCommentSql(c.Table, c.Unique.Name, c.Unique.Comment));
                break;
            case AddCheck c:
                Emit($"ALTER TABLE {Quote(c.Table)} ADD {CheckSql(c.Check)};");
                if (c.Check.Comment is not null)
                    Emit(ConstraintCommentSql(c.Table, c.Check.Name, c.Check.Comment));
                break;
            case AddForeignKey c:
                Emit($"ALTER TABLE {Quote(c.Table)} ADD {ForeignKeySql(c.ForeignKey)};");
                if (c.ForeignKey.Comment is not null)
                    Emit(ConstraintCommentSql(c.Table, c.ForeignKey.Name, c.ForeignKey.Comment));
                break;
            case DropPrimaryKey c:
                Emit(DropConstraintSql(c.Table, c.PrimaryKey.Name));
                break;
            case DropUnique c:
                Emit(DropConstraintSql(c.Table, c.Unique.Name));
                break;
            case DropCheck c:
                Emit(DropConstraintSql(c.Table, c.Check.Name));
                break;
            case DropForeignKey c:
                Emit(DropConstraintSql(c.Table, c.ForeignKey.Name));
                break;
            case RenameConstraint c:
                Emit($"ALTER TABLE {Quote(c.Table)} RENAME CONSTRAINT {Quote(c.From)} TO {Quote(c.To)};");
                break;

            case CreateIndex c:
                output.Add(new SqlStatement(CreateIndexSql(c.Table, c.Index), Transactional: !c.Index.Concurrently));
                if (c.Index.Comment is not null)
                    Emit(IndexCommentSql(c.Table.Schema, c.Index.Name, c.Index.Comment));
                break;
            case DropIndex c:
                output.Add(new SqlStatement(
                    $"DROP INDEX {(c.Index.Concurrently ? "CONCURRENTLY " : "")}{Quote(new QualifiedName(c.Table.Schema, c.Index.Name))};",
                    Transactional: !c.Index.Concurrently));
                break;
            case RenameIndex c:
                Emit($"ALTER INDEX {Quote(new QualifiedName(c.Table.Schema, c.From))} RENAME TO {Quote(c.To)};");
                break;

            case CreateView c:
                Emit($"CREATE {ViewKeyword(c.View)} {Quote(c.View.QualifiedName)}{WithOptions(c.View.Options)} AS\n{ViewQuery(c.View)};");
                break;
            case DropView c:
                Emit($"DROP {ViewKeyword(c.View)} {Quote(c.View.QualifiedName)};");
                break;

            case SetComment c:
                Emit(CommentSql(c));
                break;
            case SetTableLogging c:
                output.Add(new SqlStatement($"ALTER TABLE {Quote(c.Table)} SET {(c.Unlogged ? "UNLOGGED" : "LOGGED")};", Rewrite: Rewrites.OfLogging(c.Table, c.Unlogged)));
                break;
            case SetClusterOn c:
                // Marks the index only (no rewrite): CLUSTER itself, which moves the rows, is left to the user.
                Emit($"ALTER {(c.MaterializedView ? "MATERIALIZED VIEW" : "TABLE")} {Quote(c.Relation)} {(c.Index is null ? "SET WITHOUT CLUSTER" : "CLUSTER ON " + Quote(c.Index))};");
                break;
            case SetTableInheritance c:
                Emit($"ALTER TABLE {Quote(c.Table)} {(c.Inherit ? "INHERIT" : "NO INHERIT")} {Quote(c.Parent)};");
                break;
            case SetOptions c:
                var alterOptions = $"ALTER {c.Kind switch { OptionsOf.Index => "INDEX", OptionsOf.View => "VIEW", OptionsOf.MaterializedView => "MATERIALIZED VIEW", _ => "TABLE" }} {Quote(c.Relation)}";
                if (c.Reset.Count > 0)
                    Emit($"{alterOptions} RESET ({string.Join(", ", c.Reset.Select(OptionName))});");
                if (c.Set.Count > 0)
                    Emit($"{alterOptions} SET{WithOptions(c.Set)[" WITH".Length..]};");
                break;

            default:
                var writer = Kinds.WriterOf(change) ?? throw new NotSupportedException($"The SQL generator has no statement for {change.GetType().Name}.");
                writer.Write(change, output);
                break;
        }
    }

    // ---------------------------------------------------------------- types and columns

    /// <summary>The type as written in DDL: user types' names quoted and schema-qualified (a registered kind's by its <see cref="KindSql"/>), raw types verbatim.</summary>
    internal static string TypeSql(ColumnType type)
    {
        if (type.Kind == TypeKind.Enum)
        {
            var name = type.EnumName ?? throw new ArgumentException("An enum column type has no enum name.", nameof(type));
            return Quote(name) + string.Concat(Enumerable.Repeat("[]", type.ArrayDimensions));
        }
        if (Kinds.TypeName(type) is { } kindName)
            return kindName + string.Concat(Enumerable.Repeat("[]", type.ArrayDimensions));
        if (type.Kind == TypeKind.Raw && string.IsNullOrWhiteSpace(type.RawName))
            throw new ArgumentException("A raw column type has no type name.", nameof(type));
        return type.ToString();
    }

    private static string ColumnDefinition(Column column)
    {
        var sql = new StringBuilder();
        sql.Append(Quote(column.Name)).Append(' ').Append(TypeSql(column.Type)).Append(CollateSql(column.Collation, column.CollationSchema));
        if (column.GeneratedAs is not null)
            sql.Append(" GENERATED ALWAYS AS (").Append(column.GeneratedAs).Append(") STORED");
        if (column.Default is not null)
            sql.Append(" DEFAULT ").Append(column.Default);
        if (column.NotNull)
            sql.Append(" NOT NULL");
        if (column.Identity is { } identity)
            sql.Append(IdentitySql(identity));
        return sql.ToString();
    }

    /// <summary>COLLATE and the collation: by name alone when the search path finds it (pg_catalog's, public's), else qualified.</summary>
    private static string CollateSql(string? collation, string? schema) =>
        collation is null ? "" : " COLLATE " + (schema is null ? Quote(collation) : Quote(new QualifiedName(schema, collation)));

    private static string IdentitySql(Identity identity)
    {
        var options = CreateSequenceOptions(identity.Options, includeType: false);
        return $" GENERATED {Generation(identity.Generation)} AS IDENTITY" + (options.Length > 0 ? $" ({options.TrimStart()})" : "");
    }

    private static string Generation(IdentityGeneration generation) =>
        generation == IdentityGeneration.Always ? "ALWAYS" : "BY DEFAULT";

    private static void WriteAlterColumn(AlterColumn change, List<SqlStatement> output)
    {
        var (from, to, changes) = (change.From, change.To, change.Changes);
        var table = Quote(change.Table);
        var alter = $"ALTER TABLE {table} ALTER COLUMN {Quote(to.Name)}";
        var sequence = Quote(OwnedSequence.For(change.Table, to.Name));
        void Emit(string sql, string? dataLoss = null) => output.Add(new SqlStatement(sql, DataLoss: dataLoss));

        if (changes.HasFlag(ColumnChanges.Generated) && to.GeneratedAs is null)
            Emit($"{alter} DROP EXPRESSION;");
        if (changes.HasFlag(ColumnChanges.Identity) && from.Identity is not null && to.Identity is null)
            Emit($"{alter} DROP IDENTITY;");

        var defaultDropped = false;
        if (from.Type.IsSerial && !to.Type.IsSerial)
        {
            Emit($"{alter} DROP DEFAULT;");
            Emit($"DROP SEQUENCE {sequence};");
            defaultDropped = true;
        }

        if (changes.HasFlag(ColumnChanges.Type))
        {
            var (oldType, newType) = (OwnedSequence.StorageType(from.Type), OwnedSequence.StorageType(to.Type));
            var newTypeSql = TypeSql(newType);
            var needsUsing = TypeConversions.NeedsUsing(oldType, newType);
            // PostgreSQL would convert the old default along with the column: one that does not cast
            // fails the statement, and one that does keeps its old type ('abc'::text on a varchar column,
            // a cast from a dropped enum). Dropping it and setting the new one gives what a fresh column has.
            if (from.Default is not null && !defaultDropped)
            {
                Emit($"{alter} DROP DEFAULT;");
                defaultDropped = true;
            }
            var dataLoss = TypeConversions.ChangesTimeZone(oldType, newType)
                ? $"converts {change.Table}.{to.Name} from {oldType} to {newType} in the session's TimeZone setting, which shifts the values unless they are in that zone"
                : TypeConversions.IsLossless(oldType, newType)
                    ? null
                    : $"converts {change.Table}.{to.Name} from {oldType} to {newType}, which may not hold every value";
            output.Add(new SqlStatement($"{alter} TYPE {newTypeSql}" + CollateSql(to.Collation, to.CollationSchema) + (needsUsing ? $" USING {TypeConversions.UsingExpression(to.Name, oldType, newType, newTypeSql)}" : "") + ";",
                DataLoss: dataLoss, Rewrite: Rewrites.OfTypeChange(change.Table, to.Name, oldType, newType)));
            if (from.Type.IsSerial && to.Type.IsSerial)
                Emit($"ALTER SEQUENCE {sequence} AS {newTypeSql};");
        }

        if (to.Type.IsSerial && !from.Type.IsSerial)
        {
            // What PostgreSQL does for a serial column, with the sequence moved past existing values.
            var storage = TypeSql(OwnedSequence.StorageType(to.Type));
            Emit($"CREATE SEQUENCE {sequence} AS {storage} OWNED BY {table}.{Quote(to.Name)};");
            var sequenceText = Literal(QuoteAsText(OwnedSequence.For(change.Table, to.Name)));
            Emit($"{alter} SET DEFAULT nextval({sequenceText}::regclass);");
            Emit($"SELECT setval({sequenceText}, COALESCE(max({Quote(to.Name)}), 0) + 1, false) FROM {table};");
        }
        else if (changes.HasFlag(ColumnChanges.Default) || defaultDropped)
        {
            if (to.Default is not null)
                Emit($"{alter} SET DEFAULT {to.Default};");
            else if (!defaultDropped && from.Default is not null)
                Emit($"{alter} DROP DEFAULT;");
        }

        if (changes.HasFlag(ColumnChanges.Nullability))
            Emit($"{alter} {(to.NotNull ? "SET" : "DROP")} NOT NULL;");

        if (changes.HasFlag(ColumnChanges.Identity) && to.Identity is { } identity)
        {
            if (from.Identity is not { } old)
            {
                Emit($"{alter} ADD{IdentitySql(identity)};");
                // The new sequence starts at its START WITH, below the values the rows already hold:
                // move it past them, as for serial, so the next insert does not collide.
                if ((identity.Options.IncrementBy ?? 1) > 0)
                {
                    var start = identity.Options.StartWith ?? identity.Options.MinValue ?? 1;
                    Emit($"SELECT setval(pg_get_serial_sequence({Literal(QuoteAsText(change.Table))}, {Literal(to.Name)}), GREATEST(COALESCE(max({Quote(to.Name)}), 0) + 1, {Number(start)}), false) FROM {table};");
                }
            }
            else
            {
                var clauses = "";
                if (old.Generation != identity.Generation)
                    clauses += $" SET GENERATED {Generation(identity.Generation)}";
                clauses += AlterSequenceOptions(old.Options, identity.Options, includeType: false, prefix: "SET ");
                if (SequenceIntoBounds($"pg_get_serial_sequence({Literal(QuoteAsText(change.Table))}, {Literal(to.Name)})", old.Options, identity.Options) is { } intoBounds)
                    Emit(intoBounds);
                if (clauses.Length > 0)
                    Emit(alter + clauses + ";");
            }
        }

        if (changes.HasFlag(ColumnChanges.Comment))
            Emit($"COMMENT ON COLUMN {table}.{Quote(to.Name)} IS {CommentLiteral(to.Comment)};");
    }

    // ---------------------------------------------------------------- tables and constraints

    private static string CreateTableSql(Table table)
    {
        var lines = new List<string>();
        lines.AddRange(table.Columns.Select(ColumnDefinition));
        if (table.PrimaryKey is { } primaryKey)
            lines.Add(PrimaryKeySql(primaryKey));
        lines.AddRange(table.Uniques.Select(UniqueSql));
        lines.AddRange(table.Checks.Select(CheckSql));
        if (table.Partitioning is { } partitioning)
            return PartitionedTableSql(table, partitioning, lines);
        // A parent's columns come first, in INHERITS order; a column declared here that a parent has is merged with it.
        var inherits = table.Inherits.Count == 0 ? "" : $" INHERITS ({string.Join(", ", table.Inherits.Select(p => Quote(p)))})";
        if (lines.Count == 0)
            return $"CREATE {(table.Unlogged ? "UNLOGGED " : "")}TABLE {Quote(table.QualifiedName)} (){inherits}{WithOptions(table.Options)};";
        return $"CREATE {(table.Unlogged ? "UNLOGGED " : "")}TABLE {Quote(table.QualifiedName)} (\n    {string.Join(",\n    ", lines)}\n){inherits}{WithOptions(table.Options)};";
    }

    /// <summary>
    /// CREATE TABLE … PARTITION BY key, or CREATE TABLE … PARTITION OF parent (its own constraints) bound: a partition
    /// takes its columns from its parent.
    /// </summary>
    private static string PartitionedTableSql(Table table, TablePartitioning partitioning, List<string> lines)
    {
        var create = $"CREATE {(table.Unlogged ? "UNLOGGED " : "")}TABLE {Quote(table.QualifiedName)}";
        var body = lines.Count == 0 ? "" : $" (\n    {string.Join(",\n    ", lines)}\n)";
        var sql = partitioning.Parent is { } parent
            ? $"{create} PARTITION OF {Quote(parent)}{body} {partitioning.Bound}"
            : lines.Count == 0 ? $"{create} ()" : create + body;
        if (partitioning.Key is { } key)
            sql += $" PARTITION BY {key}";
        return sql + WithOptions(table.Options) + ";";
    }

    private static string ColumnList(IEnumerable<string> columns) => "(" + string.Join(", ", columns.Select(Quote)) + ")";

    private static string PrimaryKeySql(PrimaryKey primaryKey) =>
        $"CONSTRAINT {Quote(primaryKey.Name)} PRIMARY KEY {ColumnList(primaryKey.Columns)}{WithOptions(primaryKey.Options)}{DeferrableSql(primaryKey.Deferrable, primaryKey.InitiallyDeferred)}";

    private static string UniqueSql(UniqueConstraint unique) =>
        $"CONSTRAINT {Quote(unique.Name)} UNIQUE{(unique.NullsNotDistinct ? " NULLS NOT DISTINCT" : "")} {ColumnList(unique.Columns)}{WithOptions(unique.Options)}{DeferrableSql(unique.Deferrable, unique.InitiallyDeferred)}";

    private static string DeferrableSql(bool deferrable, bool initiallyDeferred) =>
        !deferrable ? "" : initiallyDeferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";

    private static string CheckSql(CheckConstraint check) => $"CONSTRAINT {Quote(check.Name)} CHECK ({check.Expression}){(check.NoInherit ? " NO INHERIT" : "")}";

    private static string ForeignKeySql(ForeignKey foreignKey)
    {
        var sql = new StringBuilder();
        sql.Append($"CONSTRAINT {Quote(foreignKey.Name)} FOREIGN KEY {ColumnList(foreignKey.Columns)}");
        sql.Append($" REFERENCES {Quote(foreignKey.ReferencedTable)} {ColumnList(foreignKey.ReferencedColumns)}");
        if (foreignKey.MatchFull)
            sql.Append(" MATCH FULL");
        if (foreignKey.OnDelete != ReferentialAction.NoAction)
            sql.Append(" ON DELETE ").Append(Action(foreignKey.OnDelete));
        if (foreignKey.OnUpdate != ReferentialAction.NoAction)
            sql.Append(" ON UPDATE ").Append(Action(foreignKey.OnUpdate));
        sql.Append(DeferrableSql(foreignKey.Deferrable, foreignKey.InitiallyDeferred));
        return sql.ToString();
    }

    private static string Action(ReferentialAction action) => action switch
    {
        ReferentialAction.Restrict => "RESTRICT",
        ReferentialAction.Cascade => "CASCADE",
        ReferentialAction.SetNull => "SET NULL",
        ReferentialAction.SetDefault => "SET DEFAULT",
        _ => "NO ACTION",
    };

    private static string DropConstraintSql(QualifiedName table, string name) => $"ALTER TABLE {Quote(table)} DROP CONSTRAINT {Quote(name)};";

    /// <summary>ALTER … SET SCHEMA for a move, then RENAME TO for a new name (PostgreSQL has no single statement for both).</summary>
    private static void WriteMove(string keyword, QualifiedName from, QualifiedName to, List<SqlStatement> output)
    {
        var current = from;
        if (from.Schema != to.Schema)
        {
            output.Add(new SqlStatement($"ALTER {keyword} {Quote(current)} SET SCHEMA {Quote(to.Schema)};"));
            current = new QualifiedName(to.Schema, from.Name);
        }
        if (current.Name != to.Name)
            output.Add(new SqlStatement($"ALTER {keyword} {Quote(current)} RENAME TO {Quote(to.Name)};"));
    }

    // ---------------------------------------------------------------- indexes

    private static string CreateIndexSql(QualifiedName table, Index index)
    {
        var sql = new StringBuilder("CREATE ");
        if (index.Unique)
            sql.Append("UNIQUE ");
        sql.Append("INDEX ");
        if (index.Concurrently)
            sql.Append("CONCURRENTLY ");
        sql.Append(Quote(index.Name)).Append(" ON ").Append(Quote(table));
        sql.Append(" USING ").Append(BuiltInIndexMethods.Contains(index.Method) ? index.Method : Quote(index.Method));
        sql.Append(" (").Append(string.Join(", ", index.Elements.Select(IndexElementSql))).Append(')');
        if (index.Include.Count > 0)
            sql.Append(" INCLUDE ").Append(ColumnList(index.Include));
        if (index.NullsNotDistinct)
            sql.Append(" NULLS NOT DISTINCT");
        sql.Append(WithOptions(index.Options));
        if (index.Where is not null)
            sql.Append(" WHERE ").Append(index.Where);
        return sql.Append(';').ToString();
    }

    private static string IndexElementSql(IndexElement element)
    {
        var sql = new StringBuilder();
        if (element.Column is not null)
            sql.Append(Quote(element.Column));
        else if (element.Expression is not null)
            sql.Append('(').Append(element.Expression).Append(')');
        else
            throw new ArgumentException("An index key has neither a column nor an expression.", nameof(element));
        sql.Append(CollateSql(element.Collation, element.CollationSchema));
        if (element.OperatorClass is { } operatorClass)
        {
            var dot = operatorClass.IndexOf('.');
            sql.Append(' ').Append(dot < 0 ? Quote(operatorClass) : Quote(new QualifiedName(operatorClass[..dot], operatorClass[(dot + 1)..])));
        }
        if (element.Direction == SortDirection.Descending)
            sql.Append(" DESC");
        if (element.Nulls != NullsOrder.Default)
            sql.Append(element.Nulls == NullsOrder.First ? " NULLS FIRST" : " NULLS LAST");
        return sql.ToString();
    }

    // ---------------------------------------------------------------- enums

    private static string CreateEnumSql(QualifiedName name, IEnumerable<string> values) =>
        $"CREATE TYPE {Quote(name)} AS ENUM ({string.Join(", ", values.Select(Literal))});";

    /// <summary>
    /// PostgreSQL cannot remove or reorder enum values: rename the old type aside, create the new one,
    /// convert each column through text (a value the new type lacks fails the statement instead of
    /// being lost), and leave the old type for a later DROP once nothing uses it.
    /// </summary>
    private static void WriteRecreateEnum(RecreateEnum change, List<SqlStatement> output)
    {
        var name = change.To.QualifiedName;
        var dataLoss = change.RemovedValues.Count == 0
            ? null
            : $"removes {string.Join(", ", change.RemovedValues.Select(Literal))} from enum {name}: rows holding {(change.RemovedValues.Count == 1 ? "it" : "them")} make the migration fail rather than lose data";
        output.Add(new SqlStatement($"ALTER TYPE {Quote(change.From.QualifiedName)} RENAME TO {Quote(change.TemporaryName)};"));
        output.Add(new SqlStatement(CreateEnumSql(name, change.To.Values), DataLoss: dataLoss));
        WriteColumnConversions(change.Columns, dataLoss, output);
    }

    /// <summary>
    /// Converts each column of a re-created type to the new one through text: every value is read back by the
    /// new type's input function, so one it does not accept fails the statement rather than being changed.
    /// The old default is dropped first (it may not convert) and the new one set after.
    /// </summary>
    private static void WriteColumnConversions(IEnumerable<EnumColumnUse> columns, string? dataLoss, List<SqlStatement> output)
    {
        foreach (var use in columns)
        {
            var alter = $"ALTER TABLE {Quote(use.Table)} ALTER COLUMN {Quote(use.Column)}";
            var typeSql = TypeSql(use.Type);
            var brackets = string.Concat(Enumerable.Repeat("[]", use.Type.ArrayDimensions));
            if (use.OldDefault is not null)
                output.Add(new SqlStatement($"{alter} DROP DEFAULT;"));
            output.Add(new SqlStatement($"{alter} TYPE {typeSql} USING {Quote(use.Column)}::text{brackets}::{typeSql};", DataLoss: dataLoss));
            if (use.NewDefault is not null)
                output.Add(new SqlStatement($"{alter} SET DEFAULT {use.NewDefault};"));
        }
    }

    // ---------------------------------------------------------------- sequences

    private static string SequenceType(string dataType)
    {
        if (!SequenceTypes.Contains(dataType))
            throw new ArgumentException($"A sequence can be smallint, integer or bigint, not \"{dataType}\".", nameof(dataType));
        return dataType.ToLowerInvariant();
    }

    private static string CreateSequenceOptions(SequenceOptions options, bool includeType)
    {
        var sql = new StringBuilder();
        if (includeType && options.DataType is { } dataType)
            sql.Append(" AS ").Append(SequenceType(dataType));
        if (options.IncrementBy is { } increment)
            sql.Append(" INCREMENT BY ").Append(Number(increment));
        if (options.MinValue is { } min)
            sql.Append(" MINVALUE ").Append(Number(min));
        if (options.MaxValue is { } max)
            sql.Append(" MAXVALUE ").Append(Number(max));
        if (options.StartWith is { } start)
            sql.Append(" START WITH ").Append(Number(start));
        if (options.Cache is { } cache)
            sql.Append(" CACHE ").Append(Number(cache));
        if (options.Cycle)
            sql.Append(" CYCLE");
        return sql.ToString();
    }

    /// <summary>The options that differ, each reset to PostgreSQL's default where the new value is null.</summary>
    private static string AlterSequenceOptions(SequenceOptions from, SequenceOptions to, bool includeType, string prefix)
    {
        var sql = new StringBuilder();
        void Clause(string text) => sql.Append(' ').Append(prefix).Append(text);
        if (includeType && !string.Equals(from.DataType, to.DataType, StringComparison.OrdinalIgnoreCase))
            Clause("AS " + SequenceType(to.DataType ?? "bigint"));
        if (from.IncrementBy != to.IncrementBy)
            Clause("INCREMENT BY " + Number(to.IncrementBy ?? 1));
        if (from.MinValue != to.MinValue)
            Clause(to.MinValue is { } min ? "MINVALUE " + Number(min) : "NO MINVALUE");
        if (from.MaxValue != to.MaxValue)
            Clause(to.MaxValue is { } max ? "MAXVALUE " + Number(max) : "NO MAXVALUE");
        // PostgreSQL's default start: MINVALUE going up, MAXVALUE going down; it follows the bound it defaults to.
        var ascending = (to.IncrementBy ?? 1) > 0;
        if (from.StartWith != to.StartWith || (to.StartWith is null && (ascending ? from.MinValue != to.MinValue : from.MaxValue != to.MaxValue)))
        {
            var start = to.StartWith ?? (ascending ? to.MinValue ?? 1 : to.MaxValue ?? -1);
            Clause("START WITH " + Number(start));
        }
        if (from.Cache != to.Cache)
            Clause("CACHE " + Number(to.Cache ?? 1));
        if (from.Cycle != to.Cycle)
            Clause(to.Cycle ? "CYCLE" : "NO CYCLE");
        return sql.ToString();
    }

    /// <summary>
    /// A raised MINVALUE that the sequence's current value lies below fails the ALTER ("RESTART value (1) cannot be
    /// less than MINVALUE (5)", 22023), as does a lowered MAXVALUE above a descending sequence's value. This moves the
    /// value to the new bound first, and only when it is outside: a RESTART would hand out values the rows already hold.
    /// Only the bound the sequence moves away from: one it has already passed on its way (an ascending sequence above
    /// its new MAXVALUE) means values beyond it are in use, and PostgreSQL's refusal stands, unless nothing was drawn
    /// yet (a start above the new MAXVALUE): then it moves to its new start. The value is read with
    /// pg_sequence_last_value, or as the start when nothing was drawn yet. Null when that bound does not narrow.
    /// </summary>
    /// <param name="sequence">SQL text of the sequence's name, cast to regclass here.</param>
    private static string? SequenceIntoBounds(string sequence, SequenceOptions from, SequenceOptions to)
    {
        var ascending = (from.IncrementBy ?? 1) > 0;
        var cases = new StringBuilder();
        if (ascending && to.MinValue is { } min && min > (from.MinValue ?? 1))
            cases.Append($" WHEN v < {Number(min)} THEN pg_catalog.setval(s, {Number(min)}, false)");
        if (!ascending && to.MaxValue is { } max && max < (from.MaxValue ?? -1))
            cases.Append($" WHEN v > {Number(max)} THEN pg_catalog.setval(s, {Number(max)}, false)");
        // The bound it moves towards, passed by a sequence nothing was drawn from yet (its start moved past it): no
        // value is in use, so it starts over at its new start (a lowered START WITH does not move the value itself).
        // Only where the old start lies beyond the new bound: the value of a sequence nothing was drawn from is its start.
        var start = to.StartWith ?? ((to.IncrementBy ?? 1) > 0 ? to.MinValue ?? 1 : to.MaxValue ?? -1);
        var oldStart = from.StartWith ?? (ascending ? from.MinValue ?? 1 : from.MaxValue ?? -1);
        if (ascending && to.MaxValue is { } upper && oldStart > upper)
            cases.Append($" WHEN v > {Number(upper)} AND pg_catalog.pg_sequence_last_value(s) IS NULL THEN pg_catalog.setval(s, {Number(start)}, false)");
        if (!ascending && to.MinValue is { } lower && oldStart < lower)
            cases.Append($" WHEN v < {Number(lower)} AND pg_catalog.pg_sequence_last_value(s) IS NULL THEN pg_catalog.setval(s, {Number(start)}, false)");
        if (cases.Length == 0)
            return null;
        return $"SELECT CASE{cases} END FROM (SELECT s, COALESCE(pg_catalog.pg_sequence_last_value(s), "
            + $"(SELECT p.seqstart FROM pg_catalog.pg_sequence p WHERE p.seqrelid = s)) AS v FROM (SELECT {sequence}::regclass AS s) r) q;";
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- views and comments

    private static string ViewKeyword(View view) => view.Materialized ? "MATERIALIZED VIEW" : "VIEW";

    /// <summary>
    /// WITH ( ) of a view's options or a table's or an index's storage parameters, each <c>name=value</c> with the
    /// value a literal (as pg_dump writes them), or nothing.
    /// </summary>
    private static string WithOptions(ValueList<string> options) =>
        options.Count == 0 ? ""
        : " WITH (" + string.Join(", ", options.Select(o => o.IndexOf('=') is var at and > 0
            ? $"{OptionName(o[..at])}={Literal(o[(at + 1)..])}"
            : OptionName(o))) + ")";

    /// <summary>An option's name; a TOAST table's (<c>toast.autovacuum_enabled</c>) is a qualified name, quoted part by part.</summary>
    private static string OptionName(string name) =>
        name.IndexOf('.') is var dot and > 0 ? $"{Quote(name[..dot])}.{Quote(name[(dot + 1)..])}" : Quote(name);

    /// <summary>The query without a trailing semicolon, which would end the CREATE statement early.</summary>
    private static string ViewQuery(View view) => view.Definition.Trim().TrimEnd(';').TrimEnd();

    private static string CommentLiteral(string? comment) => comment is null ? "NULL" : Literal(comment);

    private static string CommentSql(SetComment comment)
    {
        if (comment.Target == CommentTarget.Constraint)
            return ConstraintCommentSql(comment.Object, comment.Column ?? throw new ArgumentException("A constraint comment names no constraint.", nameof(comment)), comment.Comment);
        var target = comment.Target == CommentTarget.Column
            ? Quote(comment.Object) + "." + Quote(comment.Column ?? throw new ArgumentException("A column comment names no column.", nameof(comment)))
            : Quote(comment.Object);
        return $"COMMENT ON {comment.Target.Keyword} {target} IS {CommentLiteral(comment.Comment)};";
    }

    private static string ConstraintCommentSql(QualifiedName table, string constraint, string? comment) =>
        $"COMMENT ON CONSTRAINT {Quote(constraint)} ON {Quote(table)} IS {CommentLiteral(comment)};";

    private static string IndexCommentSql(string schema, string index, string? comment) =>
        $"COMMENT ON INDEX {Quote(new QualifiedName(schema, index))} IS {CommentLiteral(comment)};";
}

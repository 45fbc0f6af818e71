using Strata.Model;

namespace Strata.Dsl;

/// <summary>
/// Finds every mistake PostgreSQL would reject (and some it would silently accept), so that a
/// migration is never written from a broken schema. Each problem names the table and column.
/// </summary>
internal static partial class SchemaValidator
{
    private static readonly HashSet<TypeKind> IdentityKinds = [TypeKind.SmallInt, TypeKind.Integer, TypeKind.BigInt];

    public static List<SchemaError> Validate(DatabaseModel model, IEnumerable<SchemaError> declarationErrors)
    {
        var errors = new List<SchemaError>(declarationErrors);
        void Add(string obj, string message) => errors.Add(new SchemaError(obj, message));

        foreach (var schema in model.Schemas)
            CheckName(schema, "schema", schema, Add);

        var types = new DeclaredTypes();
        foreach (var enumType in model.Enums)
        {
            var where = enumType.QualifiedName.ToString();
            CheckName(where, "enum", enumType.Name, Add);
            if (!types.Enums.TryAdd(enumType.QualifiedName, enumType))
                Add(where, "enum is declared twice");
            types.Declare(TypeKind.Enum, "an enum", enumType.QualifiedName);
            foreach (var duplicate in enumType.Values.GroupBy(v => v).Where(g => g.Count() > 1))
                Add(where, $"value '{duplicate.Key}' appears more than once");
            foreach (var value in enumType.Values)
                if (Identifiers.Problem(value) is { } problem)
                    Add(where, $"value '{value}': {problem}");
        }

        // The kinds whose rules live in their own files (KindRules), in their order: after the enums, whose names
        // they may clash with, and before the tables, whose columns use them.
        foreach (var kind in KindRulesInOrder)
            kind.Validate(model, types, Add);

        // Tables, views, sequences, indexes and the indexes behind primary keys and unique
        // constraints share one namespace per schema (pg_class); tables and the declared types (DeclaredTypes) share pg_type.
        var relations = new Dictionary<QualifiedName, string>();
        void Claim(QualifiedName name, string what, string where)
        {
            if (!relations.TryAdd(name, what))
                Add(where, $"the name \"{name.Name}\" is already used by {relations[name]} in schema {name.Schema}; names of tables, views, sequences and indexes must differ within a schema");
        }

        foreach (var sequence in model.Sequences)
        {
            CheckName(sequence.QualifiedName.ToString(), "sequence", sequence.Name, Add);
            Claim(sequence.QualifiedName, "sequence " + sequence.QualifiedName, sequence.QualifiedName.ToString());
        }

        var tables = new Dictionary<QualifiedName, Table>();
        foreach (var table in model.Tables)
        {
            var where = table.QualifiedName.ToString();
            CheckName(where, "table", table.Name, Add);
            Claim(table.QualifiedName, "table " + table.QualifiedName, where);
            if (!tables.TryAdd(table.QualifiedName, table))
                continue;
            foreach (var owner in types.OwnersOf(table.QualifiedName))
                Add(where, $"{owner} of the same name exists in schema {table.Schema}; PostgreSQL gives every table a type of its name, so they clash");
        }

        foreach (var table in model.Tables)
            ValidateTable(model, table, tables, types, Add, Claim);
        ValidateClusterOn(model, Add);

        foreach (var view in model.Views)
        {
            var where = view.QualifiedName.ToString();
            CheckName(where, "view", view.Name, Add);
            Claim(view.QualifiedName, (view.Materialized ? "materialized view " : "view ") + view.QualifiedName, where);
            if (types.OwnersOf(view.QualifiedName).FirstOrDefault() is { } owner)
                Add(where, $"{owner} of the same name exists in schema {view.Schema}; PostgreSQL gives every view a type of its name, so they clash");
            if (string.IsNullOrWhiteSpace(view.Definition))
                Add(where, "the view has an empty query");
            foreach (var dependency in view.DependsOn)
                if (!tables.ContainsKey(dependency) && model.FindView(dependency) is null)
                    Add(where, $"depends on {dependency}, which is neither a table nor a view of this schema");
            if (!view.Materialized && view.Indexes.Count > 0)
                Add(where, $"is a plain view and declares index {string.Join(", ", view.Indexes.Select(i => $"\"{i.Name}\""))}; only a materialized view can have indexes (declare it with db.MaterializedView, or index the tables it reads)");
            foreach (var index in view.Indexes)
                ValidateIndex(index, view.Schema, where, Add, Claim);
        }

        foreach (var schema in model.ObjectSchemas())
        {
            if (schema != QualifiedName.DefaultSchema && !model.Schemas.Contains(schema))
                Add(schema, "objects are declared in this schema but the schema itself is not; use db.Schema(\"" + schema + "\")");
        }

        return errors;
    }

    private static void ValidateTable(
        DatabaseModel model,
        Table table,
        Dictionary<QualifiedName, Table> tables,
        DeclaredTypes types,
        Action<string, string> add,
        Action<QualifiedName, string, string> claim)
    {
        var where = table.QualifiedName.ToString();

        var columns = new Dictionary<string, Column>(StringComparer.Ordinal);
        foreach (var column in table.Columns)
        {
            var columnWhere = $"{where}.{column.Name}";
            CheckName(columnWhere, "column", column.Name, add);
            if (!columns.TryAdd(column.Name, column))
                add(columnWhere, "the column is declared twice");
            ValidateColumn(column, columnWhere, types, add);
        }
        // A partition has its parent's columns, which its own keys, checks and indexes name.
        foreach (var column in PartitionColumns(table, tables))
            columns.TryAdd(column.Name, column);
        // An inheriting table has its parents' columns too.
        foreach (var column in table.InheritedColumns(tables))
            columns.TryAdd(column.Name, column);

        var constraintNames = new HashSet<string>(StringComparer.Ordinal);
        void Constraint(string name, string what)
        {
            CheckName(where, what, name, add);
            if (!constraintNames.Add(name))
                add(where, $"{what} \"{name}\": another constraint of this table has the same name");
        }

        void RequireColumns(IEnumerable<string> names, string what)
        {
            foreach (var name in names)
                if (!columns.ContainsKey(name))
                    add(where, $"{what} names column \"{name}\", which the table does not have");
        }

        if (table.PrimaryKey is { } pk)
        {
            Constraint(pk.Name, "primary key");
            claim(new QualifiedName(table.Schema, pk.Name), "the index of primary key " + pk.Name, where);
            RequireColumns(pk.Columns, $"primary key \"{pk.Name}\"");
            if (pk.Columns.Count == 0)
                add(where, $"primary key \"{pk.Name}\" has no columns");
        }

        foreach (var unique in table.Uniques)
        {
            Constraint(unique.Name, "unique constraint");
            claim(new QualifiedName(table.Schema, unique.Name), "the index of unique constraint " + unique.Name, where);
            RequireColumns(unique.Columns, $"unique constraint \"{unique.Name}\"");
        }

        foreach (var check in table.Checks)
        {
            Constraint(check.Name, "check constraint");
            if (string.IsNullOrWhiteSpace(check.Expression))
                add(where, $"check constraint \"{check.Name}\" has an empty expression");
        }

        foreach (var foreignKey in table.ForeignKeys)
        {
            Constraint(foreignKey.Name, "foreign key");
            ValidateForeignKey(model, table, foreignKey, columns, tables, add);
        }

        foreach (var index in table.Indexes)
        {
            ValidateIndex(index, table.Schema, where, add, claim);
            RequireColumns(index.Elements.Where(e => e.Column is not null).Select(e => e.Column!), $"index \"{index.Name}\"");
            RequireColumns(index.Include, $"index \"{index.Name}\" (INCLUDE)");
        }
    }

    /// <summary>What is checked of an index of a table or materialized view, short of its columns (a view's are not in the model).</summary>
    private static void ValidateIndex(Model.Index index, string schema, string where, Action<string, string> add, Action<QualifiedName, string, string> claim)
    {
        CheckName(where, "index", index.Name, add);
        claim(new QualifiedName(schema, index.Name), "index " + index.Name, where);
        if (index.Elements.Count == 0)
            add(where, $"index \"{index.Name}\" has no keys");
        foreach (var element in index.Elements)
            if (element.Column is null && string.IsNullOrWhiteSpace(element.Expression))
                add(where, $"index \"{index.Name}\" has a key with neither a column nor an expression");
        if (index.Method is not ("btree" or "hash" or "gin" or "gist" or "brin" or "spgist"))
            add(where, $"index \"{index.Name}\" uses method \"{index.Method}\"; PostgreSQL has btree, hash, gin, gist, brin and spgist");
        if (index.Unique && index.Method != "btree")
            add(where, $"index \"{index.Name}\" is unique but uses {index.Method}; only btree indexes can be unique");
    }

    private static void ValidateColumn(Column column, string where, DeclaredTypes types, Action<string, string> add)
    {
        var type = column.Type;
        if (type.IsUserType && type.Kind != TypeKind.Enum && !types.Declares(type))
            add(where, $"uses {Rules(type.Kind).TypeWord} {type.UserTypeName}, which is not declared; declare it with {Rules(type.Kind).DeclaredWith}");
        if (type.Kind == TypeKind.Enum)
        {
            if (type.EnumName is not { } enumName || !types.Enums.TryGetValue(enumName, out var enumType))
                add(where, $"uses enum type {type.EnumName}, which is not declared; declare it with db.Enum(name, values…)");
            else if (column.Default is { } defaultSql && !type.IsArray && SqlLiteral.TryReadString(defaultSql) is { } value && !enumType.Values.Contains(value))
                add(where, $"default '{value}' is not a value of enum {enumName} ({string.Join(", ", enumType.Values)})");
        }
        if (type.Kind == TypeKind.Raw && string.IsNullOrWhiteSpace(type.RawName))
            add(where, "raw type has no name");
        if (column.Collation is { } collation && string.IsNullOrWhiteSpace(collation))
            add(where, "the collation is empty; name one (\"C\") or remove Collate(…)");
        // A user type over a text type may take one too; which do is its kind's business, so only the built-in types are refused here.
        else if (column.Collation is not null && (type.Kind == TypeKind.Enum || !type.IsUserType && type.Kind is not (TypeKind.Text or TypeKind.Varchar or TypeKind.Char or TypeKind.Raw)))
            add(where, $"a collation applies to text types only, not to {type}; remove Collate(…)");
        if (type.Kind is TypeKind.Varchar or TypeKind.Char && type.Length is < 1 or > 10485760)
            add(where, $"length {type.Length} is out of range (1 to 10485760)");
        if (type.Kind == TypeKind.Numeric)
        {
            if (type.Precision is < 1 or > 1000)
                add(where, $"numeric precision {type.Precision} is out of range (1 to 1000)");
            if (type.Scale is { } scale && type.Precision is null)
                add(where, "numeric has a scale but no precision; write Types.Numeric(precision, scale)");
            else if (type.Scale is < 0 || type.Scale > type.Precision)
                add(where, $"numeric scale {type.Scale} must be between 0 and the precision {type.Precision}");
        }
        if (type.Kind is TypeKind.Time or TypeKind.TimeTz or TypeKind.Timestamp or TypeKind.TimestampTz or TypeKind.Interval && type.Precision is < 0 or > 6)
            add(where, $"fractional-second precision {type.Precision} is out of range (0 to 6)");
        if (type.IsSerial && column.Default is not null)
            add(where, "a serial column draws its default from its sequence; remove the Default");
        if (type.ArrayDimensions > 0 && type.Kind is TypeKind.SmallSerial or TypeKind.Serial or TypeKind.BigSerial)
            add(where, "serial types cannot be arrays");
        if (column.Identity is not null)
        {
            if (!IdentityKinds.Contains(type.Kind) || type.IsArray)
                add(where, $"an identity column must be smallint, integer or bigint, not {type}");
            if (column.Default is not null)
                add(where, "an identity column cannot also have a default");
            if (column.GeneratedAs is not null)
                add(where, "a column cannot be both identity and generated");
        }
        if (column.GeneratedAs is not null && column.Default is not null)
            add(where, "a generated column cannot also have a default");
        if (column.GeneratedAs is { } expression && string.IsNullOrWhiteSpace(expression))
            add(where, "the generated expression is empty");
    }

    private static void ValidateForeignKey(
        DatabaseModel model,
        Table table,
        ForeignKey foreignKey,
        Dictionary<string, Column> columns,
        Dictionary<QualifiedName, Table> tables,
        Action<string, string> add)
    {
        var where = table.QualifiedName.ToString();
        var what = $"foreign key \"{foreignKey.Name}\"";
        foreach (var name in foreignKey.Columns)
            if (!columns.ContainsKey(name))
                add(where, $"{what} names column \"{name}\", which the table does not have");
        if (!tables.TryGetValue(foreignKey.ReferencedTable, out var target))
        {
            add(where, $"{what} references table {foreignKey.ReferencedTable}, which is not declared");
            return;
        }
        if (target.Unlogged && !table.Unlogged)
            add(where, $"{what} references unlogged table {foreignKey.ReferencedTable}, and PostgreSQL lets only an unlogged table reference one; make {table.QualifiedName} unlogged too (t.Unlogged()) or {foreignKey.ReferencedTable} logged");
        if (foreignKey.Columns.Count != foreignKey.ReferencedColumns.Count || foreignKey.Columns.Count == 0)
        {
            add(where, $"{what} has {foreignKey.Columns.Count} column(s) but references {foreignKey.ReferencedColumns.Count}");
            return;
        }
        for (var i = 0; i < foreignKey.Columns.Count; i++)
        {
            var targetColumn = target.FindColumn(foreignKey.ReferencedColumns[i]);
            if (targetColumn is null)
            {
                add(where, $"{what} references column {foreignKey.ReferencedTable}.{foreignKey.ReferencedColumns[i]}, which does not exist");
                continue;
            }
            if (!columns.TryGetValue(foreignKey.Columns[i], out var column))
                continue;
            if (!ForeignKeyTypes.Comparable(model.ComparedAs(column.Type), model.ComparedAs(targetColumn.Type)))
                add($"{where}.{column.Name}", $"{what}: the column is {column.Type} but {foreignKey.ReferencedTable}.{targetColumn.Name} is {targetColumn.Type}; {ForeignKeyTypes.Remedy}");
            else if ((EnumDomainKeyProblem(model, column.Type) ?? EnumDomainKeyProblem(model, targetColumn.Type)) is { } problem)
                add($"{where}.{column.Name}", $"{what}: the column is {column.Type} and {foreignKey.ReferencedTable}.{targetColumn.Name} is {targetColumn.Type}; {problem}");
        }

        // PostgreSQL requires a primary key or unique constraint on exactly the referenced columns.
        var referenced = foreignKey.ReferencedColumns.ToHashSet();
        // PostgreSQL lets no foreign key reference a deferrable key ("cannot use a deferrable unique constraint for referenced table").
        var keys = target.Uniques.Where(u => !u.Deferrable).Select(u => u.Columns).Concat(target.Indexes.Where(i => i.Unique && i.Where is null && i.Elements.All(e => e.Column is not null)).Select(i => i.Elements.Select(e => e.Column!).ToValueList()));
        if (target.PrimaryKey is { Deferrable: false } pk)
            keys = keys.Append(pk.Columns);
        if (!keys.Any(k => k.ToHashSet().SetEquals(referenced)))
            add(where, $"{what} references ({string.Join(", ", foreignKey.ReferencedColumns)}) of {foreignKey.ReferencedTable}, which is not its primary key or a unique constraint"
                + (IsDeferrableKey(target, referenced) ? " that is not deferrable; PostgreSQL lets no foreign key reference a deferrable key" : ""));
    }

    private static bool IsDeferrableKey(Table table, HashSet<string> columns) =>
        (table.PrimaryKey is { Deferrable: true } pk && pk.Columns.ToHashSet().SetEquals(columns))
        || table.Uniques.Any(u => u.Deferrable && u.Columns.ToHashSet().SetEquals(columns));

    private static void CheckName(string where, string what, string name, Action<string, string> add)
    {
        if (Identifiers.Problem(name) is { } problem)
            add(where, $"{what} name: {problem}");
    }

    // A kind of object declared in its own file brings its rules there, in a partial part of this class (see KindRegistry).
    private static KindRegistry<KindRules>? _kinds;

    /// <summary>A kind's rules, run after the enums in <see cref="Order"/>.</summary>
    /// <param name="Validate">Checks the kind's objects in the model, declares the types it adds (<see cref="DeclaredTypes.Declare"/>) and reports through the action.</param>
    /// <param name="UserType">The type kind columns name its objects by, when they are types (<see cref="ColumnType.IsUserType"/>).</param>
    /// <param name="TypeWord">How a column's message names the type kind: "uses {word} x, which is not declared".</param>
    /// <param name="DeclaredWith">The DSL call that declares one, for the remedy of a column whose type is not declared.</param>
    internal sealed record KindRules(int Order, Action<DatabaseModel, DeclaredTypes, Action<string, string>> Validate,
        TypeKind? UserType = null, string TypeWord = "", string DeclaredWith = "") : IKindPart;

    private static KindRules Register(KindRules rules) => (_kinds ??= new()).Add(rules);

    private static KindRules[] KindRulesInOrder => _kinds?.InOrder ?? [];

    private static KindRules Rules(TypeKind userType) =>
        Array.Find(KindRulesInOrder, r => r.UserType == userType) ?? throw new InvalidOperationException($"No kind declares the type kind {userType}.");

    /// <summary>
    /// The types the schema declares (enums, and the kinds of <see cref="KindRules"/> that are types), by name: PostgreSQL
    /// keeps them in one namespace per schema (pg_type) with the row types of tables and views.
    /// </summary>
    internal sealed class DeclaredTypes
    {
        // A record class, not a tuple: generic code over a value type is JIT-compiled on every run (ReadyToRun cannot precompile it).
        private sealed record TypeOwner(TypeKind Kind, string Owner);

        private readonly Dictionary<QualifiedName, List<TypeOwner>> _owners = [];

        /// <summary>The enums by name, the first declaration of each.</summary>
        public Dictionary<QualifiedName, EnumType> Enums { get; } = [];

        /// <summary>Takes the name for a type of <paramref name="kind"/>; <paramref name="owner"/> names it in a clash ("an enum").</summary>
        public void Declare(TypeKind kind, string owner, QualifiedName name)
        {
            if (!_owners.TryGetValue(name, out var owners))
                _owners[name] = owners = [];
            if (!owners.Exists(o => o.Kind == kind))
                owners.Add(new TypeOwner(kind, owner));
        }

        /// <summary>Whether the column type's user type is declared, as a type of its kind.</summary>
        public bool Declares(ColumnType type) =>
            type.UserTypeName is { } name && _owners.TryGetValue(name, out var owners) && owners.Exists(o => o.Kind == type.Kind);

        /// <summary>What holds the name among the declared types, in order of declaration ("an enum").</summary>
        public IEnumerable<string> OwnersOf(QualifiedName name) =>
            _owners.TryGetValue(name, out var owners) ? owners.Select(o => o.Owner) : [];
    }
}

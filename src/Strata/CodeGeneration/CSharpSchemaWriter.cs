using System.Text;
using Strata.Dsl;
using Strata.Model;
using static Strata.CodeGeneration.CSharpLiterals;

namespace Strata.CodeGeneration;

/// <summary>One C# source file of a written schema, named relative to the schema project's folder.</summary>
public sealed record SourceFile(string FileName, string Content);

/// <summary>
/// Writes a <see cref="DatabaseModel"/> as the C# of an <see cref="ISchemaDefinition"/>: the code a person
/// would write with the DSL, which <see cref="SchemaBuilder.Build(ISchemaDefinition)"/> turns back into an
/// equal model. One partial class: a main file whose <c>Define</c> calls one method per PostgreSQL schema,
/// and one file per schema (<c>AppSchema.Billing.cs</c>), split into files of at most
/// <see cref="TablesPerFile"/> tables for a large schema. Names are written only where they differ from
/// <see cref="NamingConvention"/>; single-column keys are written on the column.
/// </summary>
public sealed partial class CSharpSchemaWriter
{
    private const string Indent = "    ";

    private readonly string _namespace;
    private readonly string _className;
    private readonly DatabaseModel _model;

    private CSharpSchemaWriter(DatabaseModel model, string @namespace, string className)
    {
        _model = model.Normalize();
        _namespace = string.Join('.', @namespace.Split('.').Select(Identifier));
        _className = Identifier(className);
    }

    /// <summary>How many tables one file holds at most; a schema with more is split into several files.</summary>
    public int TablesPerFile { get; init; } = 50;

    /// <summary>The files of the class <paramref name="className"/> in <paramref name="namespace"/>, main file first.</summary>
    public static IReadOnlyList<SourceFile> Write(DatabaseModel model, string @namespace, string className, int tablesPerFile = 50) =>
        new CSharpSchemaWriter(model, @namespace, className) { TablesPerFile = tablesPerFile }.Write();

    private IReadOnlyList<SourceFile> Write()
    {
        var schemas = _model.Schemas.Prepend(QualifiedName.DefaultSchema).Distinct().ToList();
        // Ignoring case: "Foo" and foo would otherwise give AppSchema.Foo.cs twice on a case-insensitive file system, and
        // MSBuild takes them for one Compile item (NETSDK1022). Numbers go by schema name order, so a pull names them again alike.
        var usedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var parts = new List<(string Schema, string Method, string FileSuffix, List<Table> Tables, bool WithRest)>();
        foreach (var schema in schemas)
        {
            var tables = _model.Tables.Where(t => t.Schema == schema).ToList();
            var hasRest = _model.Enums.Any(e => e.Schema == schema) || _model.Sequences.Any(s => s.Schema == schema) || _model.Views.Any(v => v.Schema == schema)
                || Array.Exists(KindCodeInOrder, k => k.OneLineDeclarations(_model, schema).Any());
            if (tables.Count == 0 && !hasRest)
                continue;
            var baseName = Unique(usedNames, PascalCase(schema, "Schema"));
            var chunks = tables.Chunk(Math.Max(1, TablesPerFile)).ToList();
            if (chunks.Count <= 1)
            {
                parts.Add((schema, "Define" + baseName, baseName, tables, true));
                continue;
            }
            for (var i = 0; i < chunks.Count; i++)
            {
                // The method's name may be another schema's (x's second part and schema X1): numbered on; the file's has a dot, never taken.
                var method = Unique(usedNames, $"{baseName}{i + 1}");
                parts.Add((schema, "Define" + method, $"{baseName}.{i + 1}", [.. chunks[i]], i == 0));
            }
        }

        var files = new List<SourceFile> { new(_className.TrimStart('@') + ".cs", MainFile(schemas, parts.Select(p => (p.Schema, p.Method)).ToList())) };
        foreach (var part in parts)
            files.Add(new($"{_className.TrimStart('@')}.{part.FileSuffix}.cs", SchemaFile(part.Schema, part.Method, part.Tables, part.WithRest)));
        return files;
    }

    private static string Unique(HashSet<string> used, string name)
    {
        var candidate = name;
        for (var i = 2; !used.Add(candidate); i++)
            candidate = name + i;
        return candidate;
    }

    private string MainFile(List<string> schemas, List<(string Schema, string Method)> parts)
    {
        var code = new StringBuilder();
        code.Append("using Strata.Dsl;\n\n");
        code.Append($"namespace {_namespace};\n\n");
        code.Append("/// <summary>\n");
        code.Append("/// The database, described in C#: read from a live database by `strata pull`, and from now on the source of\n");
        code.Append("/// truth. After a change, `dotnet strata generate --name what-changed` writes the migration.\n");
        code.Append("/// </summary>\n");
        code.Append($"public sealed partial class {_className} : ISchemaDefinition\n{{\n");
        code.Append($"{Indent}public void Define(SchemaBuilder db)\n{Indent}{{\n");
        foreach (var schema in schemas)
        {
            var methods = parts.Where(p => p.Schema == schema).Select(p => p.Method).ToList();
            var scope = schema == QualifiedName.DefaultSchema ? "db" : $"db.Schema({String(schema)})";
            // A schema's comment goes with its declaration (public's too, named, as the DSL takes it).
            var comment = _model.SchemaComments.FirstOrDefault(c => c.Schema == schema);
            if (comment is not null)
                code.Append($"{Indent}{Indent}db.Schema({String(schema)}).Comment({(comment.Comment is null ? "null" : String(comment.Comment, Statement))});\n");
            if (methods.Count == 0)
            {
                if (schema != QualifiedName.DefaultSchema && comment is null)
                    code.Append($"{Indent}{Indent}{scope};\n");
                continue;
            }
            foreach (var method in methods)
                code.Append($"{Indent}{Indent}{method}({scope});\n");
        }
        code.Append($"{Indent}}}\n}}\n");
        return code.ToString();
    }

    private string SchemaFile(string schema, string method, List<Table> tables, bool withRest)
    {
        var body = new StringBuilder();
        var blocks = new List<string>();
        if (withRest)
        {
            // One-line declarations stay together, as a person lists them above the tables.
            var types = string.Concat(_model.Enums.Where(e => e.Schema == schema).Select(EnumCode)
                .Concat(_model.Sequences.Where(s => s.Schema == schema).Select(SequenceCode))
                .Concat(KindCodeInOrder.SelectMany(k => k.OneLineDeclarations(_model, schema))));
            if (types.Length > 0)
                blocks.Add(types);
        }
        blocks.AddRange(tables.Select(TableCode));
        if (withRest)
            blocks.AddRange(_model.Views.Where(v => v.Schema == schema).Select(ViewCode));
        body.Append(string.Join("\n", blocks));

        var text = body.ToString();
        var code = new StringBuilder();
        code.Append("using Strata.Dsl;\n");
        if (NeedsModel(text))
            code.Append("using Strata.Model;\n");
        code.Append($"\nnamespace {_namespace};\n\n");
        code.Append($"public sealed partial class {_className}\n{{\n");
        code.Append($"{Indent}/// <summary>Schema {Escape(schema)}{(tables.Count > 0 ? $": {tables.Count} table{(tables.Count == 1 ? "" : "s")}" : "")}.</summary>\n");
        code.Append($"{Indent}private static void {method}(SchemaScope db)\n{Indent}{{\n");
        code.Append(text);
        code.Append($"{Indent}}}\n}}\n");
        return code.ToString();
    }

    private static string Escape(string xmlText) =>
        System.Security.SecurityElement.Escape(new string(xmlText.Select(c => char.IsControl(c) ? ' ' : c).ToArray()));

    private static bool NeedsModel(string code) =>
        code.Contains("ReferentialAction.", StringComparison.Ordinal) || code.Contains("IdentityGeneration.", StringComparison.Ordinal)
        || code.Contains("new SequenceOptions(", StringComparison.Ordinal) || code.Contains("new ColumnType(", StringComparison.Ordinal)
        || code.Contains("new QualifiedName(", StringComparison.Ordinal) || code.Contains("TypeKind.", StringComparison.Ordinal)
        || Array.Exists(KindCodeInOrder, k => k.ModelMarkers?.Any(m => code.Contains(m, StringComparison.Ordinal)) == true);

    private const string Statement = Indent + Indent;
    private const string InTable = Indent + Indent + Indent;

    private static string EnumCode(EnumType enumType)
    {
        var values = string.Join(", ", enumType.Values.Select(v => String(v)));
        return enumType.Comment is null
            ? $"{Statement}db.Enum({String(enumType.Name)}{(values.Length > 0 ? ", " + values : "")});\n"
            : $"{Statement}db.Enum({String(enumType.Name)}, [{values}], comment: {String(enumType.Comment, Statement)});\n";
    }

    private static string SequenceCode(Sequence sequence)
    {
        var arguments = new List<string> { String(sequence.Name) };
        if (sequence.Options != SequenceOptions.Default)
            arguments.Add(Options(sequence.Options));
        if (sequence.Comment is not null)
            arguments.Add("comment: " + String(sequence.Comment, Statement));
        return $"{Statement}db.Sequence({string.Join(", ", arguments)});\n";
    }

    private static string Options(SequenceOptions options)
    {
        var named = new List<string>();
        if (options.DataType is { } dataType)
            named.Add($"DataType: {String(dataType)}");
        if (options.StartWith is { } start)
            named.Add($"StartWith: {Number(start)}");
        if (options.IncrementBy is { } increment)
            named.Add($"IncrementBy: {Number(increment)}");
        if (options.MinValue is { } min)
            named.Add($"MinValue: {Number(min)}");
        if (options.MaxValue is { } max)
            named.Add($"MaxValue: {Number(max)}");
        if (options.Cache is { } cache)
            named.Add($"Cache: {Number(cache)}");
        if (options.Cycle)
            named.Add("Cycle: true");
        return $"new SequenceOptions({string.Join(", ", named)})";
    }

    private string TableCode(Table table)
    {
        var code = new StringBuilder();
        code.Append($"{Statement}db.Table({String(table.Name)}, t =>\n{Statement}{{\n");
        var written = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var column in table.Columns)
            code.Append(InTable).Append(ColumnCode(table, column, written)).Append(";\n");

        if (table.PrimaryKey is { } primaryKey && !written.Contains(primaryKey))
        {
            var columns = string.Join(", ", primaryKey.Columns.Select(c => String(c)));
            code.Append(primaryKey.Name == NamingConvention.PrimaryKey(table.Name)
                ? $"{InTable}t.PrimaryKey({columns});\n"
                : $"{InTable}t.PrimaryKeyNamed({String(primaryKey.Name)}{(columns.Length > 0 ? ", " + columns : "")});\n");
        }
        if (table.PrimaryKey is { Deferrable: true } deferrableKey)
            code.Append(deferrableKey.InitiallyDeferred ? $"{InTable}t.DeferrablePrimaryKey(initiallyDeferred: true);\n" : $"{InTable}t.DeferrablePrimaryKey();\n");
        if (table.PrimaryKey?.Comment is { } keyComment)
            code.Append($"{InTable}t.PrimaryKeyComment({String(keyComment, InTable)});\n");
        foreach (var option in table.PrimaryKey?.Options ?? [])
            code.Append($"{InTable}t.PrimaryKey{WithCode(option)[1..]};\n");
        foreach (var unique in table.Uniques.Where(u => !written.Contains(u)))
        {
            code.Append($"{InTable}t.Unique({string.Join(", ", unique.Columns.Select(c => String(c)))})");
            if (unique.Name != NamingConvention.Unique(table.Name, unique.Columns))
                code.Append($".Named({String(unique.Name)})");
            if (unique.NullsNotDistinct)
                code.Append(".NullsNotDistinct()");
            if (unique.Deferrable)
                code.Append(unique.InitiallyDeferred ? ".Deferrable(initiallyDeferred: true)" : ".Deferrable()");
            if (unique.Comment is not null)
                code.Append($".Comment({String(unique.Comment, InTable)})");
            foreach (var option in unique.Options)
                code.Append(WithCode(option));
            code.Append(";\n");
        }
        foreach (var check in table.Checks.Where(c => !written.Contains(c)))
            code.Append($"{InTable}t.Check({String(check.Name)}, {String(check.Expression, InTable)}{(check.NoInherit ? ", noInherit: true" : "")}{(check.Comment is null ? "" : ", comment: " + String(check.Comment, InTable))});\n");
        foreach (var foreignKey in table.ForeignKeys.Where(f => !written.Contains(f)))
            code.Append(InTable).Append(ForeignKeyCode(table, foreignKey)).Append(";\n");
        foreach (var index in table.Indexes)
            code.Append(InTable).Append(IndexCode("t", table.Name, index)).Append(";\n");
        foreach (var kind in KindCodeInOrder)
        {
            foreach (var call in kind.TableCalls?.Invoke(_model, table) ?? [])
                code.Append(InTable).Append(call).Append(";\n");
        }
        if (table.Comment is not null)
            code.Append($"{InTable}t.Comment({String(table.Comment, InTable)});\n");
        if (table.Partitioning is { Parent: { } parent, Bound: { } bound })
            code.Append($"{InTable}t.PartitionOf({String(parent.Schema == table.Schema ? parent.Name : parent.Schema + "." + parent.Name)}, {String(bound, InTable)});\n");
        if (table.Partitioning?.Key is { } partitionKey)
            code.Append($"{InTable}t.PartitionBy({String(partitionKey, InTable)});\n");
        if (table.Inherits.Count > 0)
            code.Append($"{InTable}t.Inherits({string.Join(", ", table.Inherits.Select(p => String(p.Schema == table.Schema ? p.Name : p.Schema + "." + p.Name)))});\n");
        if (table.Columns.Count == 0 && table.PartitionOf is null && table.Inherits.Count == 0)
            code.Append($"{InTable}t.WithoutColumns();\n");
        if (table.Unlogged)
            code.Append($"{InTable}t.Unlogged();\n");
        foreach (var option in table.Options)
            code.Append($"{InTable}t{WithCode(option)};\n");
        if (table.ClusterOn is { } clusterOn)
            code.Append($"{InTable}t.ClusterOn({String(clusterOn)});\n");
        code.Append($"{Statement}}});\n");
        return code.ToString();
    }

    private string ColumnCode(Table table, Column column, HashSet<object> written)
    {
        var code = new StringBuilder($"t.Column({String(column.Name)}, {TypeCode(column.Type)})");
        var primaryKey = table.PrimaryKey is { Columns.Count: 1 } pk && pk.Columns[0] == column.Name && pk.Name == NamingConvention.PrimaryKey(table.Name) ? pk : null;
        var impliedNotNull = table.PrimaryKey?.Columns.Contains(column.Name) == true || column.Identity is not null || column.Type.IsSerial;

        if (column.Identity is { } identity)
        {
            code.Append(identity == Identity.Always ? ".Identity()"
                : identity.Options == SequenceOptions.Default ? $".Identity(IdentityGeneration.{identity.Generation})"
                : $".Identity(IdentityGeneration.{identity.Generation}, {Options(identity.Options)})");
        }
        if (primaryKey is not null)
        {
            code.Append(".PrimaryKey()");
            written.Add(primaryKey);
        }
        if (column.NotNull && !impliedNotNull)
            code.Append(".NotNull()");
        if (column.Default is { } defaultSql)
            code.Append(DefaultCode(defaultSql));
        if (column.GeneratedAs is { } generated)
            code.Append($".GeneratedAs({String(generated, InTable)})");

        foreach (var unique in table.Uniques.Where(u => u.Columns.Count == 1 && u.Columns[0] == column.Name && !u.Deferrable && u.Comment is null && u.Options.Count == 0))
        {
            var arguments = new List<string>();
            if (unique.Name != NamingConvention.Unique(table.Name, [column.Name]))
                arguments.Add(String(unique.Name));
            if (unique.NullsNotDistinct)
                arguments.Add("nullsNotDistinct: true");
            code.Append($".Unique({string.Join(", ", arguments)})");
            written.Add(unique);
        }
        foreach (var check in table.Checks.Where(c => c.Name == NamingConvention.ColumnCheck(table.Name, column.Name) && !c.NoInherit && c.Comment is null))
        {
            code.Append($".Check({String(check.Expression, InTable)})");
            written.Add(check);
        }
        foreach (var foreignKey in table.ForeignKeys.Where(f => f.Columns.Count == 1 && f.Columns[0] == column.Name && !f.Deferrable && !f.MatchFull && f.Comment is null))
        {
            if (ReferencedTableText(table, foreignKey.ReferencedTable) is not { } target)
                continue;
            var arguments = new List<string> { target, String(foreignKey.ReferencedColumns[0]) };
            if (foreignKey.OnDelete != ReferentialAction.NoAction)
                arguments.Add($"onDelete: ReferentialAction.{foreignKey.OnDelete}");
            if (foreignKey.OnUpdate != ReferentialAction.NoAction)
                arguments.Add($"onUpdate: ReferentialAction.{foreignKey.OnUpdate}");
            if (foreignKey.Name != NamingConvention.ForeignKey(table.Name, foreignKey.Columns))
                arguments.Add($"name: {String(foreignKey.Name)}");
            code.Append($".References({string.Join(", ", arguments)})");
            written.Add(foreignKey);
        }
        if (column.Collation is { } collation)
            code.Append(CollateCode(collation, column.CollationSchema));
        if (column.Comment is not null)
            code.Append($".Comment({String(column.Comment, InTable)})");
        return code.ToString();
    }

    /// <summary>The referenced table as the DSL's string form (<c>users</c> in the same schema, else <c>billing.accounts</c>), or null when a name holds a dot.</summary>
    private static string? ReferencedTableText(Table table, QualifiedName referenced)
    {
        if (referenced.Name.Contains('.'))
            return null;
        if (referenced.Schema == table.Schema)
            return String(referenced.Name);
        return referenced.Schema.Contains('.') ? null : String(referenced.Schema + "." + referenced.Name);
    }

    private static string ForeignKeyCode(Table table, ForeignKey foreignKey)
    {
        var code = new StringBuilder($"t.ForeignKey({string.Join(", ", foreignKey.Columns.Select(c => String(c)))})");
        var columns = string.Concat(foreignKey.ReferencedColumns.Select(c => ", " + String(c)));
        var target = ReferencedTableText(table, foreignKey.ReferencedTable) ?? QualifiedNameCode(foreignKey.ReferencedTable);
        code.Append($".References({target}{columns})");
        if (foreignKey.OnDelete != ReferentialAction.NoAction)
            code.Append($".OnDelete(ReferentialAction.{foreignKey.OnDelete})");
        if (foreignKey.OnUpdate != ReferentialAction.NoAction)
            code.Append($".OnUpdate(ReferentialAction.{foreignKey.OnUpdate})");
        if (foreignKey.Deferrable)
            code.Append(foreignKey.InitiallyDeferred ? ".Deferrable(initiallyDeferred: true)" : ".Deferrable()");
        if (foreignKey.MatchFull)
            code.Append(".MatchFull()");
        if (foreignKey.Name != NamingConvention.ForeignKey(table.Name, foreignKey.Columns))
            code.Append($".Named({String(foreignKey.Name)})");
        if (foreignKey.Comment is not null)
            code.Append($".Comment({String(foreignKey.Comment, InTable)})");
        return code.ToString();
    }

    private static string QualifiedNameCode(QualifiedName name) => $"new QualifiedName({String(name.Schema)}, {String(name.Name)})";

    /// <param name="builder">The lambda parameter the index is declared on: <c>t</c> for a table, <c>v</c> for a materialized view.</param>
    /// <param name="relation">The name of the table or view, which the default index name starts with.</param>
    private static string IndexCode(string builder, string relation, Model.Index index)
    {
        var plain = index.Elements.Select(e => e is { Column: not null, Direction: SortDirection.Ascending, Nulls: NullsOrder.Default, OperatorClass: null, Collation: null }).ToList();
        var keys = index.Elements.Select((e, i) => plain[i] ? String(e.Column!) : IndexKeyCode(e));
        var code = new StringBuilder($"{builder}.Index({string.Join(", ", keys)})");
        if (index.Name != NamingConvention.Index(relation, index.Elements.Select(e => e.Column)))
            code.Append($".Named({String(index.Name)})");
        if (index.Unique)
            code.Append(".Unique()");
        if (index.Method != "btree")
            code.Append($".Using({String(index.Method)})");
        if (index.Include.Count > 0)
            code.Append($".Include({string.Join(", ", index.Include.Select(c => String(c)))})");
        if (index.Where is { } where)
            code.Append($".Where({String(where, InTable)})");
        if (index.NullsNotDistinct)
            code.Append(".NullsNotDistinct()");
        if (index.Concurrently)
            code.Append(".Concurrently()");
        foreach (var option in index.Options)
            code.Append(WithCode(option));
        if (index.Comment is not null)
            code.Append($".Comment({String(index.Comment, InTable)})");
        return code.ToString();
    }

    private static string IndexKeyCode(IndexElement element)
    {
        var code = new StringBuilder(element.Column is { } column
            ? $"IndexKey.Column({String(column)})"
            : $"IndexKey.Expression({String(element.Expression ?? "", InTable)})");
        if (element.Direction == SortDirection.Descending)
            code.Append(".Desc()");
        if (element.Nulls == NullsOrder.First)
            code.Append(".NullsFirst()");
        else if (element.Nulls == NullsOrder.Last)
            code.Append(".NullsLast()");
        if (element.OperatorClass is { } operatorClass)
            code.Append($".OperatorClass({String(operatorClass)})");
        if (element.Collation is { } collation)
            code.Append(CollateCode(collation, element.CollationSchema));
        return code.ToString();
    }

    /// <summary><c>.Default(…)</c> with a C# value when the DSL writes exactly this SQL from it, else <c>.DefaultSql(…)</c>.</summary>
    private static string DefaultCode(string sql)
    {
        if (sql is "true" or "false")
            return $".Default({sql})";
        if (long.TryParse(sql, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && SqlLiteral.From(number) == sql)
            return $".Default({(number is > int.MaxValue or < int.MinValue ? Number(number) + "L" : Number(number))})";
        if (SqlLiteral.TryReadString(sql) is { } text && SqlLiteral.Quote(text) == sql)
            return $".Default({String(text, InTable)})";
        return $".DefaultSql({String(sql, InTable)})";
    }

    /// <summary>The DSL's spelling of a type (<c>Types.Varchar(320)</c>), checked to build the very same type.</summary>
    private static string TypeCode(ColumnType type)
    {
        if (type.IsArray)
        {
            var element = TypeCode(type.ElementType);
            return type.ArrayDimensions == 1 ? $"Types.ArrayOf({element})" : $"Types.ArrayOf({element}, {type.ArrayDimensions})";
        }
        var (code, built) = type.Kind switch
        {
            TypeKind.Numeric => ($"Types.Numeric({Arguments(type.Precision, type.Scale)})", Types.Numeric(type.Precision, type.Scale)),
            TypeKind.Varchar => ($"Types.Varchar({Arguments(type.Length)})", Types.Varchar(type.Length)),
            TypeKind.Char when type.Length is { } length => ($"Types.Char({length})", Types.Char(length)),
            TypeKind.Time => ($"Types.Time({Arguments(type.Precision)})", Types.Time(type.Precision)),
            TypeKind.TimeTz => ($"Types.TimeTz({Arguments(type.Precision)})", Types.TimeTz(type.Precision)),
            TypeKind.Timestamp => ($"Types.Timestamp({Arguments(type.Precision)})", Types.Timestamp(type.Precision)),
            TypeKind.TimestampTz => ($"Types.TimestampTz({Arguments(type.Precision)})", Types.TimestampTz(type.Precision)),
            TypeKind.Interval => ($"Types.Interval({Arguments(type.Precision)})", Types.Interval(type.Precision)),
            // A user type's reference is the DSL method named after its kind (Types.Enum("mood") for TypeKind.Enum).
            _ when type.IsUserType && type.UserTypeName is { } name && !name.Name.Contains('.') && !name.Schema.Contains('.') =>
                (name.Schema == QualifiedName.DefaultSchema ? $"Types.{type.Kind}({String(name.Name)})" : $"Types.{type.Kind}({String(name.ToString())})",
                    ColumnType.UserType(type.Kind, QualifiedName.Parse(name.ToString()))),
            TypeKind.Raw when type.RawName is { } raw => ($"Types.Raw({String(raw)})", Types.Raw(raw)),
            TypeKind.Char or TypeKind.Raw => ("", null),
            // A name with a dot in it cannot be given as one string: the kind's reference by a QualifiedName.
            _ when type.IsUserType && type.UserTypeName is { } dotted =>
                ($"ColumnType.UserType(TypeKind.{type.Kind}, {QualifiedNameCode(dotted)})", ColumnType.UserType(type.Kind, dotted)),
            var kind => ($"Types.{kind}", new ColumnType(kind)),
        };
        return built == type ? code : NewColumnType(type);
    }

    private static string Arguments(params int?[] values)
    {
        var count = values.Length;
        while (count > 0 && values[count - 1] is null)
            count--;
        return string.Join(", ", values.Take(count).Select(v => v is { } n ? Number(n) : "null"));
    }

    private static string NewColumnType(ColumnType type)
    {
        var arguments = new List<string> { $"TypeKind.{type.Kind}" };
        if (type.Length is { } length)
            arguments.Add($"Length: {length}");
        if (type.Precision is { } precision)
            arguments.Add($"Precision: {precision}");
        if (type.Scale is { } scale)
            arguments.Add($"Scale: {scale}");
        if (type.RawName is { } raw)
            arguments.Add($"RawName: {String(raw)}");
        if (type.ArrayDimensions > 0)
            arguments.Add($"ArrayDimensions: {type.ArrayDimensions}");
        if (type.IsUserType && type.UserTypeName is { } name)
        {
            // A user type's name is in its kind's field: the kind's reference sets it, the rest follows.
            var rest = arguments.Skip(1).Select(a => a.Replace(": ", " = ", StringComparison.Ordinal)).ToList();
            var reference = $"ColumnType.UserType(TypeKind.{type.Kind}, {QualifiedNameCode(name)})";
            return rest.Count == 0 ? reference : $"{reference} with {{ {string.Join(", ", rest)} }}";
        }
        return $"new ColumnType({string.Join(", ", arguments)})";
    }

    private string ViewCode(View view)
    {
        var code = new StringBuilder();
        code.Append($"{Statement}db.{(view.Materialized ? "MaterializedView" : "View")}({String(view.Name)}, {String(view.Definition, Statement)}");
        if (view.Indexes.Count == 0)
        {
            code.Append(')');
        }
        else
        {
            // A materialized view's indexes go in a lambda, as a table's do.
            code.Append($", v =>\n{Statement}{{\n");
            foreach (var index in view.Indexes)
                code.Append(InTable).Append(IndexCode("v", view.Name, index)).Append(";\n");
            code.Append($"{Statement}}})");
        }
        var found = FoundDependencies(view);
        if (found.All(view.DependsOn.Contains))
        {
            foreach (var dependency in view.DependsOn.Where(d => !found.Contains(d)))
                code.Append($"\n{InTable}.DependsOn({DependencyCode(view, dependency)})");
        }
        else
        {
            code.Append($"\n{InTable}.DependsOnExactly({string.Join(", ", view.DependsOn.Select(QualifiedNameCode))})");
        }
        if (view.Comment is not null)
            code.Append($"\n{InTable}.Comment({String(view.Comment, InTable)})");
        foreach (var option in view.Options)
            code.Append($"\n{InTable}{WithCode(option)}");
        if (view.ClusterOn is { } clusterOn)
            code.Append($"\n{InTable}.ClusterOn({String(clusterOn)})");
        return code.Append(";\n").ToString();
    }

    /// <summary>The <c>.With(name, value)</c> call that declares an option kept as <c>name=value</c> (a view's, a table's, an index's).</summary>
    private static string WithCode(string option)
    {
        var at = option.IndexOf('=');
        return $".With({String(at > 0 ? option[..at] : option)}, {String(at > 0 ? option[(at + 1)..] : "")})";
    }

    private static string DependencyCode(View view, QualifiedName dependency) =>
        dependency.Schema.Contains('.') || dependency.Name.Contains('.') ? QualifiedNameCode(dependency)
        : dependency.Schema == QualifiedName.DefaultSchema ? String(dependency.Name)
        : String(dependency.ToString());

    /// <summary>The dependencies the DSL finds in the view's query by itself.</summary>
    private HashSet<QualifiedName> FoundDependencies(View view)
    {
        var known = _model.Tables.Select(t => t.QualifiedName).Concat(_model.Views.Select(v => v.QualifiedName)).ToList();
        return [.. new ViewBuilder(view.Schema, view.Name, view.Definition, view.Materialized).Build(known).DependsOn];
    }

    // A kind of object declared in its own file writes its C# there, in a partial part of this class (see KindRegistry).
    private static KindRegistry<KindCode>? _kinds;

    /// <summary>A kind's C#: its one-line declarations in a schema, one statement each, written after the enums and sequences, in <see cref="Order"/>.</summary>
    /// <param name="TableCalls">For a kind bound to a table: its calls on the table's builder (<c>t.…</c>, without the semicolon), after the indexes.</param>
    /// <param name="ModelMarkers">Words of its code that name a type of Strata.Model (<c>PolicyCommand.</c>): a file with one needs the using.</param>
    internal sealed record KindCode(int Order, Func<DatabaseModel, string, IEnumerable<string>> OneLineDeclarations,
        Func<DatabaseModel, Table, IEnumerable<string>>? TableCalls = null, string[]? ModelMarkers = null) : IKindPart;

    private static KindCode Register(KindCode code) => (_kinds ??= new()).Add(code);

    private static KindCode[] KindCodeInOrder => _kinds?.InOrder ?? [];
}

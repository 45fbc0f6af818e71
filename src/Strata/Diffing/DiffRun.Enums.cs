using Strata.Diffing.Planning;
using Strata.Model;
using Strata.Sql;
using Index = Strata.Model.Index;

namespace Strata.Diffing;

/// <summary>Enum types: created, renamed, given values, re-created when values go or are used at once, dropped once no column uses them.</summary>
internal sealed partial class DiffRun
{
    /// <summary>A re-created user type's change converts <paramref name="uses"/>, the columns of its type: it changes their tables and provides the columns anew.</summary>
    private static void ConvertsColumns(PlannedChange recreate, List<EnumColumnUse> uses)
    {
        foreach (var use in uses)
        {
            recreate.Need(FactState.Exists, DependencyKind.Table, use.Table)
                .Provide(FactState.Changed, DependencyKind.Table, use.Table)
                .Provide(FactState.Exists, DependencyKind.Columns, use.Table)
                .Provide(FactState.Exists, DependencyKind.Column, use.Table, use.Column);
        }
    }

    private const int EnumRank = ChangeRank.Creates;
    private const int DropEnumRank = ChangeRank.Releases;

    private List<(EnumType Old, EnumType New)> MatchEnums()
    {
        var pairs = MatchByName(ObjectKind.Enum, _old.Enums, _new.Enums, e => e.QualifiedName, _typeMap, out var dropped, out var added);
        foreach (var enumType in dropped)
        {
            var name = MapSchema(enumType.QualifiedName);
            if (NewTypeNames.Contains(name))
            {
                var aside = name with { Name = DroppedName(name.Name) };
                PlanRename(MoveAsideRank, new RenameEnum(name, aside));
                name = aside;
            }
            PlanDropEnum(enumType.QualifiedName, enumType with { Schema = name.Schema, Name = name.Name });
        }
        foreach (var enumType in added)
        {
            var created = Add(EnumRank, new CreateEnum(enumType));
            TakeTypeName(created, enumType.QualifiedName);
            created.Provide(FactState.Exists, DependencyKind.Type, enumType.QualifiedName);
            if (enumType.Comment is not null)
                Comment(CommentTarget.Enum, enumType.QualifiedName, null, enumType.Comment, DependencyKind.Type);
        }
        foreach (var (oldEnum, newEnum) in pairs)
        {
            if (oldEnum.Values != newEnum.Values && !IsSubsequence(oldEnum.Values, newEnum.Values))
                _recreatedEnums.Add(newEnum.QualifiedName);
        }
        return pairs;
    }

    /// <summary>
    /// PostgreSQL refuses to use a value added by ALTER TYPE … ADD VALUE before the transaction commits
    /// ("unsafe use of new value"), but accepts any value of a type created in the same transaction: an enum
    /// that only gains values is re-created when an expression of the new schema (a default, a check…) may
    /// use one of them: its text may (<see cref="MayUseNewValues"/>), and pg_depend records that it reads the type
    /// (a constant of it; never which value), unless the old schema had the same expression (same object, same
    /// text) reading the same type, which could not name a value the type did not have. An expression whose
    /// reads are not known (a model built from the DSL) is decided by its text alone and listed in
    /// <see cref="SchemaDiff.DecidedFromText"/> (a literal may be of another type). Runs once tables and columns are matched (the old side is read
    /// in the new names) and before their bodies are compared (they convert the columns of re-created enums).
    /// </summary>
    private void RecreateEnumsWhoseNewValuesMayBeUsed(List<(EnumType Old, EnumType New)> pairs, List<(Table Old, Table New)> tablePairs)
    {
        // (A loop: LINQ over the (old, new) tuples is generic code over a value type that every diff would JIT-compile.)
        var gaining = new List<(EnumType Old, EnumType New)>();
        foreach (var p in pairs)
        {
            if (p.Old.Values != p.New.Values && !_recreatedEnums.Contains(p.New.QualifiedName))
                gaining.Add(p);
        }
        if (gaining.Count == 0)
            return;
        var expressions = Expressions(_new.Tables, _new.Views, TypeExpressions(ModelSide.New)).ToList();
        var oldTypeReads = new HashSet<(string Key, string Text, QualifiedName Type)>();
        var oldViews = _old.Views.Select(v => v with
        {
            Schema = MapSchema(v.Schema),
            Reads = MapTypeReads(v.Reads),
        });
        foreach (var (key, text, reads) in Expressions(tablePairs.Select(p => Translate(p.Old, p.New.QualifiedName)), oldViews, TypeExpressions(ModelSide.Old)))
        {
            foreach (var read in reads.Objects)
            {
                if (read.Kind == ReadKind.Type)
                    oldTypeReads.Add((key, text, read.Name));
            }
        }
        foreach (var (oldEnum, newEnum) in gaining)
        {
            var name = newEnum.QualifiedName;
            var oldValues = oldEnum.Values.ToHashSet(StringComparer.Ordinal);
            var added = newEnum.Values.Where(v => !oldValues.Contains(v)).ToList();
            var typeNames = new List<string> { name.Name };
            typeNames.AddRange(TypesOver(name));
            var recreate = false;
            foreach (var e in expressions)
            {
                if (!MayUseNewValues(e.Text, added, typeNames))
                    continue;
                if (e.Reads.IsKnown)
                {
                    // PostgreSQL says whether it reads the type at all (a literal of another type does not);
                    // the same expression in the old schema could not use a value the type did not have.
                    recreate |= e.Reads.ReadsType(name) && !oldTypeReads.Contains((e.Key, e.Text, name));
                }
                else
                {
                    DecideFromText(new TextDecision(ModelSide.New, e.Key));
                    recreate = true;
                }
            }
            if (recreate)
                _recreatedEnums.Add(name);
        }
    }

    /// <summary>
    /// Whether an expression's text may use a value an enum gains: a string literal equal to one (an array
    /// literal's elements too), or a value that no literal shows: a cast to the type (or a type over it, <see cref="TypesOver"/>) of
    /// something other than a string literal (<c>enum_last(NULL::mood)</c>), or one of PostgreSQL's enum
    /// functions (<c>enum_first</c>, <c>enum_last</c>, <c>enum_range</c>), which return the newest values from a
    /// column too. A literal of an old value is safe: PostgreSQL refuses only a value added in the same
    /// transaction. Errs towards yes (the cost is a re-created type); pg_depend then says whether the expression
    /// reads the type at all, which no text can (<c>note &lt;&gt; 'sad'</c> on a text column).
    /// </summary>
    internal static bool MayUseNewValues(string text, IReadOnlyList<string> added, IReadOnlyList<string> typeNames)
    {
        var sql = SqlLexer.Tokenize(text);
        var literals = StringLiterals(sql);
        foreach (var value in added)
        {
            if (literals.Contains(value))
                return true;
        }
        var lexemes = sql.Lexemes();
        bool IsType(int at) => at < lexemes.Count && lexemes[at].IsName && typeNames.Any(t => string.Equals(t, lexemes[at].Value, StringComparison.OrdinalIgnoreCase));
        for (var i = 0; i < lexemes.Count; i++)
        {
            var lexeme = lexemes[i];
            if (lexeme.IsName && EnumFunctions.Contains(lexeme.Value) && i + 1 < lexemes.Count && lexemes[i + 1].Is("("))
                return true;
            var cast = lexeme.Is("::");
            if (!cast && !(lexeme.Kind == SqlLexemeKind.Word && lexeme.Value == "as"))
                continue;
            // 'ok'::mood is a literal, which the value test above has read.
            if (cast && i > 0 && lexemes[i - 1].Kind == SqlLexemeKind.String)
                continue;
            // The type, bare or schema-qualified (::mood, ::public.mood, AS "mood").
            if (IsType(i + 1) || i + 2 < lexemes.Count && lexemes[i + 1].IsName && lexemes[i + 2].Is(".") && IsType(i + 3))
                return true;
        }
        return false;
    }

    private static readonly HashSet<string> EnumFunctions = new(["enum_first", "enum_last", "enum_range"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The values of the string constants in SQL text, and the elements of those that are array
    /// literals (<c>'{happy,"very sad"}'</c>): every form in which an enum value can be used.
    /// </summary>
    internal static HashSet<string> StringLiterals(string sql) => StringLiterals(SqlLexer.Tokenize(sql));

    private static HashSet<string> StringLiterals(SqlText sql)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in sql.StringValues())
        {
            values.Add(value);
            if (value.TrimStart().StartsWith('{'))
                values.UnionWith(ArrayElements(value));
        }
        return values;
    }

    /// <summary>The elements of an array literal at any depth, unquoted (<c>{a,"b c",{d}}</c> gives a, b c, d).</summary>
    private static List<string> ArrayElements(string array)
    {
        var elements = new List<string>();
        var element = new System.Text.StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        void Flush()
        {
            var text = wasQuoted ? element.ToString() : element.ToString().Trim();
            if (text.Length > 0 || wasQuoted)
                elements.Add(text);
            element.Clear();
            wasQuoted = false;
        }
        for (var i = 0; i < array.Length; i++)
        {
            var c = array[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < array.Length)
                    element.Append(array[++i]);
                else if (c == '"')
                    quoted = false;
                else
                    element.Append(c);
            }
            else if (c == '"')
            {
                quoted = wasQuoted = true;
                element.Clear();
            }
            else if (c is '{' or '}' or ',')
            {
                Flush();
            }
            else if (!wasQuoted)
            {
                element.Append(c);
            }
        }
        Flush();
        return elements;
    }

    /// <summary>Every SQL expression of these tables and views and the <paramref name="others"/>, each with its object (kind and name) and what it reads.</summary>
    private static IEnumerable<(string Key, string Text, ExpressionReads Reads)> Expressions(IEnumerable<Table> tables, IEnumerable<View> views,
        IEnumerable<(string Key, string Text, ExpressionReads Reads)> others)
    {
        static IEnumerable<(string, string, ExpressionReads)> OfIndexes(QualifiedName relation, ValueList<Index> indexes)
        {
            foreach (var index in indexes)
            {
                if (index.Where is not null || index.Elements.Any(e => e.Expression is not null))
                    yield return ($"index {relation}.{index.Name}", string.Join("\n", index.Elements.Select(e => e.Expression).Append(index.Where)), index.Reads);
            }
        }
        foreach (var table in tables)
        {
            foreach (var column in table.Columns)
            {
                if (column.Default is not null)
                    yield return ($"default {table.QualifiedName}.{column.Name}", column.Default, column.Reads);
                if (column.GeneratedAs is not null)
                    yield return ($"generated {table.QualifiedName}.{column.Name}", column.GeneratedAs, column.Reads);
            }
            foreach (var check in table.Checks)
                yield return ($"check {table.QualifiedName}.{check.Name}", check.Expression, check.Reads);
            foreach (var index in OfIndexes(table.QualifiedName, table.Indexes))
                yield return index;
        }
        foreach (var view in views)
        {
            yield return ($"view {view.QualifiedName}", view.Definition, view.Reads);
            foreach (var index in OfIndexes(view.QualifiedName, view.Indexes))
                yield return index;
        }
        foreach (var other in others)
            yield return other;
    }

    /// <summary>
    /// DROP TYPE of an enum once no column uses it: <paramref name="oldKey"/> is its name in the old model
    /// (the columns that let go of it say so), <paramref name="asNamed"/> the type as named when the drop runs.
    /// </summary>
    private void PlanDropEnum(QualifiedName oldKey, EnumType asNamed)
    {
        var name = asNamed.QualifiedName;
        var drop = Add(DropEnumRank, new DropEnum(asNamed))
            .Need(FactState.Exists, DependencyKind.TypeName, name)
            .Need(FactState.Gone, DependencyKind.TypeUse, oldKey)
            .Provide(FactState.Gone, DependencyKind.TypeName, name)
            .Provide(FactState.Gone, DependencyKind.Type, name);
        UsesNewSchema(drop, name.Schema);
    }

    /// <summary>A change that gives columns their types: the user types among them exist by then.</summary>
    private static void UsesTypes(PlannedChange planned, IEnumerable<Column> columns)
    {
        foreach (var column in columns)
        {
            if (column.Type.UserTypeName is { } enumName)
                planned.Need(FactState.Exists, DependencyKind.Type, enumName);
        }
    }

    /// <summary>A change that removes columns or their old types: the user types they had may be dropped after it.</summary>
    private static void LetsGoOfTypes(PlannedChange planned, IEnumerable<Column> oldColumns)
    {
        foreach (var column in oldColumns)
        {
            if (column.Type.UserTypeName is { } enumName)
                planned.Provide(FactState.Gone, DependencyKind.TypeUse, enumName);
        }
    }

    private static bool IsSubsequence(ValueList<string> part, ValueList<string> whole)
    {
        var next = 0;
        foreach (var value in whole)
        {
            if (next < part.Count && part[next] == value)
                next++;
        }
        return next == part.Count;
    }

    /// <summary>Whether a column of the table is of a re-created type, or an expression of it may name one (a constant or cast).</summary>
    private bool UsesRecreatedEnum(Table table) =>
        _recreatedEnums.Count > 0 && (table.Columns.Any(c => c.Type.UserTypeName is { } name && _recreatedEnums.Contains(name) || c.Default is not null || c.GeneratedAs is not null)
            || table.Checks.Count > 0 || table.Indexes.Any(HasExpression));

    private bool IsEnumConverted(Table table, string column) =>
        table.FindColumn(column) is { Type.UserTypeName: { } name } && _recreatedEnums.Contains(name);

    private void DiffEnums(List<(EnumType Old, EnumType New)> pairs)
    {
        foreach (var (oldEnum, newEnum) in pairs)
        {
            var name = newEnum.QualifiedName;
            var moved = MapSchema(oldEnum.QualifiedName);
            if (moved != name)
                _typeRenames.Add(new RenameEnum(moved, name));
            if (_recreatedEnums.Contains(name))
            {
                var temporary = TemporaryTypeName(name);
                var uses = _enumUses.TryGetValue(name, out var list) ? list : [];
                var removed = oldEnum.Values.Where(v => !newEnum.Values.Contains(v)).ToValueList();
                // The old type steps aside to the temporary name, the new one takes the name, and the
                // columns are converted: what reads them is gone by then.
                var recreate = Add(EnumRank, new RecreateEnum(oldEnum with { Schema = name.Schema, Name = name.Name }, newEnum, temporary.Name, uses.ToValueList(), removed))
                    .Need(FactState.Exists, DependencyKind.TypeName, name)
                    .Provide(FactState.Exists, DependencyKind.TypeName, temporary)
                    .Provide(FactState.Exists, DependencyKind.Type, name);
                UsesNewSchema(recreate, name.Schema);
                ConvertsColumns(recreate, uses);
                PlanDropEnum(temporary, oldEnum with { Schema = name.Schema, Name = temporary.Name });
                if (newEnum.Comment is not null)
                    Comment(CommentTarget.Enum, name, null, newEnum.Comment, DependencyKind.Type);
                continue;
            }
            if (oldEnum.Values != newEnum.Values)
                AddValues(name, oldEnum.Values, newEnum.Values);
            if (oldEnum.Comment != newEnum.Comment)
                Comment(CommentTarget.Enum, name, null, newEnum.Comment, DependencyKind.Type);
        }
    }

    /// <summary>ADD VALUE for each new value, placed next to one that exists by then, so the sort order matches.</summary>
    private void AddValues(QualifiedName name, ValueList<string> oldValues, ValueList<string> newValues)
    {
        var existing = oldValues.ToHashSet(StringComparer.Ordinal);
        var lastOriginal = -1;
        for (var i = 0; i < newValues.Count; i++)
        {
            if (existing.Contains(newValues[i]))
                lastOriginal = i;
        }
        for (var i = 0; i < newValues.Count; i++)
        {
            var value = newValues[i];
            if (existing.Contains(value))
                continue;
            var add = i > lastOriginal ? new AddEnumValue(name, value)
                : i > 0 ? new AddEnumValue(name, value, After: newValues[i - 1])
                : new AddEnumValue(name, value, Before: oldValues[0]);
            Add(EnumRank, add).Need(FactState.Exists, DependencyKind.TypeName, name)
                .Provide(FactState.Exists, DependencyKind.Type, name);
        }
    }
}

using Npgsql;
using Strata.Model;
using Strata.Sql;

namespace Strata.Postgres.Introspection;

/// <summary>Turns the result sets of <see cref="CatalogQueries.All"/>, in order, into the model's normal form.</summary>
/// <remarks>A kind of object registered in <see cref="CatalogQueries.Kinds"/> reads its result set in a partial part of this class.</remarks>
internal sealed partial class ModelReader(NpgsqlDataReader reader)
{
    private readonly RecordedReads _reads = new();

    private sealed record SequenceRow(QualifiedName Name, string DataType, SequenceValues Values, string RegclassText,
        long? OwnerTable, int? OwnerColumn, string? OwnerKind, string? Comment);

    private sealed class TableParts(long oid, string schema, string name, string? comment)
    {
        public long Oid { get; } = oid;
        public string Schema { get; } = schema;
        public string Name { get; } = name;
        public string? Comment { get; } = comment;
        public List<(short Number, Column Column)> Columns { get; } = [];

        public string ColumnName(short number) => Columns.First(c => c.Number == number).Column.Name;
        public PrimaryKey? PrimaryKey { get; set; }
        public List<UniqueConstraint> Uniques { get; } = [];
        public List<CheckConstraint> Checks { get; } = [];
        public List<ForeignKey> ForeignKeys { get; } = [];
        public List<Model.Index> Indexes { get; } = [];
        public bool Unlogged { get; init; }
        public TablePartitioning? Partitioning { get; init; }
        public ValueList<QualifiedName> Inherits { get; init; }
        /// <summary>The attnums of columns the table has only from its parents (not attislocal): theirs in the model.</summary>
        public HashSet<short> InheritedOnly { get; } = [];
        public ValueList<string> Options { get; init; }
        public string? ClusterOn { get; init; }
    }

    public async Task<DatabaseModel> ReadAsync(CancellationToken ct)
    {
        var schemas = await ReadSchemasAsync(ct);
        await NextAsync(ct);
        var enums = await ReadEnumsAsync(ct);
        await NextAsync(ct);
        var sequences = await ReadSequencesAsync(ct);
        await NextAsync(ct);
        await ReadReadsAsync(ct);
        await NextAsync(ct);
        var tables = await ReadColumnsAsync(sequences, ct);
        await NextAsync(ct);
        await ReadConstraintsAsync(tables, ct);
        await NextAsync(ct);
        var viewIndexes = await ReadIndexesAsync(tables, ct);
        await NextAsync(ct);
        var views = await ReadViewsAsync(viewIndexes, ct);

        // Sequences that serial and identity columns own are part of those columns, not stand-alone objects;
        // one that a table not read here owns (left out by a filter) goes with that table.
        var standAlone = sequences
            .Where(s => s.OwnerKind != "i" && !(s.OwnerKind == "a" && (IsSerialSequence(tables, s) || !tables.ContainsKey(s.OwnerTable!.Value))))
            .Select(s => new Sequence(s.Name.Schema, s.Name.Name, SequenceDefaults.ToOptions(s.Values, s.DataType, keepDataType: true), s.Comment));

        var model = new DatabaseModel(
            schemas.ToValueList(),
            enums.ToValueList(),
            standAlone.ToValueList(),
            tables.Values.Select(BuildTable).ToValueList(),
            views.ToValueList()) { SchemaComments = _schemaComments.ToValueList() };
        // The registered kinds' result sets follow the built-in ones', in the kinds' order.
        foreach (var kind in CatalogQueries.Kinds)
        {
            await NextAsync(ct);
            model = await kind.Read(this, model, ct);
        }
        return model.Normalize();
    }

    /// <summary>A text[] column (reloptions) as a list; NULL is none.</summary>
    private ValueList<string> Strings(int ordinal) => reader.IsDBNull(ordinal) ? [] : reader.GetFieldValue<string[]>(ordinal).ToValueList();

    private async Task NextAsync(CancellationToken ct)
    {
        if (!await reader.NextResultAsync(ct))
            throw new InvalidOperationException("The introspection batch returned fewer result sets than it has queries.");
    }

    private readonly List<SchemaComment> _schemaComments = [];

    private async Task<List<string>> ReadSchemasAsync(CancellationToken ct)
    {
        var schemas = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            schemas.Add(reader.GetString(0));
            // Every schema's, public's too: the model keeps those that differ from PostgreSQL's own (Normalize).
            _schemaComments.Add(new SchemaComment(reader.GetString(0), NullableString(1)));
        }
        return schemas;
    }

    private async Task<List<EnumType>> ReadEnumsAsync(CancellationToken ct)
    {
        var enums = new List<EnumType>();
        while (await reader.ReadAsync(ct))
            enums.Add(new EnumType(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2).ToValueList(), NullableString(3)));
        return enums;
    }

    private async Task<List<SequenceRow>> ReadSequencesAsync(CancellationToken ct)
    {
        var sequences = new List<SequenceRow>();
        while (await reader.ReadAsync(ct))
        {
            var values = new SequenceValues(
                Start: reader.GetInt64(3),
                Increment: reader.GetInt64(4),
                Min: reader.GetInt64(5),
                Max: reader.GetInt64(6),
                Cache: reader.GetInt64(7),
                Cycle: reader.GetBoolean(8));
            sequences.Add(new SequenceRow(
                new QualifiedName(reader.GetString(0), reader.GetString(1)),
                reader.GetString(2),
                values,
                reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetInt64(10),
                reader.IsDBNull(11) ? null : reader.GetInt32(11),
                NullableString(12),
                NullableString(13)));
        }
        return sequences;
    }

    private async Task<Dictionary<long, TableParts>> ReadColumnsAsync(List<SequenceRow> sequences, CancellationToken ct)
    {
        var owned = new Dictionary<(long Table, int Column, string Kind), SequenceRow>();
        foreach (var sequence in sequences)
        {
            if (sequence is { OwnerTable: { } table, OwnerColumn: { } column, OwnerKind: { } kind })
                owned.TryAdd((table, column, kind), sequence);
        }

        var tables = new Dictionary<long, TableParts>();
        while (await reader.ReadAsync(ct))
        {
            var oid = reader.GetInt64(0);
            if (!tables.TryGetValue(oid, out var table))
                tables.Add(oid, table = new TableParts(oid, reader.GetString(1), reader.GetString(2), NullableString(3)) { Unlogged = reader.GetBoolean(21), Partitioning = ReadPartitioning(), Inherits = ReadInherits(), Options = Strings(30), ClusterOn = NullableString(32) });
            if (reader.IsDBNull(4))
                continue; // a table without columns

            var number = reader.GetInt16(4);
            var name = reader.GetString(5);
            if (!reader.GetBoolean(27))
                table.InheritedOnly.Add(number);
            var notNull = reader.GetBoolean(6);
            var identityKind = reader.GetString(7);
            var generatedKind = reader.GetString(8);
            var type = ColumnTypes.FromCatalog(
                isArray: reader.GetBoolean(11),
                declaredDimensions: reader.GetInt16(9),
                typeModifier: reader.GetInt32(10),
                typeName: reader.GetString(12),
                typeSchema: reader.GetString(13),
                typeKind: reader.GetString(14),
                formattedType: reader.GetString(15));
            var defaultSql = NullableString(16);
            var prettyExpression = NullableString(17);
            var comment = NullableString(18);
            var reads = reader.IsDBNull(20) ? ExpressionReads.Unknown : _reads.Of('d', reader.GetInt64(20));

            Identity? identity = null;
            string? generatedAs = null;
            if (identityKind is "a" or "d")
            {
                var generation = identityKind == "a" ? IdentityGeneration.Always : IdentityGeneration.ByDefault;
                var options = owned.TryGetValue((oid, number, "i"), out var identitySequence)
                    ? SequenceDefaults.ToOptions(identitySequence.Values, identitySequence.DataType, keepDataType: false)
                    : SequenceOptions.Default;
                identity = new Identity(generation, options);
            }
            else if (generatedKind == "s")
            {
                generatedAs = prettyExpression;
                defaultSql = null;
            }
            // A serial column is exactly this: NOT NULL, DEFAULT nextval of a sequence the column owns. Anything
            // less (a nullable column, a borrowed sequence) stays an integer column with a default.
            else if (defaultSql is not null && notNull && type.ArrayDimensions == 0
                     && type.Kind is TypeKind.SmallInt or TypeKind.Integer or TypeKind.BigInt
                     && owned.TryGetValue((oid, number, "a"), out var serialSequence)
                     && defaultSql == SerialDefault(serialSequence))
            {
                type = type with
                {
                    Kind = type.Kind switch
                    {
                        TypeKind.SmallInt => TypeKind.SmallSerial,
                        TypeKind.Integer => TypeKind.Serial,
                        _ => TypeKind.BigSerial,
                    },
                };
                defaultSql = null;
            }

            if (defaultSql is not null)
                defaultSql = DefaultExpressions.Normalize(defaultSql, reader.GetString(19), type);
            if (defaultSql is null && generatedAs is null)
                reads = ExpressionReads.Unknown;
            table.Columns.Add((number, new Column(name, type, notNull, defaultSql, identity, generatedAs, comment, reads, NullableString(26), NullableString(31))));
        }
        return tables;
    }

    /// <summary>Columns 22 to 25 of the Columns query: the partition key, the parent's schema and name, the bound.</summary>
    private TablePartitioning? ReadPartitioning()
    {
        var key = NullableString(22);
        var parent = reader.IsDBNull(24) ? (QualifiedName?)null : new QualifiedName(reader.GetString(23), reader.GetString(24));
        return key is null && parent is null ? null : new TablePartitioning(key, parent, NullableString(25));
    }

    /// <summary>Columns 28 and 29 of the Columns query: the schemas and names of the INHERITS parents, in order.</summary>
    private ValueList<QualifiedName> ReadInherits()
    {
        if (reader.IsDBNull(28))
            return [];
        var schemas = reader.GetFieldValue<string[]>(28);
        var names = reader.GetFieldValue<string[]>(29);
        return schemas.Zip(names, (schema, name) => new QualifiedName(schema, name)).ToValueList();
    }

    private static string SerialDefault(SequenceRow sequence) => $"nextval({Strata.Dsl.SqlLiteral.Quote(sequence.RegclassText)}::regclass)";

    private static bool IsSerialSequence(Dictionary<long, TableParts> tables, SequenceRow sequence) =>
        sequence is { OwnerTable: { } table, OwnerColumn: { } column }
        && tables.TryGetValue(table, out var parts)
        && parts.Columns.Any(c => c.Number == column && c.Column.Type.IsSerial);

    private async Task ReadConstraintsAsync(Dictionary<long, TableParts> tables, CancellationToken ct)
    {
        while (await reader.ReadAsync(ct))
        {
            if (!tables.TryGetValue(reader.GetInt64(0), out var table))
                continue;
            var name = reader.GetString(1);
            // conkey is NULL for a check that reads no column (CHECK (false)).
            var columns = reader.IsDBNull(3) ? [] : reader.GetFieldValue<short[]>(3).Select(table.ColumnName).ToValueList();
            switch (reader.GetString(2))
            {
                case "p":
                    table.PrimaryKey = new PrimaryKey(name, columns, reader.GetBoolean(9), reader.GetBoolean(10), NullableString(16), Strings(17));
                    break;
                case "u":
                    table.Uniques.Add(new UniqueConstraint(name, columns, reader.GetBoolean(12), reader.GetBoolean(9), reader.GetBoolean(10), NullableString(16), Strings(17)));
                    break;
                case "c":
                    table.Checks.Add(new CheckConstraint(name, CheckExpression(reader.GetString(11)), _reads.Of('c', reader.GetInt64(13)), reader.GetBoolean(14), NullableString(16)));
                    break;
                case "f":
                    table.ForeignKeys.Add(new ForeignKey(
                        name,
                        columns,
                        new QualifiedName(reader.GetString(4), reader.GetString(5)),
                        reader.GetFieldValue<string[]>(6).ToValueList(),
                        Action(reader.GetString(7)),
                        Action(reader.GetString(8)),
                        reader.GetBoolean(9),
                        reader.GetBoolean(10),
                        reader.GetBoolean(15),
                        NullableString(16)));
                    break;
            }
        }
    }

    /// <summary><c>CHECK (price &gt; 0)</c> (perhaps followed by NOT VALID or NO INHERIT) → <c>price &gt; 0</c>.</summary>
    internal static string CheckExpression(string definition)
    {
        var text = definition.Trim();
        if (!text.StartsWith("CHECK (", StringComparison.Ordinal))
            return text;
        var close = SqlLexer.Tokenize(text).ClosingParenthesis("CHECK ".Length);
        return close < 0 ? text : text["CHECK (".Length..close];
    }

    private static ReferentialAction Action(string code) => code switch
    {
        "r" => ReferentialAction.Restrict,
        "c" => ReferentialAction.Cascade,
        "n" => ReferentialAction.SetNull,
        "d" => ReferentialAction.SetDefault,
        _ => ReferentialAction.NoAction,
    };

    /// <summary>Adds each index to its table; returns those of materialized views by the view's oid.</summary>
    private async Task<Dictionary<long, List<Model.Index>>> ReadIndexesAsync(Dictionary<long, TableParts> tables, CancellationToken ct)
    {
        var viewIndexes = new Dictionary<long, List<Model.Index>>();
        while (await reader.ReadAsync(ct))
        {
            var relation = reader.GetInt64(0);
            List<Model.Index> indexes;
            if (tables.TryGetValue(relation, out var table))
                indexes = table.Indexes;
            else if (!viewIndexes.TryGetValue(relation, out indexes!))
                viewIndexes.Add(relation, indexes = []);
            var keyCount = reader.GetInt16(4);
            var columns = reader.GetFieldValue<string?[]>(6);
            var expressions = reader.GetFieldValue<string?[]>(7);
            var options = reader.GetFieldValue<short[]>(8);
            var operatorClasses = reader.GetFieldValue<string?[]>(9);
            var collations = KeyCollations(14, reader.GetString(2));

            var elements = new List<IndexElement>();
            for (var k = 0; k < keyCount; k++)
                elements.Add(IndexKeyOf(columns[k], expressions[k], options[k], operatorClasses[k], collations[k]));

            indexes.Add(new Model.Index(
                Name: reader.GetString(1),
                Elements: elements.ToValueList(),
                Unique: reader.GetBoolean(3),
                Method: reader.GetString(2),
                Include: columns.Skip(keyCount).Select(c => c!).ToValueList(),
                Where: NullableString(10),
                NullsNotDistinct: reader.GetBoolean(5),
                Reads: elements.Any(e => e.Expression is not null) || !reader.IsDBNull(10) ? _reads.Of('i', reader.GetInt64(11)) : ExpressionReads.Unknown,
                Comment: NullableString(12),
                Options: Strings(13)));
        }
        return viewIndexes;
    }

    /// <summary>One key of an index (or of the index behind an exclusion constraint) from pg_index: its column or expression text, indoption bits and non-default operator class.</summary>
    private static IndexElement IndexKeyOf(string? column, string? expression, short option, string? operatorClass, (string? Name, string? Schema) collation)
    {
        var descending = (option & 1) != 0;
        var nullsFirst = (option & 2) != 0;
        return new IndexElement(
            Column: column,
            Expression: column is null ? StripOuterParentheses(expression!) : null,
            Direction: descending ? SortDirection.Descending : SortDirection.Ascending,
            // PostgreSQL puts NULLs first exactly when the order is descending, unless told otherwise.
            Nulls: nullsFirst == descending ? NullsOrder.Default : nullsFirst ? NullsOrder.First : NullsOrder.Last,
            OperatorClass: operatorClass,
            Collation: collation.Name,
            CollationSchema: collation.Name is null ? null : collation.Schema);
    }

    /// <summary>
    /// Each key's own COLLATE from the four columns of <c>CatalogQueries.IndexKeyCollations</c> from <paramref name="first"/>:
    /// a column's key has one when its collation is not the column's (the query says); an expression's when
    /// pg_get_indexdef writes COLLATE after it, which it does exactly when the key's collation is not the expression's.
    /// </summary>
    private (string? Name, string? Schema)[] KeyCollations(int first, string method)
    {
        var names = reader.GetFieldValue<string?[]>(first);
        var schemas = reader.GetFieldValue<string?[]>(first + 1);
        var keys = new (string?, string?)[names.Length];
        for (var k = 0; k < names.Length; k++)
            keys[k] = (names[k], k < schemas.Length ? schemas[k] : null);
        if (reader.IsDBNull(first + 2))
            return keys;
        var printed = PrintedKeysWithCollate(reader.GetFieldValue<string[]>(first + 2), reader.GetString(first + 3), method);
        for (var k = 0; k < keys.Length; k++)
        {
            if (printed is not null && k < printed.Length && !printed[k])
                keys[k] = (null, null);
        }
        return keys;
    }

    /// <summary>
    /// Which keys pg_get_indexdef writes with COLLATE in <paramref name="definition"/>, walking its key list
    /// (<c>USING method (key [COLLATE c] [opclass] [DESC] [NULLS …], …)</c>) by each key's own printed text; null when
    /// the walk loses its way (the collations are then all kept, which is what PostgreSQL holds).
    /// </summary>
    internal static bool[]? PrintedKeysWithCollate(string[] keyTexts, string definition, string method)
    {
        var opening = $" USING {method} (";
        var at = keyTexts.Length == 0 ? -1 : definition.IndexOf(opening + keyTexts[0], StringComparison.Ordinal);
        if (at < 0)
            return null;
        at += opening.Length;
        var collated = new bool[keyTexts.Length];
        for (var k = 0; k < keyTexts.Length; k++)
        {
            if (k > 0)
            {
                at = definition.IndexOf(", " + keyTexts[k], at, StringComparison.Ordinal);
                if (at < 0)
                    return null;
                at += 2;
            }
            if (string.CompareOrdinal(definition, at, keyTexts[k], 0, keyTexts[k].Length) != 0)
                return null;
            at += keyTexts[k].Length;
            collated[k] = string.CompareOrdinal(definition, at, " COLLATE ", 0, " COLLATE ".Length) == 0;
        }
        return collated;
    }

    /// <summary>pg_get_indexdef wraps an expression key in parentheses unless it is a function call; the model holds it bare.</summary>
    internal static string StripOuterParentheses(string expression)
    {
        var text = expression.Trim();
        return text.StartsWith('(') && SqlLexer.Tokenize(text).ClosingParenthesis(0) == text.Length - 1 ? text[1..^1].Trim() : text;
    }

    private async Task<List<View>> ReadViewsAsync(Dictionary<long, List<Model.Index>> indexes, CancellationToken ct)
    {
        var views = new List<View>();
        while (await reader.ReadAsync(ct))
        {
            var dependsOn = new List<QualifiedName>();
            if (!reader.IsDBNull(5))
            {
                var pairs = reader.GetFieldValue<string[,]>(5);
                for (var i = 0; i < pairs.GetLength(0); i++)
                    dependsOn.Add(new QualifiedName(pairs[i, 0], pairs[i, 1]));
            }
            views.Add(new View(
                reader.GetString(0),
                reader.GetString(1),
                ViewDefinition(reader.GetString(3)),
                reader.GetBoolean(2),
                dependsOn.ToValueList(),
                NullableString(4),
                indexes.TryGetValue(reader.GetInt64(6), out var viewIndexes) ? viewIndexes.ToValueList() : [],
                reader.IsDBNull(7) ? ExpressionReads.Nothing : _reads.Of('v', reader.GetInt64(7)),
                Strings(8),
                NullableString(9)));
        }
        return views;
    }

    /// <summary>pg_get_viewdef starts with a space and ends with ';'; the model holds the bare query.</summary>
    internal static string ViewDefinition(string definition) => definition.Trim().TrimEnd(';').TrimEnd();

    private static Table BuildTable(TableParts parts) => new(
        parts.Schema,
        parts.Name,
        // A partition's columns are its parent's (read to name its constraints' columns, not modelled).
        // An inheriting table's are those it declares itself (attislocal), as pg_dump prints it; the rest are its parents'.
        parts.Partitioning?.Parent is null
            ? parts.Columns.Where(c => !parts.InheritedOnly.Contains(c.Number)).OrderBy(c => c.Number).Select(c => c.Column).ToValueList()
            : [],
        parts.PrimaryKey,
        parts.Uniques.ToValueList(),
        parts.Checks.ToValueList(),
        parts.ForeignKeys.ToValueList(),
        parts.Indexes.ToValueList(),
        parts.Comment,
        parts.Unlogged,
        parts.Partitioning,
        parts.Inherits,
        parts.Options,
        parts.ClusterOn);

    /// <summary>
    /// The rows of <see cref="CatalogQueries.Reads"/>: (object kind, object oid, kind, schema, name, column), kept
    /// by object until the queries of those objects name them (by oid; see that query for why it is one query).
    /// </summary>
    private async Task ReadReadsAsync(CancellationToken ct)
    {
        while (await reader.ReadAsync(ct))
        {
            var objects = _reads.For(reader.GetChar(0));
            var oid = reader.GetInt64(1);
            if (!objects.TryGetValue(oid, out var reads))
                objects.Add(oid, reads = []);
            var kind = reader.GetString(2) switch
            {
                "column" => ReadKind.Column,
                "relation" => ReadKind.Relation,
                "sequence" => ReadKind.Sequence,
                "type" => ReadKind.Type,
                _ => ReadKind.Function,
            };
            if (NullableString(3) is { } schema && NullableString(4) is { } name)
                reads.Add(new ReadObject(kind, new QualifiedName(schema, name), kind == ReadKind.Column ? NullableString(5) : null));
        }
    }

    /// <summary>
    /// What each default ('d'), check ('c'), index ('i'), view ('v') and registered kind's object
    /// (<see cref="CatalogKind.ReadsObjectKinds"/>) reads, by the object's oid in its catalog.
    /// </summary>
    private sealed class RecordedReads
    {
        // By object_kind letter, an ASCII letter (an array rather than a Dictionary<char, …>: generic code over a value
        // type is JIT-compiled on every run).
        private readonly Dictionary<long, List<ReadObject>>?[] _byObjectKind = new Dictionary<long, List<ReadObject>>?[128];

        public RecordedReads()
        {
            foreach (var objectKind in "dciv")
                _byObjectKind[objectKind] = [];
            foreach (var kind in CatalogQueries.Kinds)
            {
                foreach (var objectKind in kind.ReadsObjectKinds)
                {
                    if (objectKind >= _byObjectKind.Length || _byObjectKind[objectKind] is not null)
                        throw new InvalidOperationException($"The object kind '{objectKind}' of the reads query is not a letter of its own.");
                    _byObjectKind[objectKind] = [];
                }
            }
        }

        public Dictionary<long, List<ReadObject>> For(char objectKind) =>
            (objectKind < _byObjectKind.Length ? _byObjectKind[objectKind] : null)
            ?? throw new InvalidOperationException($"Unknown kind of object '{objectKind}' in the reads query.");

        /// <summary>What the object reads; an object without rows reads nothing of ours.</summary>
        public ExpressionReads Of(char objectKind, long oid) =>
            For(objectKind).TryGetValue(oid, out var reads) ? new ExpressionReads(reads) : ExpressionReads.Nothing;
    }

    private string? NullableString(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

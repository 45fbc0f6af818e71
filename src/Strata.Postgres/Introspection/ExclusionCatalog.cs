using Strata.Model;

namespace Strata.Postgres.Introspection;

// Exclusion constraints read from the catalog, in one file: the query of the tables' exclusion constraints (pg_constraint
// contype 'x' with the pg_index that enforces each) and their reading into the model. What their expressions and
// predicate read is their index's row ('i') of the Reads query, which reads every index with an expression or predicate.

internal static partial class CatalogQueries
{
    internal static readonly CatalogKind ExclusionCatalog = Register(new(Order: 37, ExclusionsQuery,
        static (reader, model, ct) => reader.ReadExclusionsAsync(model, ct)));

    /// <summary>
    /// The exclusion constraints of the tables the Columns query reads (conparentid &lt;&gt; 0 are a partition's copies),
    /// read as the Indexes query reads an index: key and included columns by name (NULL for an expression), the
    /// expression text per key, indoption, the operator class when not the type's default, the predicate; then the
    /// operators (conexclop, qualified as PostgreSQL prints them outside pg_catalog and public), the index's storage
    /// parameters, the timing and the index's oid.
    /// </summary>
    private static string ExclusionsQuery() => $"""
        {TablesCte}
        SELECT c.nspname::text, c.relname::text, con.conname::text, am.amname::text, i.indnkeyatts,
               {IndexKeys},
               ARRAY(SELECT CASE WHEN opn.nspname IN ('pg_catalog', 'public') THEN op.oprname::text
                                 ELSE 'OPERATOR(' || pg_catalog.quote_ident(opn.nspname) || '.' || op.oprname || ')' END
                     FROM unnest(con.conexclop) WITH ORDINALITY x(oid, ord)
                     JOIN pg_catalog.pg_operator op ON op.oid = x.oid
                     JOIN pg_catalog.pg_namespace opn ON opn.oid = op.oprnamespace ORDER BY x.ord),
               COALESCE(ic.reloptions, '{"{}"}'::text[]), con.condeferrable, con.condeferred, i.indexrelid::int8,
               {IndexKeyCollations}
        FROM tables c
        JOIN pg_catalog.pg_constraint con ON con.conrelid = c.oid AND con.contype = 'x' AND con.conparentid = 0
        JOIN pg_catalog.pg_index i ON i.indexrelid = con.conindid
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_catalog.pg_am am ON am.oid = ic.relam
        """;
}

internal sealed partial class ModelReader
{
    /// <summary>The tables' exclusion constraints, one row each.</summary>
    internal async Task<DatabaseModel> ReadExclusionsAsync(DatabaseModel model, CancellationToken ct)
    {
        var tables = new List<QualifiedName>();
        var byTable = new Dictionary<QualifiedName, List<ExclusionConstraint>>();
        while (await reader.ReadAsync(ct))
        {
            var table = new QualifiedName(reader.GetString(0), reader.GetString(1));
            if (!byTable.TryGetValue(table, out var constraints))
            {
                byTable.Add(table, constraints = []);
                tables.Add(table);
            }
            var keyCount = reader.GetInt16(4);
            var columns = reader.GetFieldValue<string?[]>(5);
            var expressions = reader.GetFieldValue<string?[]>(6);
            var options = reader.GetFieldValue<short[]>(7);
            var operatorClasses = reader.GetFieldValue<string?[]>(8);
            var operators = reader.GetFieldValue<string[]>(10);
            var collations = KeyCollations(15, reader.GetString(3));
            var elements = new List<ExclusionElement>();
            for (var k = 0; k < keyCount; k++)
                elements.Add(new ExclusionElement(IndexKeyOf(columns[k], expressions[k], options[k], operatorClasses[k], collations[k]), operators[k]));
            constraints.Add(new ExclusionConstraint(
                Name: reader.GetString(2),
                Elements: elements.ToValueList(),
                Method: reader.GetString(3),
                Include: columns.Skip(keyCount).Select(c => c!).ToValueList(),
                StorageParameters: reader.GetFieldValue<string[]>(11).ToValueList(),
                Where: NullableString(9),
                Deferrable: reader.GetBoolean(12),
                InitiallyDeferred: reader.GetBoolean(13),
                Reads: elements.Any(e => e.Key.Expression is not null) || !reader.IsDBNull(9) ? _reads.Of('i', reader.GetInt64(14)) : ExpressionReads.Unknown));
        }
        return model with { Exclusions = tables.Select(t => new TableExclusions(t.Schema, t.Name, byTable[t].ToValueList())).ToValueList() };
    }
}

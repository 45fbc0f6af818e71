using System.Text;
using Strata.Model;

namespace Strata.Postgres.Introspection;

// Triggers read from the catalog, in one file: the query of the triggers of the tables and views the introspector
// reads (pg_trigger), what their WHEN and UPDATE OF read (their part of the Reads query), and their reading into the
// model. Internal triggers (a foreign key's) and the clones PostgreSQL makes on partitions (tgparentid) are not the
// schema's: the parent's trigger is.

internal static partial class CatalogQueries
{
    internal static readonly CatalogKind TriggerCatalog = Register(new(Order: 46, TriggersQuery,
        static (reader, model, ct) => reader.ReadTriggersAsync(model, ct),
        ReadsObjectKinds: "g", Reads: TriggerReads));

    /// <summary>
    /// The triggers, one row each: tgtype's bits (ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32,
    /// INSTEAD 64), the enabled state, the function, the arguments as tgargs' bytes (each ended by a NUL), the UPDATE OF
    /// columns by name, WHEN as PostgreSQL prints it in the trigger's definition (not pretty: pg_dump's advice, its
    /// pretty form may leave out parentheses it needs), the transition tables, the constraint trigger's options and FROM
    /// table, the comment and the trigger's oid (what WHEN and UPDATE OF read is in <see cref="Reads"/>).
    /// </summary>
    private static string TriggersQuery() => $"""
        {RelationsCte("'r', 'p', 'v'")}
        SELECT c.nspname::text, c.relname::text, tg.tgname::text, tg.tgtype::int4, tg.tgenabled::text,
               fn.nspname::text, f.proname::text, tg.tgargs, tg.tgnargs::int4,
               ARRAY(SELECT a.attname::text FROM unnest(tg.tgattr::int2[]) WITH ORDINALITY k(num, ord)
                     JOIN pg_catalog.pg_attribute a ON a.attrelid = tg.tgrelid AND a.attnum = k.num ORDER BY k.ord),
               substring(pg_catalog.pg_get_triggerdef(tg.oid, false) from 'WHEN \((.*)\) EXECUTE (?:FUNCTION|PROCEDURE) '),
               tg.tgoldtable::text, tg.tgnewtable::text, tg.tgconstraint <> 0, tg.tgdeferrable, tg.tginitdeferred,
               rn.nspname::text, rc.relname::text, {Comment("tg.oid", "pg_trigger")}, tg.oid::int8
        FROM tables c
        JOIN pg_catalog.pg_trigger tg ON tg.tgrelid = c.oid
        JOIN pg_catalog.pg_proc f ON f.oid = tg.tgfoid
        JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace
        LEFT JOIN pg_catalog.pg_class rc ON rc.oid = tg.tgconstrrelid
        LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
        WHERE NOT tg.tgisinternal AND tg.tgparentid = 0
        """;

    /// <summary>In <see cref="Reads"/>: 'g' a trigger by its pg_trigger oid (its dependency on its own table as a whole left out).</summary>
    private static ReadsPart TriggerReads() => new(
        Objects: """
                UNION ALL
                SELECT 'g', 'pg_catalog.pg_trigger'::regclass, tg.oid, tg.tgrelid, 0, NULL
                FROM tables c JOIN pg_catalog.pg_trigger tg ON tg.tgrelid = c.oid AND NOT tg.tgisinternal AND tg.tgparentid = 0
            """);
}

internal sealed partial class ModelReader
{
    /// <summary>The triggers, grouped by their table or view.</summary>
    internal async Task<DatabaseModel> ReadTriggersAsync(DatabaseModel model, CancellationToken ct)
    {
        var byRelation = new Dictionary<QualifiedName, List<Trigger>>();
        while (await reader.ReadAsync(ct))
        {
            var relation = new QualifiedName(reader.GetString(0), reader.GetString(1));
            if (!byRelation.TryGetValue(relation, out var triggers))
                byRelation.Add(relation, triggers = []);
            var type = reader.GetInt32(3);
            var events = new List<TriggerEvent>();
            if ((type & 4) != 0)
                events.Add(TriggerEvent.Insert);
            if ((type & 16) != 0)
                events.Add(TriggerEvent.Update);
            if ((type & 8) != 0)
                events.Add(TriggerEvent.Delete);
            if ((type & 32) != 0)
                events.Add(TriggerEvent.Truncate);
            triggers.Add(new Trigger(
                reader.GetString(2),
                (type & 2) != 0 ? TriggerTiming.Before : (type & 64) != 0 ? TriggerTiming.InsteadOf : TriggerTiming.After,
                events.ToValueList(),
                new QualifiedName(reader.GetString(5), reader.GetString(6)),
                ForEachRow: (type & 1) != 0,
                UpdateOf: reader.GetFieldValue<string[]>(9).ToValueList(),
                When: NullableString(10),
                Arguments: TriggerArguments(reader.GetFieldValue<byte[]>(7), reader.GetInt32(8)),
                OldTable: NullableString(11),
                NewTable: NullableString(12),
                Constraint: reader.GetBoolean(13),
                Deferrable: reader.GetBoolean(14),
                InitiallyDeferred: reader.GetBoolean(15),
                From: reader.IsDBNull(16) ? null : new QualifiedName(reader.GetString(16), reader.GetString(17)),
                Enabled: reader.GetString(4) switch
                {
                    "D" => TriggerEnabled.Disabled,
                    "R" => TriggerEnabled.Replica,
                    "A" => TriggerEnabled.Always,
                    _ => TriggerEnabled.Origin,
                },
                Comment: NullableString(18),
                Reads: _reads.Of('g', reader.GetInt64(19))));
        }
        return model with
        {
            Triggers = byRelation.Select(r => new RelationTriggers(r.Key.Schema, r.Key.Name, r.Value.ToValueList())).ToValueList(),
        };
    }

    /// <summary>tgargs: each argument's UTF-8 bytes followed by a NUL.</summary>
    private static ValueList<string> TriggerArguments(byte[] bytes, int count)
    {
        var arguments = new List<string>(count);
        var start = 0;
        for (var i = 0; i < bytes.Length && arguments.Count < count; i++)
        {
            if (bytes[i] != 0)
                continue;
            arguments.Add(Encoding.UTF8.GetString(bytes, start, i - start));
            start = i + 1;
        }
        return arguments.ToValueList();
    }
}

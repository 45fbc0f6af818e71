using System.Globalization;
using System.Text;

namespace Strata.Bench.SchemaGen;

/// <summary>
/// Writes the same schema as a drizzle-kit project: <c>schema.ts</c> and <c>drizzle.config.ts</c>
/// (migrations go to <c>migrations/</c>; the database, for migrate, pull and push, is <c>$DATABASE_URL</c>). Every constraint and index is named exactly as Strata names it,
/// so both tools are asked for the same SQL objects.
/// </summary>
internal static class DrizzleWriter
{
    public static void Write(BenchSchemaSpec spec, string directory, string header)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "drizzle.config.ts"),
            $$"""
            // {{header}}
            import { defineConfig } from "drizzle-kit";

            export default defineConfig({
              dialect: "postgresql",
              schema: "./schema.ts",
              out: "./migrations",
              // migrate, pull and push connect to $DATABASE_URL (bench/run sets it); generate needs no database.
              ...(process.env.DATABASE_URL ? { dbCredentials: { url: process.env.DATABASE_URL } } : {}),
            });

            """);

        var text = new StringBuilder();
        text.Append("// ").Append(header).Append('\n');
        text.Append("import { sql } from \"drizzle-orm\";\n");
        text.Append("import { bigint, boolean, check, foreignKey, index, integer, jsonb, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from \"drizzle-orm/pg-core\";\n\n");
        foreach (var e in spec.Enums)
            text.Append("export const ").Append(Identifier(e.Name)).Append("Enum = pgEnum(").Append(Literal(e.Name))
                .Append(", [").AppendJoin(", ", e.Values.Select(Literal)).Append("]);\n");
        text.Append('\n');
        foreach (var table in spec.Tables)
            AppendTable(text, table);
        File.WriteAllText(Path.Combine(directory, "schema.ts"), text.ToString());
    }

    private static void AppendTable(StringBuilder text, TableSpec table)
    {
        text.Append("export const ").Append(Identifier(table.Name)).Append(" = pgTable(").Append(Literal(table.Name)).Append(", {\n");
        foreach (var column in table.Columns)
        {
            text.Append("  ").Append(column.Name).Append(": ").Append(TypeOf(column));
            if (column.Kind == ColumnKind.IdentityKey)
                text.Append(".primaryKey().generatedAlwaysAsIdentity()");
            else if (column.NotNull)
                text.Append(".notNull()");
            if (column.Default is not null)
                text.Append(".default(").Append(DefaultLiteral(column.Default)).Append(')');
            if (column.DefaultSql is not null)
                text.Append(".default(sql`").Append(column.DefaultSql).Append("`)");
            text.Append(",\n");
        }
        text.Append("}, (t) => [\n");
        foreach (var index in table.Indexes)
            text.Append("  ").Append(index.Unique ? "uniqueIndex(" : "index(").Append(Literal(index.Name)).Append(").on(")
                .AppendJoin(", ", index.Columns.Select(c => "t." + c)).Append("),\n");
        foreach (var foreignKey in table.ForeignKeys)
        {
            var target = foreignKey.ReferencedTable == table.Name ? "t.id" : Identifier(foreignKey.ReferencedTable) + ".id";
            text.Append("  foreignKey({ name: ").Append(Literal(foreignKey.Name)).Append(", columns: [t.").Append(foreignKey.Column)
                .Append("], foreignColumns: [").Append(target).Append("] }).onDelete(").Append(Literal(foreignKey.OnDelete)).Append("),\n");
        }
        foreach (var check in table.Checks)
            text.Append("  check(").Append(Literal(check.Name)).Append(", sql`").Append(check.Expression).Append("`),\n");
        text.Append("]);\n\n");
    }

    private static string TypeOf(ColumnSpec column) => column.Kind switch
    {
        ColumnKind.IdentityKey or ColumnKind.BigInt => $"bigint({Literal(column.Name)}, {{ mode: \"number\" }})",
        ColumnKind.Text => $"text({Literal(column.Name)})",
        ColumnKind.Varchar => $"varchar({Literal(column.Name)}, {{ length: {column.Length} }})",
        ColumnKind.Integer => $"integer({Literal(column.Name)})",
        ColumnKind.Numeric => $"numeric({Literal(column.Name)}, {{ precision: 12, scale: 2 }})",
        ColumnKind.Boolean => $"boolean({Literal(column.Name)})",
        ColumnKind.TimestampTz => $"timestamp({Literal(column.Name)}, {{ withTimezone: true }})",
        ColumnKind.Jsonb => $"jsonb({Literal(column.Name)})",
        ColumnKind.Uuid => $"uuid({Literal(column.Name)})",
        ColumnKind.Enum => $"{Identifier(column.EnumName!)}Enum({Literal(column.Name)})",
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Kind, null),
    };

    private static string DefaultLiteral(object value) => value switch
    {
        bool b => b ? "true" : "false",
        int n => n.ToString(CultureInfo.InvariantCulture),
        string s => Literal(s),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    /// <summary><c>order_status</c> → <c>orderStatus</c>, <c>invoice_0001</c> → <c>invoice0001</c>.</summary>
    private static string Identifier(string sqlName)
    {
        var parts = sqlName.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.IsLetter(p[0]) ? char.ToUpperInvariant(p[0]) + p[1..] : p));
    }

    private static string Literal(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

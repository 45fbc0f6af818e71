using System.Globalization;
using Strata.Sql;

namespace Strata.Postgres.Linting;

/// <summary>
/// A column type as a migration writes it, read from its lexemes: the type's canonical name (<c>integer</c> for
/// int, int4 and integer; <c>varchar</c> for character varying; <c>char</c> for character and bpchar;
/// <c>timestamptz</c> for timestamp with time zone), its modifiers and whether it is an array.
/// </summary>
internal sealed record SqlType(string Name, IReadOnlyList<int> Modifiers, bool IsArray, string Text)
{
    public bool IsInteger32OrLess => !IsArray && Name is "integer" or "smallint" or "serial" or "smallserial";

    public bool IsSerial => !IsArray && Name is "serial" or "smallserial" or "bigserial";

    /// <summary>
    /// Whether changing a column from <paramref name="old"/> to this type keeps its stored bytes, so PostgreSQL
    /// neither rewrites the table nor rebuilds its indexes: a longer or unlimited varchar, varchar to text, a numeric
    /// of more precision and the same scale (or unconstrained), cidr to inet.
    /// </summary>
    public bool IsBinaryCoercibleWideningOf(SqlType old)
    {
        if (IsArray != old.IsArray)
            return false;
        if (Name == old.Name && Modifiers.SequenceEqual(old.Modifiers))
            return true;
        return (old.Name, Name) switch
        {
            ("varchar", "varchar") => Modifiers.Count == 0 || old.Modifiers.Count == 1 && Modifiers[0] >= old.Modifiers[0],
            ("varchar", "text") => true,
            ("text", "varchar") => Modifiers.Count == 0,
            ("numeric", "numeric") => Modifiers.Count == 0
                || old.Modifiers.Count > 0 && Modifiers[0] >= old.Modifiers[0] && Scale(Modifiers) == Scale(old.Modifiers),
            ("cidr", "inet") => true,
            _ => false,
        };

        static int Scale(IReadOnlyList<int> modifiers) => modifiers.Count > 1 ? modifiers[1] : 0;
    }

    /// <summary>Reads a type at <paramref name="i"/> and moves past it; null when no name stands there.</summary>
    public static SqlType? Read(SqlText text, IReadOnlyList<SqlLexeme> lexemes, ref int i, int end)
    {
        if (i >= end || !lexemes[i].IsName)
            return null;
        var start = i;
        var name = lexemes[i].Value;
        i++;
        // A qualified name: pg_catalog's types by their own name, a type of the user's as schema.name.
        if (i + 1 < end && lexemes[i].Is(".") && lexemes[i + 1].IsName)
        {
            name = name == "pg_catalog" ? lexemes[i + 1].Value : name + "." + lexemes[i + 1].Value;
            i += 2;
        }
        bool WordAt(int at, string word) => at < end && lexemes[at].Kind == SqlLexemeKind.Word && lexemes[at].Value == word;
        if (name is "character" or "char" && WordAt(i, "varying"))
        {
            name = "varchar";
            i++;
        }
        else if (name == "double" && WordAt(i, "precision"))
        {
            name = "double precision";
            i++;
        }
        else if (name == "bit" && WordAt(i, "varying"))
        {
            name = "varbit";
            i++;
        }
        var modifiers = new List<int>();
        if (i < end && lexemes[i].Is("("))
        {
            i++;
            while (i < end && !lexemes[i].Is(")"))
            {
                if (lexemes[i].Kind == SqlLexemeKind.Number && int.TryParse(lexemes[i].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                    modifiers.Add(number);
                i++;
            }
            i++;
        }
        if (name is "timestamp" or "time")
        {
            if (WordAt(i, "with") && WordAt(i + 1, "time") && WordAt(i + 2, "zone"))
            {
                name += "tz";
                i += 3;
            }
            else if (WordAt(i, "without") && WordAt(i + 1, "time") && WordAt(i + 2, "zone"))
            {
                i += 3;
            }
        }
        var isArray = false;
        while (i < end && (lexemes[i].Is("[") || WordAt(i, "array")))
        {
            isArray = true;
            i++;
            while (i < end && lexemes[i].Kind == SqlLexemeKind.Number || i < end && lexemes[i].Is("]"))
                i++;
        }
        var canonical = name switch
        {
            "int" or "int4" => "integer",
            "int8" => "bigint",
            "int2" => "smallint",
            "serial4" => "serial",
            "serial8" => "bigserial",
            "serial2" => "smallserial",
            "character" or "bpchar" => "char",
            "decimal" => "numeric",
            "float8" => "double precision",
            "bool" => "boolean",
            _ => name,
        };
        var source = text.Text[lexemes[start].Start..lexemes[i - 1].End];
        return new SqlType(canonical, modifiers, isArray, source);
    }
}

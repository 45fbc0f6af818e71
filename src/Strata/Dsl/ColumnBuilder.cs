using System.Globalization;
using Strata.Model;
using Strata.Sql;

namespace Strata.Dsl;

/// <summary>Declares one column. Methods return the builder so a column reads as one line.</summary>
public sealed partial class ColumnBuilder
{
    private readonly TableBuilder _table;
    private readonly string _name;
    private readonly ColumnType _type;
    private bool _notNull;
    private string? _default;
    private Identity? _identity;
    private string? _generatedAs;
    private string? _comment;
    private string? _collation;
    private string? _collationSchema;

    internal ColumnBuilder(TableBuilder table, string name, ColumnType type)
    {
        _table = table;
        _name = name;
        _type = type;
    }

    public ColumnBuilder NotNull()
    {
        _notNull = true;
        return this;
    }

    /// <summary>A literal default: strings, numbers, booleans, Guid, DateOnly, DateTime (as an ISO literal). Use <see cref="DefaultSql"/> for expressions.</summary>
    public ColumnBuilder Default(object value)
    {
        _default = SqlLiteral.From(value);
        return this;
    }

    /// <summary>A default SQL expression written as is: <c>now()</c>, <c>gen_random_uuid()</c>, <c>'{}'::jsonb</c>.</summary>
    public ColumnBuilder DefaultSql(string expression)
    {
        _default = expression;
        return this;
    }

    /// <summary>An identity column (GENERATED ALWAYS or BY DEFAULT AS IDENTITY), with optional sequence options.</summary>
    public ColumnBuilder Identity(IdentityGeneration generation = IdentityGeneration.Always, SequenceOptions? options = null)
    {
        _identity = new Identity(generation, options ?? SequenceOptions.Default);
        return this;
    }

    /// <summary>A stored generated column: GENERATED ALWAYS AS (<paramref name="expression"/>) STORED.</summary>
    public ColumnBuilder GeneratedAs(string expression)
    {
        _generatedAs = expression;
        return this;
    }

    /// <summary>Makes this column the table's primary key (<c>{table}_pkey</c>).</summary>
    public ColumnBuilder PrimaryKey()
    {
        _table.SetPrimaryKeyFromColumn(_name);
        return this;
    }

    /// <summary>A single-column unique constraint (<c>{table}_{column}_key</c> unless named).</summary>
    public ColumnBuilder Unique(string? name = null, bool nullsNotDistinct = false)
    {
        var unique = _table.Unique(_name);
        if (name is not null)
            unique.Named(name);
        if (nullsNotDistinct)
            unique.NullsNotDistinct();
        return this;
    }

    /// <summary>A single-column check (<c>{table}_{column}_check</c> unless named).</summary>
    public ColumnBuilder Check(string expression, string? name = null)
    {
        _table.AddCheck(new CheckConstraint(name ?? NamingConvention.ColumnCheck(_table.Name, _name), expression));
        return this;
    }

    /// <summary>A single-column foreign key (<c>{table}_{column}_fkey</c>); an unqualified table is in this table's schema.</summary>
    public ColumnBuilder References(
        string table,
        string column,
        ReferentialAction onDelete = ReferentialAction.NoAction,
        ReferentialAction onUpdate = ReferentialAction.NoAction,
        string? name = null)
    {
        var foreignKey = _table.ForeignKey(_name).References(table, column).OnDelete(onDelete).OnUpdate(onUpdate);
        if (name is not null)
            foreignKey.Named(name);
        return this;
    }

    public ColumnBuilder Comment(string comment)
    {
        _comment = comment;
        return this;
    }

    /// <summary>COLLATE: how the column's text sorts and compares, by collation name (<c>"C"</c>, or one of db.Collation); text types only.</summary>
    public ColumnBuilder Collate(string collation)
    {
        _collation = collation;
        _collationSchema = null;
        return this;
    }

    internal Column Build() => new(_name, _type, _notNull, _default, _identity, _generatedAs, _comment, Collation: _collation, CollationSchema: _collationSchema);
}

/// <summary>Turns C# values into PostgreSQL literals for defaults.</summary>
public static class SqlLiteral
{
    public static string From(object value) => value switch
    {
        string s => Quote(s),
        bool b => b ? "true" : "false",
        char c => Quote(c.ToString()),
        Guid g => Quote(g.ToString()),
        DateOnly d => Quote(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTime dt => Quote(dt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture)),
        Enum e => Quote(e.ToString()),
        IFormattable f when IsNumber(value) => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"A default of type {value.GetType().Name} has no literal form; use DefaultSql(\"…\") with the SQL expression.", nameof(value)),
    };

    /// <summary>
    /// The one string-literal writer: embedded quotes doubled (<c>it's</c> becomes <c>'it''s'</c>;
    /// standard_conforming_strings is on since PostgreSQL 9.1). Text with a line that a migration file
    /// would read as a directive is written on one line in escape form (<c>E'a\n-- strata:…'</c>), and so is
    /// text with a carriage return, which a migration file's line reader would drop at a line's end.
    /// </summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('\0'))
            throw new ArgumentException("A PostgreSQL string cannot contain a NUL character.", nameof(text));
        if (!SqlLexer.HasDirectiveLine(text) && !text.Contains('\r'))
            return "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
        var escaped = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
        return "E'" + escaped + "'";
    }

    /// <summary>The text of a default that is a plain string literal (<c>'ok'</c> or <c>'ok'::mood</c>), else null.</summary>
    public static string? TryReadString(string sql)
    {
        var text = SqlLexer.Tokenize(sql.Trim());
        if (text.Tokens is not [{ Kind: SqlTokenKind.String } literal, ..] || !text.IsClosed(literal))
            return null;
        var rest = text.Text.AsSpan(literal.End).Trim();
        return rest.IsEmpty || rest.StartsWith("::", StringComparison.Ordinal) ? SqlLexer.StringValue(text[literal]) : null;
    }

    private static bool IsNumber(object value) =>
        value is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal;
}

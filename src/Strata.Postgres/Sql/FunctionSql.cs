using System.Globalization;
using System.Text;
using Strata.Diffing;
using Strata.Model;
using static Strata.Postgres.Sql.SqlIdentifier;

namespace Strata.Postgres.Sql;

// PostgreSQL functions and procedures in SQL, in one file: CREATE, CREATE OR REPLACE, ALTER … RENAME, DROP and COMMENT ON.
// The down script needs nothing of its own: it is the inverse diff (the down of a CREATE OR REPLACE is the old definition).
public static partial class PostgresSqlGenerator
{
    internal static readonly KindSql FunctionSql = Register(new KindSql()
        .Writes<CreateFunction>((c, output) => WriteCreateFunction(c.Function, replace: false, output), c => $"{RoutineWord(c.Function)} {c.Function.Schema}.{c.Function.Signature}")
        .Writes<ReplaceFunction>((c, output) => WriteCreateFunction(c.To, replace: true, output), c => $"{RoutineWord(c.To)} {c.To.Schema}.{c.To.Signature}")
        .Writes<DropFunction>((c, output) => output.Add(new SqlStatement($"DROP {RoutineKeyword(c.Function)} {FunctionIdentity(c.Function)};")))
        .Writes<RenameFunction>((c, output) => output.Add(new SqlStatement($"ALTER {RoutineKeyword(c.From)} {FunctionIdentity(c.From)} RENAME TO {Quote(c.To)};")))
        .Writes<CommentOnFunction>((c, output) => output.Add(new SqlStatement(FunctionCommentSql(c.Function)))));

    private static string RoutineWord(Function function) => function.Kind == RoutineKind.Procedure ? "Procedure" : "Function";

    private static string RoutineKeyword(Function function) => function.Kind == RoutineKind.Procedure ? "PROCEDURE" : "FUNCTION";

    /// <summary>How DROP, ALTER and COMMENT name a routine: its qualified name and input argument types.</summary>
    private static string FunctionIdentity(Function function) =>
        $"{Quote(function.QualifiedName)}({string.Join(", ", function.Arguments.Where(a => a.IsInput).Select(a => (a.Mode == ArgumentMode.Variadic ? "VARIADIC " : "") + TypeSql(a.Type)))})";

    private static string FunctionCommentSql(Function function) =>
        $"COMMENT ON {RoutineKeyword(function)} {FunctionIdentity(function)} IS {(function.Comment is { } comment ? Literal(comment) : "NULL")};";

    private static void WriteCreateFunction(Function function, bool replace, List<SqlStatement> output)
    {
        // A LANGUAGE sql body is parsed and checked against the tables at CREATE unless check_function_bodies is off
        // (pg_dump turns it off for the same reason): the function is created before the tables it may read. (A
        // SQL-standard body is parsed whatever the setting: that function is created after what it reads.)
        if (function.Language == "sql" && !function.HasStandardBody)
            output.Add(new SqlStatement("SET LOCAL check_function_bodies = off;"));
        output.Add(new SqlStatement(CreateFunctionSql(function, replace)));
        if (!replace && function.Comment is not null)
            output.Add(new SqlStatement(FunctionCommentSql(function)));
    }

    internal static string CreateFunctionSql(Function function, bool replace = false)
    {
        var sql = new StringBuilder(replace ? "CREATE OR REPLACE " : "CREATE ").Append(RoutineKeyword(function)).Append(' ')
            .Append(Quote(function.QualifiedName)).Append('(');
        var first = true;
        foreach (var argument in function.Arguments)
        {
            if (argument.Mode == ArgumentMode.Table)
                continue;
            if (!first)
                sql.Append(", ");
            first = false;
            sql.Append(argument.Mode switch
            {
                ArgumentMode.Out => "OUT ",
                ArgumentMode.InOut => "INOUT ",
                ArgumentMode.Variadic => "VARIADIC ",
                _ => "",
            });
            if (argument.Name is { } name)
                sql.Append(Quote(name)).Append(' ');
            sql.Append(TypeSql(argument.Type));
            if (argument.Default is { } defaultSql)
                sql.Append(" DEFAULT ").Append(defaultSql);
        }
        sql.Append(')');
        var table = function.Arguments.Where(a => a.Mode == ArgumentMode.Table).ToList();
        if (table.Count > 0)
            sql.Append("\n RETURNS TABLE(").Append(string.Join(", ", table.Select(c => $"{Quote(c.Name ?? "")} {TypeSql(c.Type)}"))).Append(')');
        else if (function.Returns is { } returns)
            sql.Append("\n RETURNS ").Append(function.ReturnsSet ? "SETOF " : "").Append(TypeSql(returns));
        sql.Append("\n LANGUAGE ").Append(Quote(function.Language));
        if (function.Kind == RoutineKind.Function)
        {
            sql.Append(function.Volatility switch { Volatility.Immutable => " IMMUTABLE", Volatility.Stable => " STABLE", _ => " VOLATILE" });
            if (function.Strict)
                sql.Append(" STRICT");
            if (function.Leakproof)
                sql.Append(" LEAKPROOF");
            sql.Append(function.Parallel switch { ParallelSafety.Safe => " PARALLEL SAFE", ParallelSafety.Restricted => " PARALLEL RESTRICTED", _ => " PARALLEL UNSAFE" });
            // Written always: CREATE OR REPLACE keeps no option of the old definition it does not restate.
            sql.Append(" COST ").Append((function.Cost ?? (function.Language is "c" or "internal" ? 1 : 100)).ToString(CultureInfo.InvariantCulture));
            if (function.ReturnsSet)
                sql.Append(" ROWS ").Append((function.Rows ?? 1000).ToString(CultureInfo.InvariantCulture));
        }
        if (function.SecurityDefiner)
            sql.Append(" SECURITY DEFINER");
        foreach (var setting in function.Settings)
            sql.Append("\n SET ").Append(Quote(setting.Name)).Append(" TO ").Append(SettingValueSql(setting));
        if (function.HasStandardBody)
            return sql.Append('\n').Append(function.Body).Append(function.Body.TrimEnd().EndsWith(';') ? "" : ";").ToString();
        var tag = DollarTag(function.Body);
        return sql.Append("\nAS ").Append(tag).Append(function.Body).Append(tag).Append(';').ToString();
    }

    /// <summary>
    /// A setting's value as SET writes it: each element of a list setting (search_path, temp_tablespaces) a literal of
    /// its own, as pg_dump writes them, so that PostgreSQL stores the same text; any other value one literal.
    /// </summary>
    private static string SettingValueSql(FunctionSetting setting)
    {
        if (setting.Name.ToLowerInvariant() is not ("search_path" or "temp_tablespaces"))
            return Literal(setting.Value);
        return string.Join(", ", setting.Value.Split(',').Select(e => e.Trim()).Select(e =>
            Literal(e.Length >= 2 && e[0] == '"' && e[^1] == '"' ? e[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : e)));
    }

    /// <summary>A dollar quote the body does not contain: <c>$$</c>, else <c>$function$</c>, <c>$function1$</c>, ….</summary>
    private static string DollarTag(string body)
    {
        if (!body.Contains("$$", StringComparison.Ordinal) && !body.EndsWith('$'))
            return "$$";
        for (var i = 0; ; i++)
        {
            var tag = i == 0 ? "$function$" : $"$function{i}$";
            if (!body.Contains(tag, StringComparison.Ordinal))
                return tag;
        }
    }
}

using System.CommandLine;
using Strata.Postgres.Introspection;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>--schema</c> and <c>--table</c>, for the commands that read a live database (push, check --env,
/// pull): which schemas and tables to read. Each command adds the pair with <see cref="AddTo"/> and
/// reads them with <see cref="Read"/>; the same options filter the C# schema or snapshot it compares with
/// (<see cref="IntrospectionOptions.Filter"/>).
/// </summary>
internal sealed class IntrospectionFilterOptions
{
    public Option<string[]> Schemas { get; } = new("--schema")
    {
        Description = "Only this schema (repeatable: --schema public --schema sales); all schemas when not given",
        HelpName = "name",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> Tables { get; } = new("--table")
    {
        Description = "Only tables and views matching this pattern (repeatable): * any run of characters, ? one character, "
            + "optionally schema-qualified (orders, order_*, sales.*); all tables when not given",
        HelpName = "pattern",
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Schemas);
        command.Options.Add(Tables);
    }

    /// <summary>The options given; an empty name or pattern is a usage error naming the option.</summary>
    public IntrospectionOptions Read(ParseResult parseResult)
    {
        var schemas = parseResult.GetValue(Schemas) ?? [];
        var tables = parseResult.GetValue(Tables) ?? [];
        if (schemas.Any(string.IsNullOrWhiteSpace))
            throw CliException.Usage("--schema needs a schema name", remedy: "Give a name (--schema sales), or leave --schema out to read every schema.");
        if (tables.Any(t => string.IsNullOrWhiteSpace(t) || t.EndsWith('.')))
            throw CliException.Usage("--table needs a table name or pattern", remedy: "Give a name or pattern (--table orders, --table 'sales.*'), or leave --table out to read every table.");
        return new IntrospectionOptions { IncludeSchemas = schemas.Distinct().ToArray(), Tables = tables.Distinct().ToArray() };
    }

    /// <summary>"" when nothing is filtered, else " (schemas a, b; tables x*)" for messages.</summary>
    public static string Describe(IntrospectionOptions options)
    {
        var parts = new List<string>();
        if (options.IncludeSchemas.Count > 0)
            parts.Add((options.IncludeSchemas.Count == 1 ? "schema " : "schemas ") + string.Join(", ", options.IncludeSchemas));
        if (options.Tables.Count > 0)
            parts.Add((options.Tables.Count == 1 ? "table " : "tables ") + string.Join(", ", options.Tables));
        return parts.Count == 0 ? "" : $" ({string.Join("; ", parts)})";
    }
}

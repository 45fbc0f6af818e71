using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Strata.Cli.Output;
using Strata.Tests.Docs;

namespace Strata.Tests.Cli;

/// <summary>docs/json.md and the records of <c>--json</c> say the same: every record documented, each with its fields in order.</summary>
public sealed partial class JsonShapeDocsTests
{
    private static readonly string DocPath = Path.Combine(DocCommandTests.RepositoryRoot, "docs", "json.md");

    [GeneratedRegex(@"^### `(?<name>\w+)`\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\| `(?<field>\w+)` \|")]
    private static partial Regex FieldRow();

    /// <summary>Every record of Strata.Cli.Output that --json prints (a result, an error, or a part of one).</summary>
    public static IEnumerable<Type> Records() => typeof(CommandResult).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(CommandResult).Namespace && t.IsPublic && !t.IsAbstract && t.Name.EndsWith("Json", StringComparison.Ordinal))
        .OrderBy(t => t.Name, StringComparer.Ordinal);

    /// <summary>The documented shapes: each record's name and the fields of its table (for an error, after ErrorJson's).</summary>
    private static Dictionary<string, List<string>> DocumentedShapes()
    {
        var shapes = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var line in File.ReadLines(DocPath))
        {
            if (Heading().Match(line) is { Success: true } heading)
                shapes.Add(heading.Groups["name"].Value, current = []);
            else if (line.StartsWith("## ", StringComparison.Ordinal))
                current = null;
            else if (current is not null && FieldRow().Match(line) is { Success: true } row)
                current.Add(row.Groups["field"].Value);
        }
        return shapes;
    }

    /// <summary>The JSON names of <paramref name="type"/>'s fields in the order the source-generated context writes them.</summary>
    private static List<string> SerializedFields(Type type)
    {
        var info = CliJsonContext.Default.GetTypeInfo(type);
        Assert.True(info is not null, $"{type.Name} is not in CliJsonContext: add [JsonSerializable(typeof({type.Name}))]");
        return info.Properties.Select((p, i) => (p, i)).OrderBy(x => x.p.Order).ThenBy(x => x.i).Select(x => x.p.Name).ToList();
    }

    [Fact]
    public void Every_record_is_documented_with_its_fields_in_order_and_every_documented_shape_is_a_record()
    {
        var documented = DocumentedShapes();
        var records = Records().ToList();
        var errorFields = SerializedFields(typeof(ErrorJson));

        Assert.Equal(records.Select(r => r.Name).Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        foreach (var record in records)
        {
            var fields = SerializedFields(record);
            if (record != typeof(ErrorJson) && typeof(ErrorJson).IsAssignableFrom(record))
            {
                // An error's table lists what it adds to ErrorJson's fields, which come first.
                Assert.Equal(errorFields, fields.Take(errorFields.Count));
                fields = fields.Skip(errorFields.Count).ToList();
            }
            Assert.True(fields.SequenceEqual(documented[record.Name]),
                $"docs/json.md, {record.Name}: documented [{string.Join(", ", documented[record.Name])}], serialized [{string.Join(", ", fields)}]");
        }
    }

    [Fact]
    public void The_shapes_are_found_in_the_docs_so_the_test_above_compares_something()
    {
        var documented = DocumentedShapes();

        Assert.True(documented.Count >= 40, $"only {documented.Count} shapes found in {DocPath}");
        Assert.Equal(["ok", "changed", "database", "environment", "statements", "dataLoss", "columnsOutOfOrder"], documented["PushJson"]);
    }

    [Fact]
    public void commands_md_links_to_the_shapes()
    {
        Assert.Contains("(json.md)", File.ReadAllText(Path.Combine(DocCommandTests.RepositoryRoot, "docs", "commands.md")), StringComparison.Ordinal);
    }
}

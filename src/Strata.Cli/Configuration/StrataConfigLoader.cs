using System.Text;
using System.Text.Json;
using Strata.Model;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Configuration;

/// <summary>Finds and reads strata.json, turning every mistake into a message that names the file and the key.</summary>
public static class StrataConfigLoader
{
    public const string Example = """
        {
          "schema": "src/App.Schema/App.Schema.csproj",
          "migrations": "db/migrations"
        }
        """;

    // TEMPORARY (ops branch shim until the env helper's parsing lands): "seed" and "environments" accepted.
    private static readonly string[] KnownKeys = ["schema", "migrations", "schemaType", "prefix", "trackingTable", "seed", "environments"];

    /// <summary>Reads <paramref name="explicitPath"/>, or the strata.json in <paramref name="startDirectory"/> or the nearest parent.</summary>
    public static async Task<StrataConfig> LoadAsync(string? explicitPath, string startDirectory, CancellationToken ct = default)
    {
        var path = explicitPath is not null ? Path.GetFullPath(explicitPath, startDirectory) : Find(startDirectory);
        if (path is null)
            throw CliException.Usage(
                $"no {StrataConfig.FileName} in {startDirectory} or any folder above it",
                remedy: $"Create {StrataConfig.FileName} at the root of your repository, for example:\n{Example}\nor pass --config <path>.");
        if (!File.Exists(path))
            throw CliException.Usage($"the configuration file {path} does not exist", remedy: "Check the --config path.");

        var text = await File.ReadAllTextAsync(path, ct);
        return Parse(text, path);
    }

    public static string? Find(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, StrataConfig.FileName);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    public static StrataConfig Parse(string text, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            throw CliException.Usage($"{path}({line},{column}): {StripPosition(e.Message)}",
                remedy: "Fix the JSON at that position. A minimal strata.json is:\n" + Example, inner: e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw CliException.Usage($"{path}: the file must hold a JSON object", remedy: "A minimal strata.json is:\n" + Example);

            var problems = new List<string>();
            foreach (var property in root.EnumerateObject())
            {
                if (!KnownKeys.Contains(property.Name, StringComparer.Ordinal))
                {
                    var near = KnownKeys.FirstOrDefault(k => Distance(k.ToLowerInvariant(), property.Name.ToLowerInvariant()) <= 2);
                    problems.Add($"{Where(path, text, property.Name)}: unknown key \"{property.Name}\""
                        + (near is not null ? $" (did you mean \"{near}\"?)" : $"; the keys are {string.Join(", ", KnownKeys.Select(k => '"' + k + '"'))}"));
                }
            }

            var schema = ReadString(root, "schema", path, text, problems);
            var migrations = ReadString(root, "migrations", path, text, problems) ?? StrataConfig.DefaultMigrationsFolder;
            var schemaType = ReadString(root, "schemaType", path, text, problems);
            var prefixText = ReadString(root, "prefix", path, text, problems);
            var prefix = MigrationPrefix.Index;
            if (prefixText is not null && !TryParsePrefix(prefixText, out prefix))
                problems.Add($"{Where(path, text, "prefix")}: \"prefix\" must be \"index\" or \"timestamp\", not \"{prefixText}\"");
            var trackingTableText = ReadString(root, "trackingTable", path, text, problems);
            var trackingTable = HistoryTable.DefaultName;
            if (trackingTableText is not null && TrackingTableProblem(trackingTableText, out trackingTable) is { } trackingTableProblem)
                problems.Add($"{Where(path, text, "trackingTable")}: \"trackingTable\" {trackingTableProblem}");

            if (schema is null && !root.TryGetProperty("schema", out _))
                problems.Add($"{path}: the required key \"schema\" is missing: the path of your schema project's .csproj, relative to {StrataConfig.FileName}");

            if (problems.Count > 0)
                throw CliException.Usage(
                    problems.Count == 1 ? problems[0] : $"{path} has {problems.Count} problems",
                    details: problems.Count == 1 ? null : problems,
                    remedy: "A minimal strata.json is:\n" + Example);

            var baseDirectory = Path.GetDirectoryName(path)!;
            return new StrataConfig(
                path,
                Path.GetFullPath(schema!, baseDirectory),
                Path.GetFullPath(migrations, baseDirectory),
                schemaType,
                prefix,
                trackingTable,
                Commands.EnvironmentShim.ParseEnvironments(root), // TEMPORARY (ops shim)
                ReadString(root, "seed", path, text, problems)); // TEMPORARY (ops shim)
        }
    }

    public static bool TryParsePrefix(string text, out MigrationPrefix prefix)
    {
        switch (text)
        {
            case "index":
                prefix = MigrationPrefix.Index;
                return true;
            case "timestamp":
                prefix = MigrationPrefix.Timestamp;
                return true;
            default:
                prefix = MigrationPrefix.Index;
                return false;
        }
    }

    /// <summary>Why <paramref name="text"/> is not a <c>schema.table</c> name, or null when it is one.</summary>
    public static string? TrackingTableProblem(string text, out QualifiedName name)
    {
        name = HistoryTable.DefaultName;
        var parts = text.Split('.');
        var example = $"such as \"{HistoryTable.DefaultName}\"";
        if (parts.Length != 2 || parts.Any(p => p.Length == 0))
            return $"must be \"schema.table\" ({example}), not \"{text}\"";
        // Written unquoted in strata.json and quoted exactly as written in SQL, so a double quote or
        // surrounding blanks would name a different table than the one the user reads.
        if (parts.Any(p => p.Contains('"') || p.Trim() != p))
            return $"must be \"schema.table\" without quotes or blanks around the names ({example}), not \"{text}\"";
        // PostgreSQL silently truncates longer identifiers, so two long names could share one table.
        if (parts.FirstOrDefault(p => Encoding.UTF8.GetByteCount(p) > 63) is { } tooLong)
            return $"has the name \"{tooLong}\", longer than PostgreSQL's 63 bytes";
        name = new QualifiedName(parts[0], parts[1]);
        return null;
    }

    private static string? ReadString(JsonElement root, string key, string path, string text, List<string> problems)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            problems.Add($"{Where(path, text, key)}: \"{key}\" must be a non-empty string");
            return null;
        }
        return value.GetString();
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }

    // JsonDocument does not expose where a property sits; the first occurrence of the quoted key is
    // close enough to point the user at the right line.
    private static string Where(string path, string text, string key)
    {
        var at = text.IndexOf('"' + key + '"', StringComparison.Ordinal);
        if (at < 0)
            return path;
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < at; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return $"{path}({line},{Encoding.UTF8.GetByteCount(text.AsSpan(lineStart, at - lineStart)) + 1})";
    }

    // System.Text.Json appends "Path: $ | LineNumber: 2 | BytePositionInLine: 4." — we show that as (3,5).
    private static string StripPosition(string message)
    {
        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }
}

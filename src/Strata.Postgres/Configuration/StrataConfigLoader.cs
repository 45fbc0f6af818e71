using System.Text;
using System.Text.Json;
using Strata.Model;
using Strata.Postgres.Linting;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

namespace Strata.Postgres.Configuration;

/// <summary>Finds and reads strata.json, turning every mistake into a message that names the file and the key.</summary>
public static partial class StrataConfigLoader
{
    public const string Example = """
        {
          "schema": "src/App.Schema/App.Schema.csproj",
          "migrations": "db/migrations"
        }
        """;

    /// <summary>The keys of strata.json (the JSON schema lists the same, a test checks it).</summary>
    public static readonly IReadOnlyList<string> Keys = ["$schema", "schema", "migrations", "seed", "schemaType", "prefix", "trackingTable", "environments", "lint", "safety"];

    /// <summary>The keys of one environment in <c>"environments"</c>.</summary>
    public static readonly IReadOnlyList<string> EnvironmentKeys =
        ["url", "directUrl", "sslMode", "rootCertificate", "poolSize", "connectTimeout", "commandTimeout", "lockTimeout", "statementTimeout", "protected", "lockRetries"];

    /// <summary>The values of <c>"sslMode"</c>, libpq's names.</summary>
    public static readonly IReadOnlyList<string> SslModes = ["disable", "prefer", "require", "verify-ca", "verify-full"];

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads <paramref name="explicitPath"/>, or the strata.json in <paramref name="startDirectory"/> or the nearest parent.</summary>
    public static async Task<StrataConfig> LoadAsync(string? explicitPath, string startDirectory, CancellationToken ct = default)
    {
        var path = explicitPath is not null ? Path.GetFullPath(explicitPath, startDirectory) : Find(startDirectory);
        if (path is null)
            throw new ConfigurationException(
                $"no {StrataConfig.FileName} in {startDirectory} or any folder above it",
                remedy: $"Create {StrataConfig.FileName} at the root of your repository, for example:\n{Example}\nor pass --config <path>.");
        if (!File.Exists(path))
            throw new ConfigurationException($"the configuration file {path} does not exist", remedy: "Check the --config path.");

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
            document = JsonDocument.Parse(text, DocumentOptions);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            throw new ConfigurationException($"{path}({line},{column}): {StripPosition(e.Message)}",
                remedy: "Fix the JSON at that position. A minimal strata.json is:\n" + Example, inner: e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ConfigurationException($"{path}: the file must hold a JSON object", remedy: "A minimal strata.json is:\n" + Example);

            var reader = new Reader(new JsonPositions(path, text, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }));
            reader.UnknownKeys(root, "", Keys, "");

            reader.String(root, "", "$schema");
            var schema = reader.String(root, "", "schema");
            var migrations = reader.String(root, "", "migrations") ?? StrataConfig.DefaultMigrationsFolder;
            var seed = reader.String(root, "", "seed");
            var schemaType = reader.String(root, "", "schemaType");
            var prefixText = reader.String(root, "", "prefix");
            var prefix = MigrationPrefix.Index;
            if (prefixText is not null && !TryParsePrefix(prefixText, out prefix))
                reader.Problem("prefix", $"\"prefix\" must be \"index\" or \"timestamp\", not \"{prefixText}\"");
            var trackingTableText = reader.String(root, "", "trackingTable");
            var trackingTable = HistoryTable.DefaultName;
            if (trackingTableText is not null && TrackingTableProblem(trackingTableText, out trackingTable) is { } trackingTableProblem)
                reader.Problem("trackingTable", $"\"trackingTable\" {trackingTableProblem}");
            var environments = ReadEnvironments(root, reader);
            var lint = ReadLint(root, reader);
            var safetyText = reader.String(root, "", "safety");
            var safety = MigrationSafety.On;
            if (safetyText is not null && !TryParseSafety(safetyText, out safety))
                reader.Problem("safety", $"\"safety\" must be \"on\" (safe forms for changes to existing tables) or \"off\" (the plain forms), not \"{safetyText}\"");

            if (schema is null && !root.TryGetProperty("schema", out _))
                reader.Problems.Add($"{path}: the required key \"schema\" is missing: the path of your schema project's .csproj, relative to {StrataConfig.FileName}");

            var problems = reader.Problems;
            if (problems.Count > 0)
                throw new ConfigurationException(
                    problems.Count == 1 ? problems[0] : $"{path} has {problems.Count} problems",
                    details: problems.Count == 1 ? null : problems,
                    remedy: "A minimal strata.json is:\n" + Example + "\nEvery key is described in docs/configuration.md.");

            var baseDirectory = Path.GetDirectoryName(path)!;
            return new StrataConfig(
                path,
                Path.GetFullPath(schema!, baseDirectory),
                Path.GetFullPath(migrations, baseDirectory),
                schemaType,
                prefix,
                trackingTable,
                environments,
                seed,
                lint,
                safety);
        }
    }

    /// <summary>
    /// <c>"environments"</c>, keyed without regard to case: <c>$DOTNET_ENVIRONMENT</c> is usually
    /// "Development" or "Production", and two names that differ only in case would be a trap.
    /// </summary>
    private static Dictionary<string, EnvironmentSettings> ReadEnvironments(JsonElement root, Reader reader)
    {
        var environments = new Dictionary<string, EnvironmentSettings>(StringComparer.OrdinalIgnoreCase);
        if (!root.TryGetProperty("environments", out var section) || section.ValueKind == JsonValueKind.Null)
            return environments;
        if (section.ValueKind != JsonValueKind.Object)
        {
            reader.Problem("environments", "\"environments\" must be an object: { \"development\": { }, \"production\": { \"url\": \"${DATABASE_URL}\" } }");
            return environments;
        }

        foreach (var entry in section.EnumerateObject())
        {
            var name = entry.Name;
            var at = "environments/" + name;
            if (!EnvironmentName().IsMatch(name))
            {
                reader.Problem(at, $"the environment name \"{name}\" must be letters, digits, '-', '_' or '.' (it names the file .env.<name>)");
                continue;
            }
            if (environments.TryGetValue(name, out var other))
            {
                reader.Problem(at, $"the environments \"{other.Name}\" and \"{name}\" differ only in case; environment names are matched without regard to case");
                continue;
            }
            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                reader.Problem(at, $"the environment \"{name}\" must be an object such as {{ \"url\": \"${{DATABASE_URL}}\" }}");
                continue;
            }

            var value = entry.Value;
            var where = $" in environment \"{name}\"";
            reader.UnknownKeys(value, at, EnvironmentKeys, where);
            var sslModeText = reader.String(value, at, "sslMode", where);
            EnvironmentSslMode? sslMode = null;
            if (sslModeText is not null)
            {
                sslMode = ParseSslMode(sslModeText);
                if (sslMode is null)
                    reader.Problem(at + "/sslMode", $"\"sslMode\"{where} must be one of {string.Join(", ", SslModes)}, not \"{sslModeText}\"");
            }
            environments[name] = new EnvironmentSettings(
                name,
                Url: reader.String(value, at, "url", where),
                DirectUrl: reader.String(value, at, "directUrl", where),
                SslMode: sslMode,
                RootCertificate: reader.String(value, at, "rootCertificate", where),
                PoolSize: reader.Integer(value, at, "poolSize", where, minimum: 1, maximum: 1024, "a number of connections from 1 to 1024"),
                ConnectTimeout: reader.Integer(value, at, "connectTimeout", where, minimum: 1, maximum: 1024, "a number of seconds from 1 to 1024"),
                CommandTimeout: reader.Integer(value, at, "commandTimeout", where, minimum: 0, maximum: int.MaxValue, "a number of seconds (0: no limit)"),
                LockTimeout: reader.Duration(value, at, "lockTimeout", where),
                StatementTimeout: reader.Duration(value, at, "statementTimeout", where),
                Protected: reader.Boolean(value, at, "protected", where) ?? false,
                LockRetries: reader.Integer(value, at, "lockRetries", where, minimum: 0, maximum: 100, "a number of retries from 0 to 100"));
        }
        return environments;
    }

    /// <summary>
    /// <c>"lint": { "rules": { "index-not-concurrent": "warning", … } }</c>: a rule id the linter does not know is
    /// refused with the known ids, as a misspelt rule would otherwise keep its level silently.
    /// </summary>
    private static LintSettings? ReadLint(JsonElement root, Reader reader)
    {
        if (!root.TryGetProperty("lint", out var section) || section.ValueKind == JsonValueKind.Null)
            return null;
        const string example = "\"lint\": { \"rules\": { \"index-not-concurrent\": \"warning\", \"missing-lock-timeout\": \"error\" } }";
        if (section.ValueKind != JsonValueKind.Object)
        {
            reader.Problem("lint", "\"lint\" must be an object: " + example);
            return null;
        }
        reader.UnknownKeys(section, "lint", ["rules"], " in \"lint\"");
        var levels = new Dictionary<string, LintLevel>(StringComparer.Ordinal);
        if (!section.TryGetProperty("rules", out var rules) || rules.ValueKind == JsonValueKind.Null)
            return new LintSettings(levels);
        if (rules.ValueKind != JsonValueKind.Object)
        {
            reader.Problem("lint/rules", "\"lint.rules\" must be an object of rule ids and levels: " + example);
            return new LintSettings(levels);
        }
        foreach (var rule in rules.EnumerateObject())
        {
            var at = "lint/rules/" + rule.Name;
            if (LintRules.Find(rule.Name) is null)
            {
                var near = Suggestions.Nearest(rule.Name, LintRules.All.Select(r => r.Id).ToList());
                reader.Problem(at, $"\"lint.rules\" names \"{rule.Name}\", which is not a rule of strata lint"
                    + (near is not null ? $" (did you mean \"{near}\"?)" : "") + $"; the rules are {LintRules.Ids}");
                continue;
            }
            if (rule.Value.ValueKind != JsonValueKind.String || LintRules.ParseLevel(rule.Value.GetString()!) is not { } level)
            {
                reader.Problem(at, $"the level of \"{rule.Name}\" in \"lint.rules\" must be \"off\", \"warning\" or \"error\", not {rule.Value.GetRawText()}");
                continue;
            }
            levels[rule.Name] = level;
        }
        return new LintSettings(levels);
    }

    public static EnvironmentSslMode? ParseSslMode(string text) => text switch
    {
        "disable" => EnvironmentSslMode.Disable,
        "prefer" => EnvironmentSslMode.Prefer,
        "require" => EnvironmentSslMode.Require,
        "verify-ca" => EnvironmentSslMode.VerifyCa,
        "verify-full" => EnvironmentSslMode.VerifyFull,
        _ => null,
    };

    /// <summary>A duration as strata.json writes it: "5s", "500ms", "10min", "1h", or a number of milliseconds.</summary>
    public static bool TryParseDuration(JsonElement value, out TimeSpan duration)
    {
        duration = default;
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (!value.TryGetDouble(out var milliseconds) || milliseconds < 0 || milliseconds > int.MaxValue)
                return false;
            duration = TimeSpan.FromMilliseconds(milliseconds);
            return true;
        }
        if (value.ValueKind != JsonValueKind.String || DurationText().Match(value.GetString()!) is not { Success: true } match)
            return false;
        var amount = double.Parse(match.Groups["amount"].Value, System.Globalization.CultureInfo.InvariantCulture);
        duration = match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "min" => TimeSpan.FromMinutes(amount),
            _ => TimeSpan.FromHours(amount),
        };
        // PostgreSQL keeps lock_timeout and statement_timeout as a number of milliseconds in an int.
        return duration.TotalMilliseconds <= int.MaxValue;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(?<amount>[0-9]+(\.[0-9]+)?)\s*(?<unit>ms|s|min|h)\s*$")]
    private static partial System.Text.RegularExpressions.Regex DurationText();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial System.Text.RegularExpressions.Regex EnvironmentName();

    /// <summary>"on" or "off", as strata.json's <c>"safety"</c> and generate's <c>--safety</c> write it.</summary>
    public static bool TryParseSafety(string text, out MigrationSafety safety)
    {
        safety = text == "off" ? MigrationSafety.Off : MigrationSafety.On;
        return text is "on" or "off";
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

    // System.Text.Json appends "Path: $ | LineNumber: 2 | BytePositionInLine: 4." — we show that as (3,5).
    private static string StripPosition(string message)
    {
        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }

    /// <summary>Reads typed values, collecting every problem (with its file, line and column) instead of stopping at the first.</summary>
    private sealed class Reader(JsonPositions positions)
    {
        public List<string> Problems { get; } = [];

        public void Problem(string at, string message) => Problems.Add($"{positions.Of(at)}: {message}");

        public void UnknownKeys(JsonElement value, string at, IReadOnlyList<string> known, string where)
        {
            foreach (var property in value.EnumerateObject())
            {
                if (known.Contains(property.Name, StringComparer.Ordinal))
                    continue;
                var near = Suggestions.Nearest(property.Name, known);
                Problem(Join(at, property.Name), $"unknown key \"{property.Name}\"{where}"
                    + (near is not null ? $" (did you mean \"{near}\"?)" : $"; the keys{(where.Length == 0 ? "" : " of an environment")} are {string.Join(", ", known.Select(k => '"' + k + '"'))}"));
            }
        }

        public string? String(JsonElement value, string at, string key, string where = "")
        {
            if (!value.TryGetProperty(key, out var item) || item.ValueKind == JsonValueKind.Null)
                return null;
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                Problem(Join(at, key), $"\"{key}\"{where} must be a non-empty string");
                return null;
            }
            return item.GetString();
        }

        public int? Integer(JsonElement value, string at, string key, string where, int minimum, int maximum, string what)
        {
            if (!value.TryGetProperty(key, out var item) || item.ValueKind == JsonValueKind.Null)
                return null;
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var number) && number >= minimum && number <= maximum)
                return number;
            Problem(Join(at, key), $"\"{key}\"{where} must be {what}, not {item.GetRawText()}");
            return null;
        }

        public bool? Boolean(JsonElement value, string at, string key, string where)
        {
            if (!value.TryGetProperty(key, out var item) || item.ValueKind == JsonValueKind.Null)
                return null;
            if (item.ValueKind is JsonValueKind.True or JsonValueKind.False)
                return item.GetBoolean();
            Problem(Join(at, key), $"\"{key}\"{where} must be true or false, not {item.GetRawText()}");
            return null;
        }

        public TimeSpan? Duration(JsonElement value, string at, string key, string where)
        {
            if (!value.TryGetProperty(key, out var item) || item.ValueKind == JsonValueKind.Null)
                return null;
            if (TryParseDuration(item, out var duration))
                return duration;
            Problem(Join(at, key), $"\"{key}\"{where} must be a duration such as \"5s\", \"500ms\", \"10min\" or a number of milliseconds, not {item.GetRawText()}");
            return null;
        }

        private static string Join(string at, string key) => at.Length == 0 ? key : at + "/" + key;
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Strata.Postgres.Configuration;

namespace Strata.Design.Scaffolding;

/// <summary>How the new schema project gets the Strata library.</summary>
/// <param name="ProjectPath">A ProjectReference to this Strata.csproj (a clone of the Strata repository); null: a PackageReference.</param>
/// <param name="PackageVersion">The version of the Strata package (the CLI's own).</param>
/// <param name="Reason">Why this one was chosen, for the output.</param>
public sealed record StrataReference(string? ProjectPath, string PackageVersion, string Reason);

/// <summary>One file <c>strata init</c> writes: new, or an existing one it adds to (.gitignore, the tool manifest).</summary>
/// <param name="RelativePath">Relative to the project folder, with forward slashes.</param>
/// <param name="Original">The file's text before init, when it adds to an existing file; null for a new file.</param>
public sealed record ScaffoldFile(string RelativePath, string Content, string Purpose, string? Original = null)
{
    public bool IsNew => Original is null;
}

/// <summary>
/// What <c>strata init</c> writes, worked out before anything touches the disk: strata.json with
/// development / test / production, the JSON schema beside it, a schema class library with an example
/// table, .env.example, the migrations and seeds folders, .gitignore lines and the local tool manifest.
/// </summary>
public static partial class ProjectScaffold
{
    /// <summary>The dotnet tool package and command (src/Strata.Cli/Strata.Cli.csproj: PackageId, ToolCommandName).</summary>
    public const string ToolPackageId = "Strata.Cli";
    public const string ToolCommand = "strata";

    public const string ExampleTable = "notes";
    public const string ManifestPath = ".config/dotnet-tools.json";

    /// <summary>Where <c>dotnet new tool-manifest</c> puts the manifest since .NET 10; used when it is there and .config's is not.</summary>
    public const string RootManifestPath = "dotnet-tools.json";
    public const string GitIgnorePath = ".gitignore";

    /// <summary>What .gitignore must hold: the local cluster and the .env files with real secrets.</summary>
    private static readonly string[] IgnoredByStrata = [".strata/", ".env.local", ".env.*.local"];

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex ProjectName();

    /// <summary>Why <paramref name="name"/> cannot name the schema project and its namespace, or null when it can.</summary>
    public static string? NameProblem(string name) =>
        ProjectName().IsMatch(name) ? null : $"\"{name}\" is not a C# namespace: use letters, digits and underscores, in parts separated by dots (MyApp, Acme.Shop)";

    /// <summary>A project name from a folder name: "my-app" → "MyApp"; "App" when nothing usable is left.</summary>
    public static string NameFromFolder(string folder)
    {
        // Each run of ASCII letters and digits, its first letter capitalized. A loop, not a Regex: building one cost a
        // cold `strata pull` ~10 ms (its parser and interpreter JIT-compiled) for a name.
        var name = new StringBuilder();
        var startOfPart = true;
        foreach (var c in folder)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                startOfPart = true;
                continue;
            }
            name.Append(startOfPart ? char.ToUpperInvariant(c) : c);
            startOfPart = false;
        }
        return name.Length == 0 || char.IsDigit(name[0]) ? "App" + name : name.ToString();
    }

    public static string SchemaProjectPath(string name) => $"src/{name}.Schema/{name}.Schema.csproj";

    /// <summary>The class of the example schema init writes for the project <paramref name="name"/>: its last part as given, then "Schema" (foo → fooSchema).</summary>
    public static string SchemaClassName(string name) => name[(name.LastIndexOf('.') + 1)..] + "Schema";

    /// <summary>Every file, with <paramref name="readExisting"/> giving the current text of a file that exists (null when it does not).</summary>
    public static IReadOnlyList<ScaffoldFile> Plan(string name, StrataReference strata, string targetFramework, Func<string, string?> readExisting)
    {
        var className = SchemaClassName(name);
        var files = new List<ScaffoldFile>
        {
            new(StrataConfig.FileName, StrataJson(name), "configuration: the schema project, migrations, seeds and environments"),
            new("strata.schema.json", StrataJsonSchema.Text.TrimEnd() + "\n", "the JSON schema of strata.json, for completion in editors"),
            new(SchemaProjectPath(name), SchemaProject(strata, targetFramework), "the schema class library, " + strata.Reason),
            new($"src/{name}.Schema/{className}.cs", SchemaClass(name, className), $"the C# schema, with an example table \"{ExampleTable}\""),
            new(".env.example", EnvExample(name), "the variables the test and production environments read (copy to .env.local)"),
            new("db/migrations/.gitkeep", "", "the migrations folder (strata generate writes here)"),
            new(ExampleSeedPath, ExampleSeed(), "an example seed, idempotent"),
        };
        files.Add(GitIgnore(readExisting(GitIgnorePath)));
        var manifestPath = readExisting(ManifestPath) is null && readExisting(RootManifestPath) is not null ? RootManifestPath : ManifestPath;
        files.Add(Manifest(manifestPath, readExisting(manifestPath), strata.PackageVersion));
        return files;
    }

    /// <summary>Every file, for the folder <paramref name="root"/>: what its existing files (.gitignore, the tool manifest) already say is read from it.</summary>
    public static IReadOnlyList<ScaffoldFile> PlanIn(string root, string name, StrataReference strata, string targetFramework) =>
        Plan(name, strata, targetFramework, relative => File.Exists(FullPath(root, relative)) ? File.ReadAllText(FullPath(root, relative)) : null);

    private static string StrataJson(string name) => $$"""
        {
          "$schema": "./strata.schema.json",
          "schema": "{{SchemaProjectPath(name)}}",
          "migrations": "db/migrations",
          "seed": "db/seeds",
          "environments": {
            "development": {},
            "test": {
              "url": "${TEST_DATABASE_URL}"
            },
            "production": {
              "url": "${DATABASE_URL}",
              "directUrl": "${DIRECT_DATABASE_URL}",
              "sslMode": "verify-full",
              "protected": true
            }
          }
        }

        """;

    private static string SchemaProject(StrataReference strata, string targetFramework)
    {
        var reference = strata.ProjectPath is null
            ? $"""    <PackageReference Include="Strata" Version="{strata.PackageVersion}" />"""
            : $"""
                  <!-- Strata from a clone of its repository; with the package feed this becomes
                       <PackageReference Include="Strata" Version="{strata.PackageVersion}" /> -->
                  <ProjectReference Include="{strata.ProjectPath}" />
              """;
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>{targetFramework}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
            {reference}
              </ItemGroup>
            </Project>

            """;
    }

    /// <summary>The example schema class init writes; pull replaces the file while it is untouched.</summary>
    public static string SchemaClass(string name, string className) => $$"""
        using Strata.Dsl;
        using Strata.Model;

        namespace {{name}}.Schema;

        /// <summary>
        /// The database, described in C#. After a change, `dotnet strata generate --name what-changed` writes the
        /// SQL migration into db/migrations, and `dotnet strata migrate` applies it.
        /// </summary>
        public sealed class {{className}} : ISchemaDefinition
        {
            public void Define(SchemaBuilder db)
            {
                db.Table("{{ExampleTable}}", t =>
                {
                    t.Column("id", Types.BigInt).Identity().PrimaryKey();
                    t.Column("title", Types.Text).NotNull().Unique();
                    t.Column("body", Types.Text);
                    t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()");
                });
            }
        }

        """;

    private static string EnvExample(string name)
    {
        var database = Regex.Replace(name.ToLowerInvariant(), "[^a-z0-9]+", "_");
        return $"""
            # The variables strata.json reads. Copy this file to .env.local (git ignores it) and put the real
            # values there. Strata reads .env, .env.<environment>, .env.local and .env.<environment>.local, in
            # that order, and never overrides a variable that is already set (so CI secrets win).
            # Commit this file; never commit one with a real password.
            #
            # The development environment needs none of these: it has no url, so Strata runs a PostgreSQL of its
            # own in .strata/postgres (dotnet strata dev url prints its URL).

            # test (dotnet strata migrate --env test): the database CI migrates and resets.
            TEST_DATABASE_URL=postgres://postgres:postgres@localhost:5432/{database}_test

            # production (dotnet strata migrate --env production): the URL the application connects with; it may
            # go through a pooler (PgBouncer, or a provider's pooled host).
            DATABASE_URL=postgres://app_user:CHANGE_ME@db.example.com:5432/{database}

            # production: a direct connection, without the pooler, that migrations use (the same URL as
            # DATABASE_URL when there is no pooler).
            DIRECT_DATABASE_URL=postgres://app_owner:CHANGE_ME@db.example.com:5432/{database}

            """;
    }

    /// <summary>The example seed init writes (for its example table); pull removes it while it is untouched.</summary>
    public const string ExampleSeedPath = "db/seeds/0001_notes.sql";

    public static string ExampleSeed() => $"""
        -- An example seed: `dotnet strata seed` runs the .sql files of db/seeds in name order, in one transaction.
        -- Written to be idempotent, so that seeding twice leaves the same rows: ON CONFLICT DO NOTHING on the
        -- unique title.
        INSERT INTO {ExampleTable} (title, body)
        VALUES ('Welcome', 'This row comes from db/seeds/0001_notes.sql.')
        ON CONFLICT (title) DO NOTHING;

        """;

    /// <summary>A new .gitignore, or the existing one with the lines Strata needs that it lacks.</summary>
    private static ScaffoldFile GitIgnore(string? existing)
    {
        const string header = "# Strata: the local PostgreSQL and the .env files that hold real secrets";
        if (existing is null)
            return new(GitIgnorePath, string.Join('\n', ["bin/", "obj/", "", header, .. IgnoredByStrata]) + "\n", "ignores build output, .strata/ and .env.local");

        var present = existing.Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        var missing = IgnoredByStrata.Where(line => !present.Contains(line) && !present.Contains("/" + line)).ToList();
        if (missing.Count == 0)
            return new(GitIgnorePath, existing, "already ignores " + string.Join(", ", IgnoredByStrata), existing);
        var separator = existing.Length == 0 || existing.EndsWith('\n') ? "" : "\n";
        return new(GitIgnorePath, existing + separator + "\n" + header + "\n" + string.Join('\n', missing) + "\n",
            "added " + string.Join(", ", missing), existing);
    }

    /// <summary>
    /// The local tool manifest with the strata tool: a new one, or the existing one with the entry added
    /// (kept as it is when it already lists the tool).
    /// </summary>
    /// <exception cref="ConfigurationException">The existing manifest is not a JSON object with a "tools" object.</exception>
    private static ScaffoldFile Manifest(string path, string? existing, string version)
    {
        var entry = new JsonObject
        {
            ["version"] = version,
            ["commands"] = new JsonArray(ToolCommand),
            ["rollForward"] = false,
        };
        var purpose = $"the local tool {ToolPackageId} {version} (command: dotnet {ToolCommand})";
        var toolKey = ToolPackageId.ToLowerInvariant();
        if (existing is null)
        {
            var manifest = new JsonObject
            {
                ["version"] = 1,
                ["isRoot"] = true,
                ["tools"] = new JsonObject { [toolKey] = entry },
            };
            return new(path, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", purpose);
        }

        JsonObject? root;
        try
        {
            root = JsonNode.Parse(existing, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject;
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{path} is not valid JSON: {e.Message}", remedy: "Fix it (or delete it) and run strata init again; nothing was written.", inner: e);
        }
        if (root is null || (root["tools"] is not null && root["tools"] is not JsonObject))
            throw new ConfigurationException($"{path} is not a dotnet tool manifest (a JSON object with a \"tools\" object)",
                remedy: "Fix it (or delete it) and run strata init again; nothing was written.");
        var tools = root["tools"] as JsonObject;
        if (tools is not null && tools.Any(t => string.Equals(t.Key, toolKey, StringComparison.OrdinalIgnoreCase)))
            return new(path, existing, $"already lists the tool {ToolPackageId}", existing);
        if (tools is null)
            root["tools"] = tools = new JsonObject();
        tools[toolKey] = entry;
        return new(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", "added " + purpose, existing);
    }

    /// <summary>The new files of <paramref name="files"/> that already exist in <paramref name="root"/>: init refuses to overwrite them.</summary>
    public static IReadOnlyList<string> FilesInTheWay(string root, IReadOnlyList<ScaffoldFile> files) =>
        files.Where(f => f.IsNew && File.Exists(FullPath(root, f.RelativePath))).Select(f => f.RelativePath).ToList();

    /// <summary>The full path of <paramref name="relative"/> (with forward slashes) in <paramref name="root"/>.</summary>
    public static string FullPath(string root, string relative) => Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// Writes every file, or none: on a failure part-way the new files and folders are removed and the
    /// files it added to get their old text back. Returns the files whose text changed.
    /// </summary>
    /// <exception cref="ScaffoldWriteException">A file or folder could not be written; what was written is removed again.</exception>
    public static async Task<HashSet<ScaffoldFile>> WriteAsync(string root, IReadOnlyList<ScaffoldFile> files, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(files);
        var createdFolders = new List<string>();
        var done = new List<ScaffoldFile>();
        try
        {
            foreach (var file in files)
            {
                if (!file.IsNew && file.Content == file.Original)
                    continue;
                var path = FullPath(root, file.RelativePath);
                CreateFolders(Path.GetDirectoryName(path)!, createdFolders);
                if (file.IsNew)
                {
                    // CreateNew: a file that appeared since the check is not overwritten.
                    await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                    done.Add(file);
                    await using var writer = new StreamWriter(stream);
                    await writer.WriteAsync(file.Content.AsMemory(), ct);
                }
                else
                {
                    done.Add(file);
                    await File.WriteAllTextAsync(path, file.Content, ct);
                }
            }
            return done.ToHashSet();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            foreach (var file in done)
            {
                var path = FullPath(root, file.RelativePath);
                try
                {
                    if (file.IsNew)
                        File.Delete(path);
                    else
                        File.WriteAllText(path, file.Original);
                }
                catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
                {
                    // Best effort: the error below names the first failure.
                }
            }
            foreach (var folder in Enumerable.Reverse(createdFolders))
            {
                try
                {
                    Directory.Delete(folder);
                }
                catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
                {
                }
            }
            if (e is OperationCanceledException)
                throw;
            throw new ScaffoldWriteException(root, e);
        }
    }

    private static void CreateFolders(string folder, List<string> created)
    {
        if (Directory.Exists(folder))
            return;
        CreateFolders(Path.GetDirectoryName(folder)!, created);
        Directory.CreateDirectory(folder);
        created.Add(folder);
    }
}

/// <summary>
/// <see cref="ProjectScaffold.WriteAsync"/> could not write a file or folder in <see cref="Folder"/> (the
/// <see cref="Exception.InnerException"/> says why); what it had written is removed again.
/// </summary>
public sealed class ScaffoldWriteException(string folder, Exception inner)
    : Exception($"could not write in {folder}: {inner.Message}", inner)
{
    public string Folder { get; } = folder;
}

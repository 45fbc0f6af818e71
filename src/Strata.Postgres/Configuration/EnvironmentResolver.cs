using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Npgsql;

namespace Strata.Postgres.Configuration;

/// <summary>
/// Turns strata.json's <c>"environments"</c> into the <see cref="StrataEnvironment"/> a command runs
/// against: chooses it (<c>--env</c> &gt; <c>$STRATA_ENV</c> &gt; <c>$DOTNET_ENVIRONMENT</c> &gt;
/// development), reads its .env files, substitutes <c>${VARIABLE}</c> references and parses the URLs.
/// </summary>
/// <remarks>
/// The variables are a Microsoft.Extensions.Configuration stack: the .env files, then the process
/// environment on top. A later source wins there, so the files are added in reverse: the process
/// environment beats every file, and among the files the more specific one wins, as in dotenv-flow, Vite
/// and Next.js: <c>.env.&lt;env&gt;.local</c>, <c>.env.local</c> (not for the test environment, so that
/// tests do not depend on one machine's settings), <c>.env.&lt;env&gt;</c>, <c>.env</c>.
/// </remarks>
public static partial class EnvironmentResolver
{
    /// <summary>Names the environment when <c>--env</c> is not given.</summary>
    public const string StrataEnvVariable = "STRATA_ENV";

    /// <summary>The .NET host's environment name, used when neither --env nor $STRATA_ENV is.</summary>
    public const string DotnetEnvironmentVariable = "DOTNET_ENVIRONMENT";

    /// <summary>The environment whose variables never come from <c>.env.local</c> (as in dotenv-flow, Vite and Next.js).</summary>
    public const string TestEnvironment = "test";

    /// <summary>
    /// The .env files of <paramref name="environment"/> next to strata.json, the one that wins first:
    /// <c>.env.&lt;env&gt;.local</c>, <c>.env.local</c> (left out for test), <c>.env.&lt;env&gt;</c>, <c>.env</c>.
    /// </summary>
    public static IReadOnlyList<string> EnvFiles(string projectRoot, string environment) =>
        string.Equals(environment, TestEnvironment, StringComparison.OrdinalIgnoreCase)
            ? [Path.Combine(projectRoot, $".env.{environment}.local"), Path.Combine(projectRoot, $".env.{environment}"), Path.Combine(projectRoot, ".env")]
            : [Path.Combine(projectRoot, $".env.{environment}.local"), Path.Combine(projectRoot, ".env.local"), Path.Combine(projectRoot, $".env.{environment}"), Path.Combine(projectRoot, ".env")];

    /// <summary>Resolves the environment and parses its connections.</summary>
    /// <param name="envOption">The value of <c>--env</c>, or null.</param>
    /// <param name="processVariables">The process environment; null reads the real one (tests pass their own).</param>
    /// <param name="withConnections">False when <c>--connection</c> replaces the environment's URLs: they are then neither substituted nor parsed.</param>
    public static StrataEnvironment Resolve(StrataConfig config, string? envOption, IReadOnlyDictionary<string, string?>? processVariables = null, bool withConnections = true)
    {
        var process = processVariables is null
            ? new ConfigurationBuilder().AddEnvironmentVariables().Build()
            : new ConfigurationBuilder().AddInMemoryCollection(processVariables).Build();
        var (chosen, chosenBy) = Choose(envOption, name => process[name]);

        var environments = config.Environments ?? new Dictionary<string, EnvironmentSettings>();
        EnvironmentSettings settings;
        if (environments.TryGetValue(chosen, out var found))
            settings = found;
        else if (string.Equals(chosen, StrataEnvironment.Development, StringComparison.OrdinalIgnoreCase))
            settings = new EnvironmentSettings(StrataEnvironment.Development);
        else
            throw UnknownEnvironment(config, chosen, chosenBy, environments);

        var files = EnvFiles(config.ProjectRoot, settings.Name);
        var builder = new ConfigurationBuilder();
        foreach (var file in files.Reverse())
            builder.Add(new DotEnvConfigurationSource(file));
        if (processVariables is null)
            builder.AddEnvironmentVariables();
        else
            builder.AddInMemoryCollection(processVariables);
        var variables = new Variables(builder.Build(), files);

        NpgsqlConnectionStringBuilder? connection = null, direct = null;
        var sslModeSources = new Dictionary<string, string>(StringComparer.Ordinal);
        if (withConnections)
        {
            if (settings.Url is null && settings.Name != StrataEnvironment.Development)
                throw new ConfigurationException($"the environment \"{settings.Name}\" has no \"url\" in {config.ConfigPath}",
                    remedy: $"Give it one, usually from a variable: \"url\": \"${{{settings.Name.ToUpperInvariant().Replace('-', '_').Replace('.', '_')}_DATABASE_URL}}\". Only development may leave it out (Strata then runs a local PostgreSQL).");
            if (settings.DirectUrl is not null && settings.Url is null)
                throw new ConfigurationException($"the environment \"{settings.Name}\" has a \"directUrl\" but no \"url\" in {config.ConfigPath}",
                    remedy: "\"directUrl\" is the direct connection used for schema changes when \"url\" goes through a pooler: give \"url\" too.");
            var certificate = settings.RootCertificate is null ? null : Certificate(config, settings, variables);
            connection = Connection(settings, "url", settings.Url, certificate, variables, sslModeSources);
            direct = Connection(settings, "directUrl", settings.DirectUrl, certificate, variables, sslModeSources);
        }
        return new StrataEnvironment(settings.Name, chosenBy, connection, direct, settings, files.Where(File.Exists).ToList(), variables.Sources(), sslModeSources);
    }

    /// <summary>--env &gt; $STRATA_ENV &gt; $DOTNET_ENVIRONMENT &gt; development, with how it was chosen.</summary>
    public static (string Name, string ChosenBy) Choose(string? envOption, Func<string, string?> variable)
    {
        if (!string.IsNullOrWhiteSpace(envOption))
            return (envOption.Trim(), "--env");
        if (variable(StrataEnvVariable) is { Length: > 0 } strataEnv)
            return (strataEnv.Trim(), "$" + StrataEnvVariable);
        if (variable(DotnetEnvironmentVariable) is { Length: > 0 } dotnetEnv)
            return (dotnetEnv.Trim(), "$" + DotnetEnvironmentVariable);
        return (StrataEnvironment.Development, "the default");
    }

    private static ConfigurationException UnknownEnvironment(StrataConfig config, string chosen, string chosenBy, IReadOnlyDictionary<string, EnvironmentSettings> environments)
    {
        var known = environments.Keys.Any(k => string.Equals(k, StrataEnvironment.Development, StringComparison.OrdinalIgnoreCase))
            ? environments.Keys.ToList()
            : environments.Keys.Prepend(StrataEnvironment.Development).ToList();
        return new ConfigurationException(
            $"the environment \"{chosen}\" (from {chosenBy}) is not in {config.ConfigPath}; the known environments are {string.Join(", ", known)}",
            remedy: environments.Count == 0
                ? $"strata.json has no \"environments\", so only development exists. Add \"environments\": {{ \"{chosen}\": {{ \"url\": \"${{DATABASE_URL}}\" }} }}, or choose another with --env."
                : $"Choose one of them with --env <name> (or ${StrataEnvVariable}), or add \"{chosen}\" to \"environments\" in strata.json.");
    }

    private static string Certificate(StrataConfig config, EnvironmentSettings settings, Variables variables)
    {
        var path = Path.GetFullPath(variables.Substitute(settings.RootCertificate!, settings.Name, "rootCertificate"), config.ProjectRoot);
        if (!File.Exists(path))
            throw new ConfigurationException($"the root certificate {path} (\"rootCertificate\" of environment \"{settings.Name}\") does not exist",
                remedy: "Download your provider's CA certificate to that path (relative paths start at the folder of strata.json), or fix \"rootCertificate\".");
        return path;
    }

    private static NpgsqlConnectionStringBuilder? Connection(EnvironmentSettings settings, string key, string? text, string? certificate, Variables variables, Dictionary<string, string> sslModeSources)
    {
        if (text is null)
            return null;
        var source = $"\"{key}\" of environment \"{settings.Name}\"";
        var value = variables.Substitute(text, settings.Name, key);
        if (string.IsNullOrWhiteSpace(value))
            throw new ConfigurationException($"{source} is empty{(text.Contains("${", StringComparison.Ordinal) ? " after its variables were substituted" : "")}",
                remedy: "Set the variable it uses to a postgres:// URL or an Npgsql connection string.");
        var builder = DatabaseConnection.Parse(value, source);
        // The most specific setting wins: the URL's own sslmode (one connection, often one machine's
        // variable) over strata.json's "sslMode" (the environment's default for every URL it has).
        if (DatabaseConnection.SetsSslMode(value))
            sslModeSources[key] = $"sslmode in the {source}";
        else if (settings.SslMode is { } sslMode)
        {
            sslModeSources[key] = $"\"sslMode\" of environment \"{settings.Name}\" in strata.json";
            builder.SslMode = sslMode switch
            {
                EnvironmentSslMode.Disable => SslMode.Disable,
                EnvironmentSslMode.Prefer => SslMode.Prefer,
                EnvironmentSslMode.Require => SslMode.Require,
                EnvironmentSslMode.VerifyCa => SslMode.VerifyCA,
                _ => SslMode.VerifyFull,
            };
        }
        if (certificate is not null)
            builder.RootCertificate = certificate;
        if (settings.PoolSize is { } poolSize)
            builder.MaxPoolSize = poolSize;
        if (settings.ConnectTimeout is { } connectTimeout)
            builder.Timeout = connectTimeout;
        if (settings.CommandTimeout is { } commandTimeout)
            builder.CommandTimeout = commandTimeout;
        return builder;
    }

    [GeneratedRegex(@"\$\{(?<name>[^}]*)\}")]
    private static partial Regex Reference();

    /// <summary>The variables a strata.json value may refer to: the process environment over the .env files.</summary>
    private sealed class Variables(IConfigurationRoot configuration, IReadOnlyList<string> files)
    {
        /// <summary>Replaces every <c>${NAME}</c> in <paramref name="text"/>; never quotes the text in a message (it may hold a password).</summary>
        public string Substitute(string text, string environment, string key)
        {
            var setting = $"\"{key}\" of environment \"{environment}\"";
            var unclosed = text.IndexOf("${", StringComparison.Ordinal) is var open and >= 0 && text.IndexOf('}', open) < 0;
            if (unclosed)
                throw new ConfigurationException($"{setting} has a \"${{\" without its closing \"}}\"", remedy: "Write a variable as ${NAME}.");

            var missing = new List<string>();
            var result = Reference().Replace(text, match =>
            {
                var name = match.Groups["name"].Value;
                if (!DotEnvFile.IsName(name))
                    throw new ConfigurationException($"{setting} refers to ${{{name}}}, which is not a variable name (letters, digits and '_')");
                if (Get(name) is { } value)
                    return value;
                missing.Add(name);
                return "";
            });
            if (missing.Count > 0)
            {
                var name = missing[0];
                throw new ConfigurationException(
                    $"the variable {name} is not set: {setting} in strata.json uses it. It can come from the process environment or from these files, read in this order:",
                    details: files.Select(f => $"{f}{(File.Exists(f) ? "" : " (does not exist)")}").ToList(),
                    remedy: $"Set {name} in the environment, or add a line {name}=… to one of those files (the first file that sets it wins, and the process environment wins over every file; "
                        + $"keep secrets in the .local files, out of version control).");
            }
            return result;
        }

        /// <summary>
        /// Each variable the .env files set, with where its value comes from (a file, or the process
        /// environment that overrides it): names and places only, never a value.
        /// </summary>
        public IReadOnlyList<VariableSource> Sources()
        {
            var names = configuration.Providers.OfType<DotEnvConfigurationProvider>()
                .SelectMany(p => p.Names)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal);
            return names.Select(name => new VariableSource(name,
                    configuration.Providers.Reverse().First(p => Sets(p, name)) is DotEnvConfigurationProvider file ? file.Path : "the process environment"))
                .ToList();
        }

        private static bool Sets(IConfigurationProvider provider, string name) =>
            provider is EnvironmentVariablesConfigurationProvider ? Environment.GetEnvironmentVariable(name) is not null : provider.TryGet(name, out _);

        private string? Get(string name)
        {
            foreach (var provider in configuration.Providers.Reverse())
            {
                // Configuration keys use ':' where environment variables use "__" (ConnectionStrings__Main).
                var key = provider is DotEnvConfigurationProvider ? name : name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
                if (!provider.TryGet(key, out var value))
                    continue;
                // Configuration keys ignore case, environment variables do not: a variable whose name
                // differs in case is not the one asked for.
                if (provider is EnvironmentVariablesConfigurationProvider && Environment.GetEnvironmentVariable(name) is null)
                    continue;
                return value;
            }
            return null;
        }
    }
}

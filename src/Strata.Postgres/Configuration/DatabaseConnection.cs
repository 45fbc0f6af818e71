using Npgsql;

namespace Strata.Postgres.Configuration;

/// <summary>
/// A connection string given as a <c>postgres://</c> URL (what cloud providers hand out) or an Npgsql
/// keyword string, turned into the keyword form. Its password never appears in a message.
/// </summary>
public static class DatabaseConnection
{
    /// <summary>The environment variable <c>strata migrate</c> reads when <c>--connection</c> is not given.</summary>
    public const string EnvironmentVariable = "STRATA_DATABASE_URL";

    public static NpgsqlConnectionStringBuilder Parse(string text, string source)
    {
        text = text.Trim();
        if (IsUrl(text))
            return ParseUrl(text, source);
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            if (string.IsNullOrEmpty(builder.Host))
                throw new ConfigurationException($"the connection string in {source} has no Host", remedy: "Write Host=…;Database=…;Username=… or a postgres://user@host/db URL.");
            return builder;
        }
        catch (ArgumentException e)
        {
            // Npgsql's message quotes the keyword, never the value, so it is safe to show.
            throw new ConfigurationException($"the connection string in {source} is not valid: {e.Message}",
                remedy: "Write it as a URL (postgres://user:password@host:5432/database?sslmode=require) or as Npgsql keywords (Host=…;Database=…;Username=…;Password=…).");
        }
    }

    /// <summary>Whether the connection string sets its own SSL mode (?sslmode= in a URL, SSL Mode= in keywords): it then wins over strata.json's "sslMode".</summary>
    public static bool SetsSslMode(string text)
    {
        text = text.Trim();
        if (IsUrl(text))
            return text.IndexOf('?') is var query and >= 0
                && text[(query + 1)..].Split('&').Any(pair => pair.StartsWith("sslmode=", StringComparison.Ordinal));
        return SetsKeyword(text, "SslMode");
    }

    /// <summary>Whether <paramref name="text"/> is a <c>postgres://</c> or <c>postgresql://</c> URL rather than Npgsql keywords.</summary>
    public static bool IsUrl(string text)
    {
        text = text.TrimStart();
        return text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Whether a keyword connection string sets <paramref name="keyword"/> itself, however it spells it
    /// (<c>SSL Mode</c>, <c>sslmode</c>): Npgsql's builder answers for every keyword it knows, set or not.
    /// False for a URL and for a string that does not parse.
    /// </summary>
    public static bool SetsKeyword(string text, string keyword)
    {
        if (IsUrl(text))
            return false;
        try
        {
            return new System.Data.Common.DbConnectionStringBuilder { ConnectionString = text }.Keys.Cast<string>()
                .Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals(keyword.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Host, port, database and user: enough to recognise the target, nothing secret.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"{(string.IsNullOrEmpty(builder.Username) ? "" : builder.Username + "@")}{builder.Host}:{builder.Port}/{builder.Database ?? "(default database)"}";

    private static NpgsqlConnectionStringBuilder ParseUrl(string text, string source)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new ConfigurationException($"the connection URL in {source} is not a valid postgres:// URL",
                remedy: "Write it as postgres://user:password@host:5432/database (percent-encode special characters in the password).");

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
            builder.Port = uri.Port;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
            builder.Database = database;

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            switch (key)
            {
                case "sslmode":
                    builder.SslMode = value.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant() switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verifyca" => SslMode.VerifyCA,
                        "verifyfull" => SslMode.VerifyFull,
                        _ => throw new ConfigurationException($"sslmode={value} in the connection URL in {source} is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                    };
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                case "connect_timeout":
                    builder.Timeout = int.TryParse(value, out var seconds) ? seconds
                        : throw new ConfigurationException($"connect_timeout={value} in the connection URL in {source} is not a number of seconds");
                    break;
                case "options":
                    builder.Options = value;
                    break;
                case "channel_binding":
                    builder.ChannelBinding = value == "require" ? ChannelBinding.Require : value == "disable" ? ChannelBinding.Disable : ChannelBinding.Prefer;
                    break;
                default:
                    throw new ConfigurationException($"the connection URL in {source} has the parameter \"{key}\", which Strata does not know",
                        remedy: "Use sslmode, application_name, connect_timeout, options or channel_binding, or give an Npgsql keyword string instead.");
            }
        }
        return builder;
    }
}

using Microsoft.Extensions.Configuration;
using Npgsql;
using TaskTracker.Web;

namespace TaskTracker.Tests;

/// <summary>How the app finds its database in its configuration.</summary>
public sealed class DatabaseSettingsTests
{
    [Fact]
    public void A_database_url_becomes_an_npgsql_connection_string_with_its_escaped_password_and_ssl_mode()
    {
        var builder = new NpgsqlConnectionStringBuilder(
            DatabaseSettings.FromUrl("postgres://app:p%40ss%3Aword@db.example.com:6432/tasks?sslmode=verify-full", "DATABASE_URL"));

        Assert.Equal(("db.example.com", 6432, "tasks", "app", "p@ss:word", SslMode.VerifyFull),
            (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password, builder.SslMode));
        Assert.Equal(5432, new NpgsqlConnectionStringBuilder(DatabaseSettings.FromUrl("postgresql://me@localhost/dev", "DATABASE_URL")).Port);
    }

    [Theory]
    [InlineData("mysql://me@localhost/dev", "DATABASE_URL is not a postgres://user:password@host:port/database URL.")]
    [InlineData("postgres://me@localhost/dev?pool=5", "DATABASE_URL: the URL parameter 'pool' is not understood (only sslmode is).")]
    public void A_url_the_app_cannot_use_is_refused_naming_the_setting(string url, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DatabaseSettings.FromUrl(url, "DATABASE_URL"));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void The_connection_string_wins_over_database_url_and_without_either_the_message_says_what_to_set()
    {
        var both = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:TaskTracker"] = "Host=one;Database=a",
            ["DATABASE_URL"] = "postgres://me@two/b",
        }).Build();
        var neither = new ConfigurationBuilder().Build();

        Assert.Equal("Host=one;Database=a", DatabaseSettings.ConnectionString(both));
        var error = Assert.Throws<InvalidOperationException>(() => DatabaseSettings.ConnectionString(neither));
        Assert.Contains("set ConnectionStrings:TaskTracker", error.Message);
        Assert.Contains("DATABASE_URL", error.Message);
    }
}

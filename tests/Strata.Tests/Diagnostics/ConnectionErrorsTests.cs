using System.Net.Sockets;
using Npgsql;
using Strata.Postgres.Diagnostics;

namespace Strata.Tests.Diagnostics;

/// <summary>What a failed connection means, as the CLI prints it and Strata.Hosting logs it.</summary>
public sealed class ConnectionErrorsTests
{
    private static readonly NpgsqlConnectionStringBuilder Connection = new("Host=db.example.com;Port=5433;Database=shop;Username=app;Password=topsecret");

    private static PostgresException Server(string sqlState, string message) => new(message, "FATAL", "FATAL", sqlState);

    [Fact]
    public void A_rejected_password_names_the_user_and_server_and_where_the_password_came_from_never_the_password()
    {
        var failure = ConnectionErrors.Describe(Server("28P01", "password authentication failed for user \"app\""), Connection, "--connection");

        Assert.Equal(ConnectionProblem.PasswordRejected, failure.Problem);
        Assert.Equal("password authentication failed for user \"app\" on db.example.com:5433", failure.Message);
        Assert.StartsWith("Check the user and password in --connection", failure.Remedy);
        Assert.DoesNotContain("topsecret", failure.Message + failure.Remedy);
        Assert.IsType<PostgresException>(failure.InnerException);
    }

    [Fact]
    public void An_unknown_role_is_told_apart_from_a_pg_hba_rejection_though_both_are_28000()
    {
        var missing = ConnectionErrors.Describe(Server("28000", "role \"app\" does not exist"), Connection, "--connection");
        var refused = ConnectionErrors.Describe(Server("28000", "no pg_hba.conf entry for host \"10.0.0.1\""), Connection, "--connection");

        Assert.Equal(ConnectionProblem.RoleMissing, missing.Problem);
        Assert.StartsWith("the role \"app\" does not exist on db.example.com:5433", missing.Message);
        Assert.Equal(ConnectionProblem.NotAllowed, refused.Problem);
        Assert.Contains("pg_hba.conf", refused.Remedy);
    }

    [Fact]
    public void A_missing_database_says_how_to_create_it()
    {
        var failure = ConnectionErrors.Describe(Server("3D000", "database \"shop\" does not exist"), Connection, "\"url\" of environment \"development\"");

        Assert.Equal(ConnectionProblem.DatabaseMissing, failure.Problem);
        Assert.Equal("the database \"shop\" does not exist on db.example.com:5433", failure.Message);
        Assert.Contains("createdb -h db.example.com -p 5433 shop", failure.Remedy);
        Assert.EndsWith("fix the database name in \"url\" of environment \"development\".", failure.Remedy);
    }

    [Fact]
    public void Nothing_listening_and_an_unknown_host_are_network_problems_with_their_own_words()
    {
        var refused = ConnectionErrors.Describe(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), Connection, "--connection");
        var unknown = ConnectionErrors.Describe(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.HostNotFound)), Connection, "--connection");

        Assert.Equal(ConnectionProblem.ConnectionRefused, refused.Problem);
        Assert.Equal("cannot reach db.example.com:5433: connection refused (nothing listens on that port)", refused.Message);
        Assert.Equal(ConnectionProblem.UnknownHost, unknown.Problem);
        Assert.Equal("cannot reach db.example.com:5433: the host name \"db.example.com\" is not known", unknown.Message);
    }

    [Fact]
    public void A_server_without_SSL_names_the_setting_that_asked_for_it()
    {
        var connection = new NpgsqlConnectionStringBuilder(Connection.ConnectionString) { SslMode = SslMode.Require };

        var failure = ConnectionErrors.Describe(new NpgsqlException("No SSL enabled connection from this host is configured."), connection, "--connection", "\"sslMode\" of environment \"production\"");

        Assert.Equal(ConnectionProblem.SslNotOffered, failure.Problem);
        Assert.Contains("(SSL mode require, from \"sslMode\" of environment \"production\")", failure.Message);
        Assert.Contains("set \"sslMode\": \"disable\"", failure.Remedy);
    }
}

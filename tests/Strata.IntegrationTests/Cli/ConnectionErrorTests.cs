using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.LocalServer;

namespace Strata.IntegrationTests.Cli;

/// <summary>Every way of failing to connect: its own message, exit 2, no password, and nothing read or changed.</summary>
[Collection(CliCollection.Name)]
public sealed class ConnectionErrorTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task An_unparsable_url_names_the_setting_it_came_from()
    {
        using var copy = await CopyAsync("""{ "production": { "url": "${DATABASE_URL}" } }""");
        copy.WriteFile(".env.production", $"DATABASE_URL=postgres://app:{PasswordRole.Password}@db.example.com:port/shop\n");

        var result = await copy.RunAsync("migrate", "--env", "production");

        AssertUsageError(result, "the connection URL in \"url\" of environment \"production\" is not a valid postgres:// URL");
    }

    [Fact]
    public async Task A_port_where_nothing_listens_is_connection_refused_naming_host_and_port()
    {
        using var copy = await CopyAsync("""{ "production": { "url": "${DATABASE_URL}" } }""");
        var port = PasswordRole.UnusedPort();
        copy.WriteFile(".env.production", $"DATABASE_URL=postgres://app:{PasswordRole.Password}@127.0.0.1:{port}/shop\n");

        var result = await copy.RunAsync("migrate", "--env", "production");

        AssertUsageError(result, $"cannot reach 127.0.0.1:{port}: connection refused (nothing listens on that port)");
    }

    [Fact]
    public async Task A_server_that_never_answers_is_given_up_on_after_the_connectTimeout()
    {
        // Accepts the TCP connection and then says nothing, as a host behind a firewall that drops packets seems to.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var copy = await CopyAsync($$"""{ "production": { "url": "postgres://app:{{PasswordRole.Password}}@127.0.0.1:{{port}}/shop", "connectTimeout": 1 } }""");

        var result = await copy.RunAsync("status", "--env", "production");

        // The message names the timeout of the connection that gave up (not the 15 s default); no stopwatch,
        // which a busy machine would break.
        AssertUsageError(result, $"no answer from 127.0.0.1:{port} within 1 s (the connect timeout)");
    }

    [Fact]
    public async Task A_wrong_password_is_named_as_such_without_the_password_and_touches_nothing()
    {
        await using var database = await PasswordRole.CreateDatabaseAsync(postgres, "conn_password");
        using var copy = await CopyAsync("""{ "production": { "url": "${DATABASE_URL}" } }""");
        copy.WriteFile(".env.production.local", $"DATABASE_URL={PasswordRole.Url(database, PasswordRole.Password + "-wrong")}\n");

        var result = await copy.RunAsync("migrate", "--env", "production");

        AssertUsageError(result, $"password authentication failed for user \"{PasswordRole.Name}\" on");
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "items")));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'"));

        copy.WriteFile(".env.production.local", $"DATABASE_URL={PasswordRole.Url(database)}\n");
        var right = await copy.RunAsync("migrate", "--env", "production");

        Assert.True(right.ExitCode == 0, right.ToString());
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "items")));
    }

    [Fact]
    public async Task A_database_that_does_not_exist_is_named()
    {
        await using var database = await postgres.CreateDatabaseAsync("conn_exists");
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = database.Name + "_missing" };
        using var copy = await CopyAsync($$"""{ "production": { "url": "{{target.ConnectionString}}" } }""");

        var result = await copy.RunAsync("status", "--env", "production");

        AssertUsageError(result, $"the database \"{database.Name}_missing\" does not exist on {target.Host}:{target.Port}");
    }

    [Fact]
    public async Task SslMode_require_in_strata_json_against_a_server_without_SSL_names_strata_json_and_a_remedy_that_works()
    {
        await using var database = await postgres.CreateDatabaseAsync("conn_ssl");
        using var copy = await CopyAsync("""{ "production": { "url": "${DATABASE_URL}", "sslMode": "require" } }""");
        copy.WriteFile(".env.production", $"DATABASE_URL={PostgresUrl(database)}\n");

        var result = await copy.RunAsync("migrate", "--env", "production");

        AssertUsageError(result, "does not offer SSL, and the connection requires it (SSL mode require, from \"sslMode\" of environment \"production\" in strata.json)");
        Assert.Contains("set \"sslMode\": \"disable\" for the environment in strata.json, or add sslmode=disable to \"url\" of environment \"production\"", result.Stderr);
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "items")));

        // The remedy works: the URL's own sslmode wins over strata.json's sslMode.
        copy.WriteFile(".env.production", $"DATABASE_URL={PostgresUrl(database)}?sslmode=disable\n");
        var fixedByUrl = await copy.RunAsync("migrate", "--env", "production");

        Assert.True(fixedByUrl.ExitCode == 0, fixedByUrl.ToString());
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "items")));
    }

    [Fact]
    public async Task Sslmode_require_in_the_url_against_a_server_without_SSL_names_the_url_even_when_strata_json_disables_it()
    {
        await using var database = await postgres.CreateDatabaseAsync("conn_ssl_url");
        using var copy = await CopyAsync("""{ "production": { "url": "${DATABASE_URL}", "sslMode": "disable" } }""");
        copy.WriteFile(".env.production", $"DATABASE_URL={PostgresUrl(database)}?sslmode=require\n");

        var result = await copy.RunAsync("migrate", "--env", "production");

        AssertUsageError(result, "(SSL mode require, from sslmode in the \"url\" of environment \"production\")");
        Assert.Contains("change sslmode to disable in \"url\" of environment \"production\" (the URL's own sslmode wins over \"sslMode\" in strata.json)", result.Stderr);
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "items")));
    }

    [Fact]
    public async Task A_role_that_does_not_exist_is_named_as_such_not_blamed_on_pg_hba_conf()
    {
        await using var database = await postgres.CreateDatabaseAsync("conn_role");
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = "nobody_here", Password = null };
        using var copy = await CopyAsync($$"""{ "production": { "url": "{{target.ConnectionString}}" } }""");

        var result = await copy.RunAsync("status", "--env", "production");

        AssertUsageError(result, $"the role \"nobody_here\" does not exist on {target.Host}:{target.Port}");
        Assert.DoesNotContain("pg_hba", result.Stderr);
        Assert.Contains("CREATE ROLE", result.Stderr);
    }

    // The test server's database as a postgres:// URL without an sslmode of its own.
    private static string PostgresUrl(Strata.Testing.TestDatabase database)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        return $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
    }

    [Fact]
    public async Task A_server_certificate_signed_by_another_authority_fails_verify_ca_and_the_right_root_certificate_passes()
    {
        await using var server = await LocalPostgres.StartAsync(new LocalPostgresOptions());
        using var serverCertificate = SelfSigned("strata-test-server");
        using var otherAuthority = SelfSigned("some-other-ca");
        await EnableSslAsync(server, serverCertificate);
        using var copy = await CopyAsync($$"""
            {
              "production": { "url": "{{server.ConnectionString}}", "sslMode": "verify-ca", "rootCertificate": "certs/ca.pem" }
            }
            """);
        Directory.CreateDirectory(Path.Combine(copy.Directory, "certs"));
        copy.WriteFile(Path.Combine("certs", "ca.pem"), otherAuthority.ExportCertificatePem());

        var wrong = await copy.RunAsync("status", "--env", "production");

        AssertUsageError(wrong, $"the SSL certificate of 127.0.0.1:{server.Port} failed verification (SSL mode verify-ca, root certificate {Path.Combine(copy.Directory, "certs", "ca.pem")})");

        copy.WriteFile(Path.Combine("certs", "ca.pem"), serverCertificate.ExportCertificatePem());
        var right = await copy.RunAsync("status", "--env", "production");

        Assert.True(right.ExitCode == 0, right.ToString());
    }

    [Fact]
    public async Task A_missing_root_certificate_file_is_named_before_connecting()
    {
        using var copy = await CopyAsync("""{ "production": { "url": "postgres://db.example.com/shop", "sslMode": "verify-full", "rootCertificate": "certs/prod-ca.pem" } }""");

        var result = await copy.RunAsync("migrate", "--env", "production");

        AssertUsageError(result, $"the root certificate {Path.Combine(copy.Directory, "certs", "prod-ca.pem")} (\"rootCertificate\" of environment \"production\") does not exist");
    }

    private static void AssertUsageError(CliResult result, string message)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.True(result.Stderr.StartsWith("error: ", StringComparison.Ordinal) && result.Stderr.Contains(message, StringComparison.Ordinal), $"expected \"{message}\" in\n{result}");
        Assert.DoesNotContain(PasswordRole.Password, result.Output);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.DoesNotContain("  applied ", result.Stdout);
    }

    private async Task<SampleCopy> CopyAsync(string environments)
    {
        var copy = sample.CreateCopy();
        var generate = await copy.RunAsync("generate", "--name", "init");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        copy.WriteEnvironments(environments);
        return copy;
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>
    /// Writes the certificate and key into the data directory through the server (so they belong to its
    /// user, also when the tests run as root), turns SSL on and reloads.
    /// </summary>
    private static async Task EnableSslAsync(LocalPostgres server, X509Certificate2 certificate)
    {
        await using var admin = NpgsqlDataSource.Create(server.ConnectionString);
        await PasswordRole.WriteServerFileAsync(admin, Path.Combine(server.DataDirectory, "server.crt"), certificate.ExportCertificatePem().Split('\n'));
        var key = Path.Combine(server.DataDirectory, "server.key");
        await PasswordRole.WriteServerFileAsync(admin, key, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem().Split('\n'));
        // COPY leaves it readable by all; the server refuses a key with group or world access. Root, or
        // the server's user that these tests otherwise run as, may change the mode of the server's file.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await admin.CreateCommand("ALTER SYSTEM SET ssl = on").ExecuteNonQueryAsync();
        await admin.CreateCommand("SELECT pg_reload_conf()").ExecuteNonQueryAsync();

        var withSsl = new NpgsqlConnectionStringBuilder(server.ConnectionString) { SslMode = SslMode.Require, Pooling = false };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(withSsl.ConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (attempt < StrataProcess.Patience.TotalSeconds * 10)
            {
                await Task.Delay(100);
            }
            catch (NpgsqlException e)
            {
                throw new InvalidOperationException($"SSL did not come on; the server's log:\n{await File.ReadAllTextAsync(server.LogFile)}", e);
            }
        }
    }
}

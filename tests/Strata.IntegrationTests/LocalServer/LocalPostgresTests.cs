using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;
using Strata.IntegrationTests.Cli;
using Strata.Postgres.LocalServer;

namespace Strata.IntegrationTests.LocalServer;

public sealed class LocalPostgresTests
{
    [Fact]
    public async Task A_throwaway_cluster_accepts_connections_and_leaves_nothing_behind_when_disposed()
    {
        var server = await LocalPostgres.StartAsync(new LocalPostgresOptions());
        var dataDirectory = server.DataDirectory;
        int port;
        try
        {
            Assert.True(server.IsThrowaway);
            Assert.True(server.StartedHere);
            port = server.Port;
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT current_user, current_database(), current_setting('server_version_num')::int, current_setting('fsync'), current_setting('max_connections')",
                connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal("postgres", reader.GetString(0));
            Assert.Equal("postgres", reader.GetString(1));
            Assert.True(reader.GetInt32(2) >= 150000);
            Assert.Equal("off", reader.GetString(3));
            Assert.Equal("200", reader.GetString(4));
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.False(Directory.Exists(dataDirectory));
        Assert.False(Directory.Exists(Path.GetDirectoryName(dataDirectory)));
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
    }

    [Fact]
    public async Task A_throwaway_cluster_is_stopped_and_deleted_when_the_process_that_started_it_dies_without_disposing()
    {
        await using var server = await LocalPostgres.StartAsync(new LocalPostgresOptions());
        var root = Path.GetDirectoryName(server.DataDirectory)!;
        // Stand-in for a test host killed mid-run: the watchdog watches this process instead of ours.
        using var owner = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        ThrowawayWatchdog.Start(root, server.DataDirectory, owner.Id);

        owner.Kill();
        await owner.WaitForExitAsync();

        var deadline = DateTime.UtcNow + StrataProcess.Patience;
        while (Directory.Exists(root) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.False(Directory.Exists(root));
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", server.Port));
    }

    [Fact]
    public async Task A_persistent_cluster_keeps_its_data_and_port_across_restarts_and_is_found_when_left_running()
    {
        var root = CreateFolder();
        var dataDirectory = Path.Combine(root, "cluster");
        try
        {
            int port;
            await using (var first = await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory }))
            {
                Assert.False(first.IsThrowaway);
                Assert.True(first.StartedHere);
                port = first.Port;
                await using var connection = new NpgsqlConnection(first.ConnectionString);
                await connection.OpenAsync();
                await new NpgsqlCommand("CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)", connection).ExecuteNonQueryAsync();
                NpgsqlConnection.ClearPool(connection); // the server is about to stop under the pooled connection
            }
            Assert.True(File.Exists(dataDirectory + ".port"));

            // Stopped on dispose: the next start starts it again, on the remembered port, with the data intact.
            await using (var second = await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory, StopOnDispose = false }))
            {
                Assert.True(second.StartedHere);
                Assert.Equal(port, second.Port);
                await using var connection = new NpgsqlConnection(second.ConnectionString);
                await connection.OpenAsync();
                Assert.Equal(42, await new NpgsqlCommand("SELECT id FROM kept", connection).ExecuteScalarAsync());
            }

            // Left running by the previous instance: found, not started again.
            await using (var third = await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory }))
            {
                Assert.False(third.StartedHere);
                Assert.Equal(port, third.Port);
                await using var connection = new NpgsqlConnection(third.ConnectionStringFor("postgres"));
                await connection.OpenAsync();
            }

            // The instance that found it running left it running.
            await using (var fourth = await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory }))
                Assert.False(fourth.StartedHere);
        }
        finally
        {
            await StopAsync(dataDirectory);
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Processes_starting_the_same_persistent_cluster_at_once_share_one_server()
    {
        var root = CreateFolder();
        var dataDirectory = Path.Combine(root, "cluster");
        try
        {
            // Created first: initdb itself is not meant to race.
            await using (await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory }))
            {
            }

            var servers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
                LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory, StopOnDispose = false })));

            Assert.Single(servers.Select(s => s.Port).Distinct());
            Assert.Single(servers, s => s.StartedHere);
            foreach (var server in servers)
            {
                await using var connection = new NpgsqlConnection(server.ConnectionString);
                await connection.OpenAsync();
                await server.DisposeAsync();
            }
        }
        finally
        {
            await StopAsync(dataDirectory);
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_data_directory_that_holds_other_files_is_refused_with_a_clear_message()
    {
        var root = CreateFolder();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, "notes.txt"), "not a cluster");
            var error = await Assert.ThrowsAsync<LocalPostgresException>(() => LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = root }));
            Assert.Contains(root, error.Message);
            Assert.Contains("no PostgreSQL cluster", error.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_binaries_folder_without_PostgreSQL_says_how_to_install_it()
    {
        var empty = CreateFolder();
        try
        {
            var error = await Assert.ThrowsAsync<LocalPostgresException>(() => LocalPostgres.StartAsync(new LocalPostgresOptions { BinDirectory = empty }));
            Assert.Contains(empty, error.Message);
            Assert.Contains("apt-get install postgresql", error.Message);
            Assert.Contains("STRATA_PG_BIN", error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public async Task A_server_that_cannot_start_reports_the_end_of_its_log()
    {
        var root = CreateFolder();
        var dataDirectory = Path.Combine(root, "cluster");
        try
        {
            await using (await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory }))
            {
            }
            // A setting the server rejects at start-up.
            await File.AppendAllTextAsync(Path.Combine(dataDirectory, "postgresql.conf"), "\nshared_buffers = 'plenty'\n");
            var error = await Assert.ThrowsAsync<LocalPostgresException>(() => LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory }));
            Assert.Contains("shared_buffers", error.Message);
            Assert.Contains("strata-server.log", error.Message);
        }
        finally
        {
            await StopAsync(dataDirectory);
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A temporary folder the postgres user may enter (the server runs as that user when the tests run as root).</summary>
    private static string CreateFolder()
    {
        var folder = Directory.CreateTempSubdirectory("strata-localpg-test-");
        if (!OperatingSystem.IsWindows())
            folder.UnixFileMode |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return folder.FullName;
    }

    private static async Task StopAsync(string dataDirectory)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
            return;
        var server = await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory });
        await server.StopAsync();
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using Strata.Design.SchemaSource;
using Strata.Model;

namespace Strata.IntegrationTests.Cli;

/// <summary>
/// The compile server (issue 17): a warm process compiles an edit of the schema project for the commands after the one
/// that started it. Its answer is the assembly a full build gives, its errors are the build's, and a server that is
/// gone or never answers leaves the command to compile in-process.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CompileServerTests
{
    private static readonly QualifiedName Users = new("public", "app_users");

    [Fact]
    public async Task A_server_compiles_an_edit_into_the_model_a_full_build_gives_and_stops_when_asked()
    {
        using var workspace = CompileWorkspace.Create();
        await workspace.CompileAsync();
        var socket = SocketIn(workspace);
        var server = CompileServer.RunAsync(socket, TimeSpan.FromMinutes(5), warmUpProject: workspace.Project.ProjectPath, CancellationToken.None);
        var client = new CompileServerClient(socket, new ProcessStartInfo("unused"));
        await WaitForAsync(() => CompileServerClient.AnswersAsync(socket, CancellationToken.None));

        workspace.Edit(CompileWorkspace.UsersFile, "t.Column(\"created_at\", Types.TimestampTz());",
            "t.Column(\"created_at\", Types.TimestampTz());\n            t.Column(\"last_seen_at\", Types.TimestampTz());");
        var response = await client.TryCompileAsync(workspace.Project, CancellationToken.None);

        Assert.NotNull(response);
        Assert.True(response.Compiled);
        var assembly = workspace.Project.FindAssembly(CompileManifest.Read(workspace.Project))!;
        var served = SchemaProjectLoader.Run(assembly, null);
        Assert.Contains(served.FindTable(Users)!.Columns, c => c.Name == "last_seen_at");
        Assert.Contains(served.FindTable(Users)!.Columns, c => c.Name == "display_name"); // the [GeneratedRegex] helper ran in the server too
        await FullBuild.RunAsync(workspace.Project, CancellationToken.None);
        Assert.Equal(SchemaProjectLoader.Run(workspace.Project.FindAssembly(CompileManifest.Read(workspace.Project))!, null), served);

        Assert.True(await client.ShutdownAsync(CancellationToken.None));
        await server.WaitAsync(StrataProcess.Patience);
        Assert.False(File.Exists(socket));
        Assert.Null(await client.TryCompileAsync(workspace.Project, CancellationToken.None));
    }

    [Fact]
    public async Task A_compile_error_in_the_server_reads_as_the_builds_and_keeps_the_last_assembly()
    {
        using var workspace = CompileWorkspace.Create();
        var built = await workspace.CompileAsync();
        var before = File.ReadAllBytes(built.AssemblyPath);
        var socket = SocketIn(workspace);
        using var stop = new CancellationTokenSource();
        var server = CompileServer.RunAsync(socket, TimeSpan.FromMinutes(5), warmUpProject: null, stop.Token);
        var client = new CompileServerClient(socket, new ProcessStartInfo("unused"));
        await WaitForAsync(() => CompileServerClient.AnswersAsync(socket, CancellationToken.None));

        workspace.Edit(CompileWorkspace.UsersFile, "t.Column(\"created_at\", Types.TimestampTz());", "t.Column(\"created_at\", Types.TimestampTz()).Missing();");
        var error = await Assert.ThrowsAsync<SchemaSourceException>(() => client.TryCompileAsync(workspace.Project, CancellationToken.None));

        Assert.Equal($"the schema project {workspace.Project.ProjectPath} does not build", error.Message);
        var usersPath = Path.Combine(workspace.Root, CompileWorkspace.UsersFile);
        var lines = File.ReadAllLines(usersPath);
        var row = Array.FindIndex(lines, l => l.Contains(".Missing()", StringComparison.Ordinal));
        Assert.StartsWith($"{usersPath}({row + 1},{lines[row].IndexOf("Missing", StringComparison.Ordinal) + 1}): error CS1061: ", Assert.Single(error.Details));
        Assert.Equal(before, File.ReadAllBytes(built.AssemblyPath));

        // Removing the socket file is how a cleanup stops a server (it looks every ten seconds).
        File.Delete(socket);
        await server.WaitAsync(StrataProcess.Patience);
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Without_a_socket_there_is_no_server_and_a_second_server_leaves_the_first_to_serve()
    {
        using var workspace = CompileWorkspace.Create();
        await workspace.CompileAsync();
        var socket = SocketIn(workspace);
        var client = new CompileServerClient(socket, new ProcessStartInfo("unused"));

        Assert.False(await CompileServerClient.AnswersAsync(socket, CancellationToken.None));
        Assert.Null(await client.TryCompileAsync(workspace.Project, CancellationToken.None));
        Assert.False(await client.ShutdownAsync(CancellationToken.None));

        var server = CompileServer.RunAsync(socket, TimeSpan.FromMinutes(5), warmUpProject: null, CancellationToken.None);
        await WaitForAsync(() => CompileServerClient.AnswersAsync(socket, CancellationToken.None));
        // A second server for the same socket sees the first answer and leaves at once.
        await CompileServer.RunAsync(socket, TimeSpan.FromMinutes(5), warmUpProject: null, CancellationToken.None).WaitAsync(StrataProcess.Patience);
        Assert.True(await CompileServerClient.AnswersAsync(socket, CancellationToken.None));
        Assert.True(await client.ShutdownAsync(CancellationToken.None));
        await server.WaitAsync(StrataProcess.Patience);
    }

    [Fact]
    public async Task The_cli_starts_a_server_after_a_build_and_the_next_edit_is_compiled_by_it()
    {
        using var workspace = CompileWorkspace.Create();
        workspace.Write("strata.json", """{ "schema": "App.Schema/App.Schema.csproj", "migrations": "db/migrations" }""");
        var folder = Path.Combine(workspace.Root, "compile-server");
        var environment = new Dictionary<string, string?>
        {
            [CompileServerClient.SwitchVariable] = "on",
            [CompileServerClient.FolderVariable] = folder,
        };
        try
        {
            var init = await StrataProcess.RunAsync(workspace.Root, environment, "generate", "--name", "init");
            Assert.True(init.ExitCode == 0, init.ToString());
            Assert.Contains("Building App.Schema.csproj", init.Stderr);
            // Started in the background by that generate: wait until it listens.
            await WaitForAsync(async () => Directory.Exists(folder) && Directory.GetFiles(folder, "*.sock") is [var socket] && await CompileServerClient.AnswersAsync(socket, CancellationToken.None));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));

            workspace.Edit(CompileWorkspace.UsersFile, "t.Column(\"created_at\", Types.TimestampTz());",
                "t.Column(\"created_at\", Types.TimestampTz());\n            t.Column(\"last_seen_at\", Types.TimestampTz());");
            var edited = await StrataProcess.RunAsync(workspace.Root, environment, "generate", "--name", "last_seen", "--verbose");

            Assert.True(edited.ExitCode == 0, edited.ToString());
            Assert.Contains("Compiling App.Schema.csproj (Tables/Users.cs changed)…", edited.Stderr);
            Assert.Matches(@"Compiled by the compile server \(\d+ ms of its CPU\)\.", edited.Stderr);
            var up = File.ReadAllText(Directory.GetFiles(Path.Combine(workspace.Root, "db", "migrations"), "up.sql", SearchOption.AllDirectories).Single(p => p.Contains("last_seen", StringComparison.Ordinal)));
            Assert.Contains("ADD COLUMN \"last_seen_at\" timestamp with time zone", up);

            // A server killed outright leaves its socket file behind: the next command compiles in its own process and
            // starts a new server, which takes the stale socket over.
            var socketPath = Directory.GetFiles(folder, "*.sock").Single();
            foreach (var pid in ServerProcesses(socketPath))
                Process.GetProcessById(pid).Kill();
            await WaitForAsync(() => Task.FromResult(ServerProcesses(socketPath).Count == 0));
            Assert.True(File.Exists(socketPath));
            workspace.Edit(CompileWorkspace.UsersFile, "t.Column(\"last_seen_at\", Types.TimestampTz());", "t.Column(\"last_seen_at\", Types.TimestampTz());\n            t.Column(\"last_login_at\", Types.TimestampTz());");
            var alone = await StrataProcess.RunAsync(workspace.Root, environment, "generate", "--name", "last_login", "--verbose");
            Assert.True(alone.ExitCode == 0, alone.ToString());
            Assert.DoesNotContain("Compiled by the compile server", alone.Stderr);
            await WaitForAsync(async () => ServerProcesses(socketPath).Count == 1 && await CompileServerClient.AnswersAsync(socketPath, CancellationToken.None));

            // The server's compile errors are the command's: file, line and column, exit 2, nothing written.
            workspace.Edit(CompileWorkspace.UsersFile, "t.Column(\"last_login_at\", Types.TimestampTz());", "t.Column(\"last_login_at\", Types.TimestampTz()).Missing();");
            var broken = await StrataProcess.RunAsync(workspace.Root, environment, "generate", "--name", "broken", "--verbose");
            Assert.Equal(2, broken.ExitCode);
            Assert.Contains($"{Path.Combine(workspace.Root, CompileWorkspace.UsersFile)}(", broken.Stderr);
            Assert.Contains("error CS1061", broken.Stderr);
            Assert.DoesNotContain("   at ", broken.Stderr);
            Assert.Equal(3, Directory.GetDirectories(Path.Combine(workspace.Root, "db", "migrations")).Length);
        }
        finally
        {
            foreach (var socket in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.sock") : [])
                await new CompileServerClient(socket, new ProcessStartInfo("unused")).ShutdownAsync(CancellationToken.None);
        }
    }

    /// <summary>The compile servers serving <paramref name="socketPath"/>, from their command lines.</summary>
    private static List<int> ServerProcesses(string socketPath) =>
        Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => (Pid: int.Parse(name!, System.Globalization.CultureInfo.InvariantCulture), CommandLine: ReadCommandLine(name!)))
            .Where(p => p.CommandLine.Contains("compile-server\0--socket\0" + socketPath, StringComparison.Ordinal))
            .Select(p => p.Pid)
            .ToList();

    private static string ReadCommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string SocketIn(CompileWorkspace workspace)
    {
        var folder = CompileServerEndpoint.PrivateFolder(Path.Combine(workspace.Root, "compile-server"))!;
        return Path.Combine(folder, "compile-test.sock");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + StrataProcess.Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the compile server never answered");
            await Task.Delay(50);
        }
    }
}

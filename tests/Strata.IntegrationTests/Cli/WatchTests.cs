using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Strata.Design.SchemaSource;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;

namespace Strata.IntegrationTests.Cli;

/// <summary>
/// <c>strata dev watch</c> (issue 17): one process that compiles the schema on each save and prints what the next
/// migration would contain, the compiler's errors, and which environments' databases are behind.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class WatchTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string AddNotes = "ALTER TABLE \"public\".\"items\" ADD COLUMN \"notes\" text;";

    [Fact]
    public async Task A_watch_prints_the_sql_of_each_save_the_compiler_errors_with_file_line_and_column_and_the_databases_behind_and_exits_0_on_SIGTERM()
    {
        using var copy = sample.CreateCopy();
        var init = await copy.RunAsync("generate", "--name", "init");
        Assert.True(init.ExitCode == 0, init.ToString());
        await using var database = await postgres.CreateDatabaseAsync("cli_watch");

        using var watch = WatchProcess.Start(copy.Directory, new Dictionary<string, string?>
        {
            ["TEST_DATABASE_URL"] = database.ConnectionString,
            // Nothing listens on port 1: refused at once.
            ["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/app?sslmode=disable",
            ["DIRECT_DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/app?sslmode=disable",
        }, "dev", "watch", "--env", "development,test,production");

        await watch.WaitForLineAsync(line => line.StartsWith("Watching Todo.Schema", StringComparison.Ordinal));
        Assert.Contains(watch.Lines, line => line == "No changes: the C# schema matches the last migration (0000_init).");
        var databases = Assert.Single(watch.Lines, line => line.StartsWith("Databases:", StringComparison.Ordinal));
        Assert.Equal("Databases: development: the local PostgreSQL is not running (strata dev start); test: 1 migration pending; production: not reachable", databases);

        copy.EditSchema("t.Column(\"due_on\", Types.Date);", "t.Column(\"due_on\", Types.Date);\n            t.Column(\"notes\", Types.Text);");
        await watch.WaitForLineAsync(line => line == AddNotes);
        Assert.Contains(watch.Lines, line => line == "The next migration would contain 1 statement (strata generate writes it):");

        copy.EditSchema("t.Column(\"notes\", Types.Text);", "t.Column(\"notes\", Types.Text)");
        var error = await watch.WaitForLineAsync(line => line.Contains(": error CS", StringComparison.Ordinal));
        var lines = File.ReadAllLines(copy.SchemaFile);
        var row = Array.FindIndex(lines, l => l.Contains("\"notes\"", StringComparison.Ordinal));
        Assert.Equal($"  {copy.SchemaFile}({row + 1},{lines[row].Length + 1}): error CS1002: ; expected", error);
        await watch.WaitForLineAsync(line => line == "Still watching: the next save compiles again.");

        copy.EditSchema("t.Column(\"notes\", Types.Text)", "t.Column(\"notes\", Types.Text);");
        await watch.WaitForLineAsync(line => line == AddNotes);

        // A migration written meanwhile: the watch reads the folder again and asks the databases again.
        var generate = await copy.RunAsync("generate", "--name", "notes");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        await watch.WaitForLineAsync(line => line == "No changes: the C# schema matches the last migration (0001_notes).");
        await watch.WaitForLineAsync(line => line.Contains("test: 2 migrations pending", StringComparison.Ordinal));

        var result = await watch.StopAsync();
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith("Stopped watching.", result.Stdout.TrimEnd());
        Assert.DoesNotContain("nobody@", result.Output);
        Assert.DoesNotContain(database.ConnectionString, result.Output);
    }

    [Fact]
    public async Task With_json_each_save_is_one_json_line()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        using var watch = WatchProcess.Start(copy.Directory, null, "dev", "watch", "--json", "--env", "none");

        // No "Watching" line in JSON: the first document is the start's.
        var first = await watch.WaitForLineAsync(line => line.StartsWith('{'));
        using (var start = System.Text.Json.JsonDocument.Parse(first))
        {
            Assert.True(start.RootElement.GetProperty("ok").GetBoolean());
            Assert.False(start.RootElement.GetProperty("changed").GetBoolean());
        }

        copy.EditSchema("t.Column(\"due_on\", Types.Date);", "t.Column(\"due_on\", Types.Date);\n            t.Column(\"notes\", Types.Text);");
        var saved = await watch.WaitForLineAsync(line => line.StartsWith('{'));
        using (var save = System.Text.Json.JsonDocument.Parse(saved))
        {
            Assert.Equal(2, save.RootElement.GetProperty("save").GetInt32());
            Assert.Equal("InProcess", save.RootElement.GetProperty("compilePath").GetString());
            var statement = Assert.Single(save.RootElement.GetProperty("statements").EnumerateArray());
            Assert.Equal(AddNotes, statement.GetProperty("sql").GetString());
        }

        var result = await watch.StopAsync();
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task The_schema_assemblies_of_successive_saves_are_unloaded_and_collected()
    {
        using var workspace = CompileWorkspace.Create();
        var built = await workspace.CompileAsync();

        var contexts = new List<WeakReference>();
        for (var save = 0; save < 5; save++)
        {
            workspace.Edit(CompileWorkspace.UsersFile, $"t.Column(\"created_at\", Types.TimestampTz());", $"t.Column(\"created_at\", Types.TimestampTz());\n            t.Column(\"c{save}\", Types.Text);");
            var compiled = await workspace.CompileAsync();
            Assert.Equal(SchemaCompilePath.InProcess, compiled.How);
            contexts.Add(Load(compiled.AssemblyPath, $"c{save}"));
        }

        // Collection takes a few rounds: finalizers of the context's loader allocator run between them.
        for (var round = 0; round < 50 && contexts.Any(c => c.IsAlive); round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.All(contexts, context => Assert.False(context.IsAlive, "a schema load context of an earlier save is still alive"));
    }

    // Not inlined: a local of the caller's frame must not keep the model's context reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Load(string assemblyPath, string column)
    {
        var model = SchemaProjectLoader.RunUnloadable(assemblyPath, null, out var context);
        Assert.Contains(model.FindTable(new QualifiedName("public", "app_users"))!.Columns, c => c.Name == column);
        return context;
    }

    [Fact]
    public async Task An_in_process_compile_parses_again_only_the_file_that_changed()
    {
        using var workspace = CompileWorkspace.Create();
        await workspace.CompileAsync();
        workspace.Edit(CompileWorkspace.UsersFile, "t.Column(\"created_at\", Types.TimestampTz());", "t.Column(\"created_at\", Types.TimestampTz());\n            t.Column(\"first\", Types.Text);");
        Assert.Equal(SchemaCompilePath.InProcess, (await workspace.CompileAsync()).How);

        workspace.Edit(CompileWorkspace.UsersFile, "\"first\"", "\"second\"");
        var result = await workspace.CompileAsync();

        Assert.Equal(SchemaCompilePath.InProcess, result.How);
        Assert.Equal(1, SchemaProjectLoader.LastParsedFileCount);
        Assert.Contains(SchemaProjectLoader.Run(result.AssemblyPath, null).FindTable(new QualifiedName("public", "app_users"))!.Columns, c => c.Name == "second");
    }

    [Fact]
    public async Task A_source_saved_while_an_in_process_compile_ran_is_compiled_by_the_next_run()
    {
        // Times set by hand, in the past, so that the compile writes the assembly after the save it missed (as a
        // compile that is slower than the editor does) on any machine.
        using var workspace = CompileWorkspace.Create();
        var now = DateTime.UtcNow;
        var project = Path.Combine(workspace.Root, "App.Schema");
        foreach (var file in Directory.EnumerateFiles(project, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, now.AddMinutes(-2));
        var built = await workspace.CompileAsync();
        File.SetLastWriteTimeUtc(built.AssemblyPath, now.AddMinutes(-1));

        var users = Path.Combine(workspace.Root, CompileWorkspace.UsersFile);
        Save(users, "t.Column(\"created_at\", Types.TimestampTz());", "t.Column(\"created_at\", Types.TimestampTz());\n            t.Column(\"first\", Types.Text);", now.AddSeconds(-30));
        Assert.Equal(SchemaCompilePath.InProcess, (await workspace.CompileAsync()).How);

        // A save that came after the compile read the sources and before it wrote the assembly: newer than what was read.
        Save(users, "\"first\"", "\"second\"", now.AddSeconds(-30).AddMilliseconds(1));
        var next = await workspace.CompileAsync();

        Assert.Equal(SchemaCompilePath.InProcess, next.How);
        Assert.Contains(SchemaProjectLoader.Run(next.AssemblyPath, null).FindTable(new QualifiedName("public", "app_users"))!.Columns, c => c.Name == "second");
    }

    private static void Save(string path, string oldText, string newText, DateTime writtenUtc)
    {
        var text = File.ReadAllText(path);
        Assert.Contains(oldText, text);
        File.WriteAllText(path, text.Replace(oldText, newText, StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(path, writtenUtc);
    }
}

/// <summary>A CLI process whose output a test reads line by line as it comes (a watch), then stops with SIGTERM.</summary>
internal sealed class WatchProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _pumps;
    private int _seen;

    private WatchProcess(Process process)
    {
        _process = process;
        process.StandardInput.Close();
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, line =>
        {
            lock (_stdout)
                _stdout.Add(line);
        }), PumpAsync(process.StandardError, line =>
        {
            lock (_stderr)
                _stderr.AppendLine(line);
        }));
    }

    public static WatchProcess Start(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        new(Process.Start(StrataProcess.StartInfo(workingDirectory, environment, args))!);

    /// <summary>Every stdout line so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_stdout)
                return _stdout.ToList();
        }
    }

    /// <summary>The first stdout line after the one the last wait returned that matches; throws with the output when none comes in time.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        using var patience = new CancellationTokenSource(StrataProcess.Patience);
        while (true)
        {
            lock (_stdout)
            {
                for (; _seen < _stdout.Count; _seen++)
                {
                    if (match(_stdout[_seen]))
                        return _stdout[_seen++];
                }
            }
            if (_process.HasExited && _pumps.IsCompleted)
                throw new InvalidOperationException($"the watch exited ({_process.ExitCode}) before the line came:\n{Output()}");
            try
            {
                await _arrived.WaitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the line did not come in {StrataProcess.Patience.TotalMinutes:0} minutes:\n{Output()}");
            }
        }
    }

    /// <summary>SIGTERM (Ctrl+C's SIGINT is handled the same way), then the run's result.</summary>
    public async Task<CliResult> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var patience = new CancellationTokenSource(StrataProcess.Patience);
        await _process.WaitForExitAsync(patience.Token);
        await _pumps;
        lock (_stdout)
        {
            lock (_stderr)
                return new CliResult(_process.ExitCode, string.Join('\n', _stdout) + "\n", _stderr.ToString());
        }
    }

    private string Output()
    {
        lock (_stdout)
        {
            lock (_stderr)
                return $"--- stdout\n{string.Join('\n', _stdout)}\n--- stderr\n{_stderr}";
        }
    }

    private async Task PumpAsync(StreamReader reader, Action<string> add)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            add(line);
            _arrived.Release();
        }
        _arrived.Release();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _arrived.Dispose();
    }
}

namespace Strata.IntegrationTests.Cli;

/// <summary>On a terminal, generate asks about each possible rename instead of stopping.</summary>
[Collection(CliCollection.Name)]
public sealed class InteractiveRenameTests(BuiltSample sample)
{
    // The last choice of the prompt: once it is printed, the prompt is ready for keys (the question itself wraps at 80 columns).
    private const string Question = "and create the new one";
    private const string Enter = "\r";
    private const string Down = "\u001b[B";

    [Fact]
    public async Task On_a_terminal_choosing_the_rename_writes_a_rename_and_shows_the_flag_for_next_time()
    {
        using var copy = await RenamedColumnAsync();

        var result = await StrataProcess.RunInTerminalAsync(copy.Directory, [(Question, Enter)], "generate", "--name", "rename_display_name");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("--rename 'column:public.users.display_name=full_name'", result.Stdout);
        var up = copy.ReadMigrationFile("0001_rename_display_name", "up.sql");
        Assert.Contains("RENAME COLUMN \"display_name\" TO \"full_name\"", up);
        Assert.DoesNotContain("DROP COLUMN", up);
    }

    [Fact]
    public async Task On_a_terminal_choosing_drop_and_create_writes_a_drop_and_an_add()
    {
        using var copy = await RenamedColumnAsync();

        var result = await StrataProcess.RunInTerminalAsync(copy.Directory, [(Question, Down + Enter)], "generate", "--name", "replace_display_name");

        Assert.True(result.ExitCode == 0, result.ToString());
        var up = copy.ReadMigrationFile("0001_replace_display_name", "up.sql");
        Assert.Contains("DROP COLUMN \"display_name\"", up);
        Assert.Contains("ADD COLUMN \"full_name\"", up);
        Assert.DoesNotContain("RENAME", up);
    }

    private async Task<SampleCopy> RenamedColumnAsync()
    {
        var copy = sample.CreateCopy();
        var init = await copy.RunAsync("generate", "--name", "init");
        Assert.True(init.ExitCode == 0, init.ToString());
        copy.EditSchema("t.Column(\"display_name\", Types.Text)", "t.Column(\"full_name\", Types.Text)");
        return copy;
    }
}

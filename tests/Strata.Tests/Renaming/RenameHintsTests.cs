using Strata.Cli.Commands;
using Strata.Renaming;

namespace Strata.Tests.Renaming;

/// <summary>The rename hints a command is given: one by one, then a hints file's lines.</summary>
public sealed class RenameHintsTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("strata-hints-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Without_a_file_the_given_hints_are_the_hints()
    {
        Assert.Equal(["table:public.a=public.b"], await RenameHints.ReadAsync(["table:public.a=public.b"], null));
    }

    [Fact]
    public async Task A_file_s_hints_follow_the_given_ones_without_comments_blank_lines_or_surrounding_space()
    {
        var file = Path.Combine(_root.FullName, "renames.txt");
        File.WriteAllText(file, """
            # renamed in the March release
              column:public.users.name=full_name   # kept its data

            !table:public.legacy
            """);

        var hints = await RenameHints.ReadAsync(["table:public.a=public.b"], file);

        Assert.Equal(["table:public.a=public.b", "column:public.users.name=full_name", "!table:public.legacy"], hints);
    }

    [Fact]
    public async Task A_missing_file_is_named_and_the_CLI_reports_it_as_a_usage_error()
    {
        var file = Path.Combine(_root.FullName, "nowhere.txt");

        var error = await Assert.ThrowsAsync<RenameHintsFileNotFoundException>(() => RenameHints.ReadAsync([], file));

        Assert.Equal(file, error.Path);
        Assert.Equal($"the renames file {file} does not exist", error.Message);
        var cli = KnownErrors.Translate(error)!;
        Assert.Equal(Strata.Cli.ExitCodes.UsageError, cli.ExitCode);
        Assert.Equal(error.Message, cli.Message);
    }
}

using System.Text.RegularExpressions;
using Strata.IntegrationTests.Cli.Pull;

namespace Strata.IntegrationTests.Cli;

/// <summary>Rename hints for names that hold the hint syntax's own characters (<c>.</c>, <c>:</c>, <c>=</c>), quoted as PostgreSQL quotes names.</summary>
[Collection(CliCollection.Name)]
public sealed partial class RenameHintQuotingTests
{
    [Fact]
    public async Task Generate_suggests_quoted_hints_for_a_column_with_dots_and_reads_them_back()
    {
        using var project = await PullProject.InitAsync();
        project.SetDefine("""
            db.Table("users", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("special.column", Types.Text); });
            """);
        var init = await project.RunAsync("generate", "--name", "init");
        Assert.True(init.ExitCode == 0, init.ToString());
        project.SetDefine("""
            db.Table("users", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("a=b:c", Types.Text); });
            """);

        var stopped = await project.RunAsync("generate", "--name", "renamed");

        Assert.NotEqual(0, stopped.ExitCode);
        Assert.Contains("""--rename 'column:public.users."special.column"="a=b:c"'""", stopped.Stderr);
        Assert.Contains("""--rename '!column:public.users."special.column"'""", stopped.Stderr);

        // The suggestion, as printed, is the hint generate reads.
        var suggested = SuggestedRename().Match(stopped.Stderr).Groups[1].Value;
        var renamed = await project.RunAsync("generate", "--name", "renamed", "--rename", suggested);

        Assert.True(renamed.ExitCode == 0, renamed.ToString());
        var up = File.ReadAllText(Path.Combine(project.MigrationsFolder, "0001_renamed", "up.sql"));
        Assert.Contains("""ALTER TABLE "public"."users" RENAME COLUMN "special.column" TO "a=b:c";""", up);

    }

    [GeneratedRegex("renamed to .*?--rename '([^']+)'")]
    private static partial Regex SuggestedRename();
}

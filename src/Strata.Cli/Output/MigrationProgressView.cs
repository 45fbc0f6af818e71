using Spectre.Console;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Output;

/// <summary>How a run of migrations shows its progress: a live bar on a terminal, a line per migration without one (migrate, reset).</summary>
internal static class MigrationProgressView
{
    /// <summary>A live bar on a terminal: migration i of n and statement k of m, cleared when the run ends.</summary>
    public static async Task<T> WithProgressBarAsync<T>(CliOutput output, Func<IProgress<MigrationProgress>, Task<T>> run)
    {
        T? result = default;
        await output.Terminal.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(async display =>
            {
                var task = display.AddTask("waiting for the migration lock", maxValue: 1);
                result = await run(new ProgressBar(task));
                task.Value = task.MaxValue;
            });
        return result!;
    }

    // Progress<T> posts to the thread pool, so its reports can arrive out of order or after the run:
    // these are told synchronously, on the migrator's own thread.
    private sealed class ProgressBar(ProgressTask task) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value)
        {
            task.MaxValue = Math.Max(1, value.MigrationCount);
            task.Value = value.MigrationIndex + (value.StatementCount == 0 ? 0 : (double)value.StatementIndex / value.StatementCount);
            task.Description = $"{Markup.Escape(value.MigrationId)}: migration {value.MigrationIndex + 1} of {value.MigrationCount}"
                + (value.StatementCount == 0 ? "" : $", statement {Math.Min(value.StatementIndex + 1, value.StatementCount)} of {value.StatementCount}");
        }
    }

    /// <summary>Without a terminal, a plain line on stderr as each migration starts, for CI logs of long runs.</summary>
    public sealed class StatusLines(CliOutput output) : IProgress<MigrationProgress>
    {
        private string? _current;

        public void Report(MigrationProgress value)
        {
            if (value.MigrationId == _current)
                return;
            _current = value.MigrationId;
            output.Status($"applying {value.MigrationId} ({value.MigrationIndex + 1} of {value.MigrationCount})…");
        }
    }
}

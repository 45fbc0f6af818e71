using Strata.Design.SchemaSource;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata compile-server --socket PATH [--warm-up PROJECT]</c>: the warm compiler a command starts in the
/// background for the next edit of the schema project (<see cref="CompileServer"/>). Not in the help: nobody types
/// it. It prints nothing and exits after <see cref="CompileServer.IdleTimeout"/> without work.
/// </summary>
internal static class CompileServerCommand
{
    public const string Name = "compile-server";

    public static async Task<int> RunAsync(string[] args)
    {
        string? socket = null, warmUp = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--socket": socket = args[i + 1]; break;
                case "--warm-up": warmUp = args[i + 1]; break;
                default: return ExitCodes.UsageError;
            }
        }
        if (socket is null)
            return ExitCodes.UsageError;

        using var stop = new CancellationTokenSource();
        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        await CompileServer.RunAsync(socket, CompileServer.IdleTimeout, warmUp, stop.Token);
        return ExitCodes.Success;
    }
}

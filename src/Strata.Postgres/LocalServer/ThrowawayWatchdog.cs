using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Strata.Postgres.LocalServer;

/// <summary>
/// Stops a throwaway cluster and deletes its folder once the process that started it is gone, however it
/// ended: a test host killed on a timeout never runs its dispose or exit handlers, and would otherwise
/// leave a running server and its files behind.
/// </summary>
internal static class ThrowawayWatchdog
{
    // SIGQUIT is PostgreSQL's immediate shutdown. The script's arguments come as $1..$3, never pasted into it.
    private const string Script = """
        exec </dev/null >/dev/null 2>&1
        while kill -0 "$1"; do sleep 1; done
        if [ -f "$3/postmaster.pid" ]; then
          kill -QUIT "$(head -n 1 "$3/postmaster.pid")"
          tries=0
          while [ -f "$3/postmaster.pid" ] && [ $tries -lt 100 ]; do sleep 0.1; tries=$((tries + 1)); done
        fi
        rm -rf "$2"
        """;

    public static void Start(string throwawayRoot, string dataDirectory, int ownerProcessId)
    {
        if (OperatingSystem.IsWindows())
            return;
        // setsid puts the watchdog in a session of its own, so killing the test host's process group spares it.
        var setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
        var info = new ProcessStartInfo(setsid ?? "/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        if (setsid is not null)
            info.ArgumentList.Add("/bin/sh");
        foreach (var argument in new[] { "-c", Script, "strata-postgres-watchdog", ownerProcessId.ToString(CultureInfo.InvariantCulture), throwawayRoot, dataDirectory })
            info.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(info);
        }
        catch (Win32Exception)
        {
            // Without a shell there is no watchdog; dispose still cleans up after an orderly exit.
        }
    }
}

namespace Strata.Postgres.LocalServer;

/// <summary>
/// An exclusive lock on a persistent cluster, held while a process creates or starts it: the file
/// <c>&lt;data directory&gt;.lock</c> opened with <see cref="FileShare.None"/>, which .NET takes as an
/// advisory <c>flock</c> on Unix, so the operating system releases it when the process dies.
/// </summary>
internal sealed class ClusterLock : IDisposable
{
    private readonly FileStream _file;

    private ClusterLock(FileStream file) => _file = file;

    public static async Task<ClusterLock> AcquireAsync(string dataDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var path = dataDirectory + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new ClusterLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct);
            }
            catch (IOException e)
            {
                throw new LocalPostgresException(
                    $"Another process has held {path} for {timeout.TotalSeconds:0} s while creating or starting the PostgreSQL cluster in {dataDirectory}: "
                    + "wait for it to finish, or end it if it hangs.", e);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}

namespace Strata.Renaming;

/// <summary>
/// The rename decisions a command is given, as hints (<c>table:public.users=public.accounts</c>, see
/// <see cref="Diffing.RenameDecisions.TryParse"/>): the ones passed one by one (the CLI's <c>--rename</c>), then
/// those of a hints file (<c>--renames-file</c>), one per line, where <c>#</c> starts a comment.
/// </summary>
public static class RenameHints
{
    /// <summary><paramref name="given"/>, then the hints of <paramref name="file"/> when there is one, in order.</summary>
    /// <exception cref="RenameHintsFileNotFoundException"><paramref name="file"/> does not exist.</exception>
    public static async Task<List<string>> ReadAsync(IEnumerable<string> given, string? file, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(given);
        var hints = new List<string>(given);
        if (file is null)
            return hints;
        if (!File.Exists(file))
            throw new RenameHintsFileNotFoundException(file);
        foreach (var line in await File.ReadAllLinesAsync(file, ct))
        {
            var hint = line.Split('#', 2)[0].Trim();
            if (hint.Length > 0)
                hints.Add(hint);
        }
        return hints;
    }
}

/// <summary>The hints file a command was given does not exist; nothing was read.</summary>
public sealed class RenameHintsFileNotFoundException(string path) : Exception($"the renames file {path} does not exist")
{
    public string Path { get; } = path;
}

namespace Strata.Postgres.Configuration;

/// <summary>"Did you mean …?" for a misspelt name: a strata.json key, a command.</summary>
public static class Suggestions
{
    /// <summary>The known name nearest to <paramref name="given"/> (ignoring case) within <paramref name="maxDistance"/> edits, or null.</summary>
    public static string? Nearest(string given, IEnumerable<string> known, int maxDistance = 2) =>
        known.Select(k => (Name: k, Distance: Distance(k.ToLowerInvariant(), given.ToLowerInvariant())))
            .Where(k => k.Distance <= maxDistance)
            .OrderBy(k => k.Distance)
            .Select(k => k.Name)
            .FirstOrDefault();

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}

using System.Text;

namespace Strata.Testing;

internal static class TestDatabaseNames
{
    /// <summary>Lower-case letters, digits and '_' from the prefix, then '_' and 8 random hex digits.</summary>
    public static string Unique(string prefix)
    {
        var name = new StringBuilder();
        foreach (var c in prefix.ToLowerInvariant())
            name.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' ? c : '_');
        if (name.Length > 40)
            name.Length = 40;
        return name.Append('_').Append(Guid.NewGuid().ToString("N")[..8]).ToString();
    }
}

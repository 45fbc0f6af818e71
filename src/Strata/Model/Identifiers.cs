using System.Text;

namespace Strata.Model;

/// <summary>PostgreSQL's rules for names, checked before any SQL is written.</summary>
public static class Identifiers
{
    /// <summary>NAMEDATALEN - 1: PostgreSQL silently truncates longer names, which Strata refuses to do.</summary>
    public const int MaxBytes = 63;

    /// <summary>Why <paramref name="name"/> cannot be a PostgreSQL identifier, or null when it can.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
            return "the name is empty";
        if (name.Contains('\0'))
            return "the name contains a NUL character";
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxBytes)
            return $"the name \"{name}\" is {bytes} bytes long; PostgreSQL allows at most {MaxBytes} (it would silently cut it): choose a shorter name";
        return null;
    }
}

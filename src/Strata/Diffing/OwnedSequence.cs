using System.Text;
using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// The name PostgreSQL gives the sequence behind an identity or serial column. Strata renames it
/// along with its table or column, so that a renamed database equals one built from the new schema.
/// </summary>
public static class OwnedSequence
{
    /// <summary><c>{table}_{column}_seq</c>, shortened the way PostgreSQL's makeObjectName does when it would exceed 63 bytes.</summary>
    public static string Name(string table, string column)
    {
        const string label = "seq";
        var available = Identifiers.MaxBytes - label.Length - 2;
        var tableBytes = Encoding.UTF8.GetByteCount(table);
        var columnBytes = Encoding.UTF8.GetByteCount(column);
        while (tableBytes + columnBytes > available)
        {
            if (tableBytes > columnBytes)
                tableBytes--;
            else
                columnBytes--;
        }
        return ClipToBytes(table, tableBytes) + "_" + ClipToBytes(column, columnBytes) + "_" + label;
    }

    public static QualifiedName For(QualifiedName table, string column) => new(table.Schema, Name(table.Name, column));

    /// <summary>The type a column stores: serial types are integers whose default comes from their owned sequence.</summary>
    public static ColumnType StorageType(ColumnType type) => type.Kind switch
    {
        TypeKind.SmallSerial => type with { Kind = TypeKind.SmallInt },
        TypeKind.Serial => type with { Kind = TypeKind.Integer },
        TypeKind.BigSerial => type with { Kind = TypeKind.BigInt },
        _ => type,
    };

    /// <summary>The longest prefix of whole characters that fits in <paramref name="maxBytes"/> UTF-8 bytes (pg_mbcliplen).</summary>
    internal static string ClipToBytes(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
            return text;
        var length = 0;
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
                break;
            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }
        return text[..length];
    }
}

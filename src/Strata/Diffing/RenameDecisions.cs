namespace Strata.Diffing;

/// <summary>
/// What the user decided about objects that vanished from the old model while others appeared in the
/// new one: which are renames, and which really are a drop and an add (<see cref="NotRenamed"/>).
/// </summary>
public sealed class RenameDecisions
{
    private static readonly Dictionary<string, ObjectKind> KindsByHintName = ObjectKind.All
        .ToDictionary(k => HintName(k), StringComparer.Ordinal);

    public static RenameDecisions None { get; } = new([], []);

    public RenameDecisions(IEnumerable<Rename> renames, IEnumerable<(ObjectKind Kind, string Key)> notRenamed)
    {
        Renames = [.. renames];
        NotRenamed = [.. notRenamed];
    }

    public IReadOnlyList<Rename> Renames { get; }

    /// <summary>Keys (old or new) of objects that are a plain drop or add, not a rename.</summary>
    public IReadOnlyList<(ObjectKind Kind, string Key)> NotRenamed { get; }

    /// <summary>The decisions for the reverse diff (down.sql): every rename from To back to From.</summary>
    public RenameDecisions Invert() => new(Renames.Select(r => r with { From = r.To, To = r.From }), NotRenamed);

    /// <summary>
    /// Parses hints such as <c>table:public.users=public.accounts</c>, <c>column:public.users.name=full_name</c>
    /// (a bare new name stays in the same container) and <c>!column:public.users.name</c> (not a rename).
    /// </summary>
    public static bool TryParse(IEnumerable<string> hints, out RenameDecisions decisions, out string error)
    {
        var renames = new List<Rename>();
        var notRenamed = new List<(ObjectKind, string)>();
        decisions = None;
        error = "";
        foreach (var rawHint in hints)
        {
            var hint = rawHint.Trim();
            if (!TryParseOne(hint, out var rename, out var notRenamedKey, out var problem))
            {
                error = $"Rename hint \"{rawHint}\": {problem}. Write kind:old=new (for example table:public.users=public.accounts or column:public.users.name=full_name) or !kind:old for a real drop and add; kinds: {string.Join(", ", KindsByHintName.Keys)}.";
                return false;
            }
            if (rename is not null)
            {
                if (renames.FirstOrDefault(r => r.Kind == rename.Kind && r.From == rename.From) is { } clash)
                {
                    error = $"Rename hint \"{rawHint}\": {HintName(rename.Kind)} {rename.From} is already renamed to {clash.To}; give one new name per object.";
                    return false;
                }
                if (renames.FirstOrDefault(r => r.Kind == rename.Kind && r.To == rename.To) is { } target)
                {
                    error = $"Rename hint \"{rawHint}\": {HintName(rename.Kind)} {target.From} is already renamed to {rename.To}; one object cannot take the place of two.";
                    return false;
                }
                renames.Add(rename);
            }
            else
            {
                notRenamed.Add(notRenamedKey);
            }
        }
        decisions = new RenameDecisions(renames, notRenamed);
        return true;
    }

    /// <summary>The hints that <see cref="TryParse"/> reads back into these decisions (a part with <c>.</c>, <c>:</c> or <c>=</c> quoted: <see cref="ObjectKey"/>).</summary>
    public IEnumerable<string> ToHints()
    {
        foreach (var rename in Renames)
        {
            var from = ObjectKey.Parts(rename.From, rename.Kind.KeyParts, out _);
            var to = ObjectKey.Parts(rename.To, rename.Kind.KeyParts, out _);
            // A bare new name when it stays in the same container (the same table for a column, the same schema otherwise).
            var bare = rename.Kind != ObjectKind.Schema && from is not null && to is not null && from.SkipLast(1).SequenceEqual(to.SkipLast(1), StringComparer.Ordinal);
            yield return $"{HintName(rename.Kind)}:{rename.From}={(bare ? ObjectKey.Part(to![^1]) : rename.To)}";
        }
        foreach (var (kind, key) in NotRenamed)
            yield return $"!{HintName(kind)}:{key}";
    }

    internal static string HintName(ObjectKind kind) => kind.ToString().ToLowerInvariant();

    private static bool TryParseOne(string hint, out Rename? rename, out (ObjectKind, string) notRenamed, out string problem)
    {
        rename = null;
        notRenamed = default;
        problem = "";
        var negated = hint.StartsWith('!');
        var body = negated ? hint[1..] : hint;
        var colon = body.IndexOf(':');
        if (colon <= 0)
        {
            problem = "it does not start with a kind and a colon";
            return false;
        }
        if (!KindsByHintName.TryGetValue(body[..colon].Trim().ToLowerInvariant(), out var kind))
        {
            problem = $"\"{body[..colon]}\" is not a kind of object that can be renamed";
            return false;
        }
        var rest = body[(colon + 1)..];
        if (ObjectKey.UnclosedQuote(rest) is { } unclosed)
        {
            problem = $"the quoted name {unclosed} is not closed";
            return false;
        }
        var equals = ObjectKey.IndexOutsideQuotes(rest, '=');
        if (negated)
        {
            if (equals >= 0)
            {
                problem = "a not-renamed hint (!) names only the object, without =";
                return false;
            }
            if (KeyParts(kind, rest.Trim(), out problem) is not { } key)
                return false;
            notRenamed = (kind, Key(key));
            return true;
        }
        if (equals < 0)
        {
            problem = "it has no '=' between the old and the new name";
            return false;
        }
        if (KeyParts(kind, rest[..equals].Trim(), out problem) is not { } from)
        {
            problem = "the old name: " + problem;
            return false;
        }
        var toText = rest[(equals + 1)..].Trim();
        // A bare new name stays in the old one's container.
        var to = kind != ObjectKind.Schema && toText.Length > 0 && ObjectKey.Parts(toText, out _) is { Count: 1 } bare
            ? [.. from.SkipLast(1), bare[0]]
            : KeyParts(kind, toText, out problem);
        if (to is null)
        {
            problem = "the new name: " + problem;
            return false;
        }
        if (from.SequenceEqual(to, StringComparer.Ordinal))
        {
            problem = "the old and the new name are the same";
            return false;
        }
        rename = new Rename(kind, Key(from), Key(to));
        return true;
    }

    private static string Key(IReadOnlyList<string> parts) => string.Join('.', parts.Select(ObjectKey.Part));

    private static IReadOnlyList<string>? KeyParts(ObjectKind kind, string key, out string problem)
    {
        var expected = kind.KeyParts;
        // No reading of older keys here: unquoted, a name's own dots make a hint ambiguous.
        var parts = ObjectKey.Parts(key, out problem);
        if (parts is null)
            return null;
        if (parts.Count != expected || parts.Any(p => p.Length == 0))
        {
            problem = expected switch
            {
                1 => $"a schema is named without dots, got \"{key}\" (quote a name that has one: \"a.b\")",
                2 => $"a {HintName(kind)} is named schema.name, got \"{key}\" (quote a part with a dot, colon or equals sign: public.\"a.b\")",
                _ => $"a column is named schema.table.column, got \"{key}\" (quote a part with a dot, colon or equals sign: public.users.\"a.b\")",
            };
            return null;
        }
        return parts;
    }
}

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

    /// <summary>The hints that <see cref="TryParse"/> reads back into these decisions.</summary>
    public IEnumerable<string> ToHints()
    {
        foreach (var rename in Renames)
        {
            var container = Container(rename.Kind, rename.From);
            var to = container is not null && rename.To.StartsWith(container + ".", StringComparison.Ordinal)
                && !rename.To[(container.Length + 1)..].Contains('.')
                ? rename.To[(container.Length + 1)..]
                : rename.To;
            yield return $"{HintName(rename.Kind)}:{rename.From}={to}";
        }
        foreach (var (kind, key) in NotRenamed)
            yield return $"!{HintName(kind)}:{key}";
    }

    internal static string HintName(ObjectKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The key of the object that holds this one (the schema of a table, the table of a column).</summary>
    private static string? Container(ObjectKind kind, string key) => kind == ObjectKind.Schema ? null : key[..key.LastIndexOf('.')];

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
        if (negated)
        {
            if (rest.Contains('='))
            {
                problem = "a not-renamed hint (!) names only the object, without =";
                return false;
            }
            if (!IsKey(kind, rest.Trim(), out problem))
                return false;
            notRenamed = (kind, rest.Trim());
            return true;
        }
        var equals = rest.IndexOf('=');
        if (equals < 0)
        {
            problem = "it has no '=' between the old and the new name";
            return false;
        }
        var from = rest[..equals].Trim();
        var to = rest[(equals + 1)..].Trim();
        if (!IsKey(kind, from, out problem))
        {
            problem = "the old name: " + problem;
            return false;
        }
        if (to.Length > 0 && kind != ObjectKind.Schema && !to.Contains('.'))
            to = Container(kind, from) + "." + to;
        if (!IsKey(kind, to, out problem))
        {
            problem = "the new name: " + problem;
            return false;
        }
        if (from == to)
        {
            problem = "the old and the new name are the same";
            return false;
        }
        rename = new Rename(kind, from, to);
        return true;
    }

    private static bool IsKey(ObjectKind kind, string key, out string problem)
    {
        problem = "";
        var parts = key.Split('.');
        var expected = kind.KeyParts;
        if (parts.Length != expected || parts.Any(p => p.Length == 0))
        {
            problem = expected switch
            {
                1 => $"a schema is named without dots, got \"{key}\"",
                2 => $"a {HintName(kind)} is named schema.name, got \"{key}\"",
                _ => $"a column is named schema.table.column, got \"{key}\"",
            };
            return false;
        }
        return true;
    }
}

using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// Domains: created after their base type and before the columns that use them, renamed, altered in place
/// (default, NOT NULL, checks, comment), re-created when the base type or collation changes (PostgreSQL
/// alters neither: the columns are converted to the new domain), dropped once no column or domain uses them.
/// The domain changes this part plans are declared at the end of the file.
/// </summary>
internal sealed partial class DiffRun
{
    // Domains are matched right after the enums, re-created over re-created types once the enums' re-creations are
    // decided, and compared after the enums; they share pg_type's namespace with them.
    internal static readonly DiffPart MatchDomainsPart = Part(DiffPhase.MatchTypes, order: 10, static run => run.MatchDomains());
    internal static readonly DiffPart RecreateDomainsPart = Part(DiffPhase.TypesRecreated, order: 10, static run => run.RecreateDomainsOverRecreatedTypes());
    internal static readonly DiffPart DiffDomainsPart = Part(DiffPhase.DiffTypes, order: 10, static run => run.DiffDomains());
    internal static readonly UserTypePart DomainTypes = TypePart(new(order: 10,
        static (model, names) => AddDomainNames(model, names),
        static (model, type) => DomainsOver(model.Domains, type),
        static (run, side) => DomainExpressions(side == ModelSide.New ? run._new.Domains : run._old.Domains.Select(run.TranslateDomain))));

    // After sequences (a domain's default may take nextval of a new one; a sequence's type is never a domain), before tables.
    private const int DomainRank = ChangeRank.Creates + 150;
    private const int DropDomainRank = ChangeRank.Releases + 50;
    private const int DropDomainCheckRank = ChangeRank.Drops + 900;

    /// <summary>The matched domains (old, new), from <see cref="MatchDomains"/> on.</summary>
    private List<(Domain Old, Domain New)> _domainPairs = [];

    /// <summary>
    /// Matches domains and drops and creates those without a partner. Runs before the tables: a domain
    /// re-created here (in <see cref="_recreatedEnums"/>, the set of re-created types of either kind) has its
    /// columns collected for conversion as the tables are compared.
    /// </summary>
    private void MatchDomains()
    {
        var pairs = _domainPairs = MatchByName(ObjectKind.Domain, _old.Domains, _new.Domains, d => d.QualifiedName, _typeMap, out var dropped, out var added);
        foreach (var domain in dropped)
        {
            var name = MapSchema(domain.QualifiedName);
            if (NewTypeNames.Contains(name))
            {
                var aside = name with { Name = DroppedName(name.Name) };
                _typeRenames.Add(new RenameDomain(name, aside));
                name = aside;
            }
            PlanDropDomain(domain.QualifiedName, domain with { Schema = name.Schema, Name = name.Name });
        }
        foreach (var domain in added)
            PlanCreateDomain(domain);

        // PostgreSQL refuses ADD CONSTRAINT and SET NOT NULL on a domain that an array column uses ("cannot alter
        // type … because column … uses it": it cannot check the elements), so such a domain is re-created instead.
        // (Loops rather than LINQ to QualifiedName over every column: generic code over a value type, which
        // ReadyToRun cannot precompile, that every diff would JIT-compile.)
        var inArrays = new HashSet<QualifiedName>();
        foreach (var table in _old.Tables)
        {
            foreach (var column in table.Columns)
            {
                if (MapType(column.Type) is { IsArray: true, DomainName: { } domain })
                    inArrays.Add(domain);
            }
        }
        foreach (var table in _new.Tables)
        {
            foreach (var column in table.Columns)
            {
                if (column.Type is { IsArray: true, DomainName: { } domain })
                    inArrays.Add(domain);
            }
        }
        // A domain under such a domain (its base, or its base's base) is refused the same way, as is one that a
        // domain over an array of it uses.
        foreach (var domain in _old.Domains)
        {
            if (MapType(domain.BaseType) is { IsArray: true, DomainName: { } element })
                inArrays.Add(element);
        }
        foreach (var domain in _new.Domains)
        {
            if (domain.BaseType is { IsArray: true, DomainName: { } element })
                inArrays.Add(element);
        }
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var domain in _old.Domains)
            {
                if (MapType(domain.BaseType).DomainName is { } under && inArrays.Contains(MapTypeName(domain.QualifiedName)) && inArrays.Add(under))
                    grew = true;
            }
            foreach (var domain in _new.Domains)
            {
                if (domain.BaseType.DomainName is { } under && inArrays.Contains(domain.QualifiedName) && inArrays.Add(under))
                    grew = true;
            }
        }
        foreach (var p in pairs)
        {
            if (MapType(p.Old.BaseType) != p.New.BaseType || !KeepsCollation(p.Old.CollationSchema, p.Old.Collation, p.New.CollationSchema, p.New.Collation)
                || inArrays.Contains(p.New.QualifiedName) && (!p.Old.NotNull && p.New.NotNull || p.New.Checks.Select(c => c.Expression).Except(p.Old.Checks.Select(c => c.Expression)).Any()))
                _recreatedEnums.Add(p.New.QualifiedName);
        }
    }

    /// <summary>
    /// A domain over a re-created domain or enum is re-created too: the old type cannot be dropped while it is a
    /// base. Runs once every enum's re-creation is decided (an enum whose new values a domain's default or check
    /// may use is re-created only after the columns are matched) and before the tables' bodies are compared.
    /// </summary>
    private void RecreateDomainsOverRecreatedTypes()
    {
        var pairs = _domainPairs;
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (_, newDomain) in pairs)
            {
                if (newDomain.BaseType.UserTypeName is { } baseName && _recreatedEnums.Contains(baseName) && _recreatedEnums.Add(newDomain.QualifiedName))
                    grew = true;
            }
        }
    }

    private void PlanCreateDomain(Domain domain)
    {
        var name = domain.QualifiedName;
        var created = Add(DomainRank, new CreateDomain(domain));
        TakeTypeName(created, name);
        created.Provide(FactState.Exists, DependencyKind.Type, name);
        UsesBaseType(created, domain);
        if (domain.Comment is not null)
            Comment(CommentTarget.Domain, name, null, domain.Comment, DependencyKind.Type);
    }

    /// <summary>
    /// DROP DOMAIN once no column or domain uses it: <paramref name="oldKey"/> is its name in the old model
    /// (what lets go of it says so), <paramref name="asNamed"/> the domain as named when the drop runs.
    /// </summary>
    private void PlanDropDomain(QualifiedName oldKey, Domain asNamed)
    {
        var name = asNamed.QualifiedName;
        var drop = Add(DropDomainRank, new DropDomain(asNamed))
            .Need(FactState.Exists, DependencyKind.TypeName, name)
            .Need(FactState.Gone, DependencyKind.TypeUse, oldKey)
            .Provide(FactState.Gone, DependencyKind.TypeName, name)
            .Provide(FactState.Gone, DependencyKind.Type, name);
        // Its base type (an enum or domain also dropped) can go after it; a base re-created in this migration
        // stepped aside under its temporary name, which is dropped once nothing uses it.
        if (asNamed.BaseType.UserTypeName is { } baseName)
        {
            drop.Provide(FactState.Gone, DependencyKind.TypeUse, baseName);
            if (MapType(asNamed.BaseType).UserTypeName is { } newBase && _recreatedEnums.Contains(newBase))
                drop.Provide(FactState.Gone, DependencyKind.TypeUse, TemporaryTypeName(newBase));
        }
        UsesNewSchema(drop, name.Schema);
        // A schema dropped (not renamed) goes once its domains are gone.
        if (MapSchema(oldKey.Schema) == oldKey.Schema && !_new.Schemas.Contains(oldKey.Schema))
            drop.Precede(FactState.Gone, ObjectRef.Schema(oldKey.Schema));
    }

    /// <summary>A domain is created after its base type (an enum, or another domain) exists.</summary>
    private static void UsesBaseType(PlannedChange planned, Domain domain)
    {
        if (domain.BaseType.UserTypeName is { } baseName)
            planned.Need(FactState.Exists, DependencyKind.Type, baseName);
    }

    private void DiffDomains()
    {
        foreach (var (oldDomain, newDomain) in _domainPairs)
        {
            var name = newDomain.QualifiedName;
            var moved = MapSchema(oldDomain.QualifiedName);
            if (moved != name)
                _typeRenames.Add(new RenameDomain(moved, name));
            var old = TranslateDomain(oldDomain);
            if (_recreatedEnums.Contains(name))
            {
                PlanRecreateDomain(old, newDomain);
                continue;
            }

            var changes = DomainChanges.None;
            // A default that reads a re-created type is set again once the new type exists.
            var defaultTypes = RecreatedTypesRead(old.DefaultReads, [old.Default], newDomain.DefaultReads, [newDomain.Default],
                [.. old.Default is null ? Array.Empty<TextDecision>() : [new(ModelSide.Old, $"default of domain {oldDomain.QualifiedName}")],
                    .. newDomain.Default is null ? Array.Empty<TextDecision>() : [new TextDecision(ModelSide.New, $"default of domain {name}")]]);
            if (old.Default != newDomain.Default || defaultTypes.Count > 0)
                changes |= DomainChanges.Default;
            if (old.NotNull != newDomain.NotNull)
                changes |= DomainChanges.NotNull;
            if (changes != DomainChanges.None)
            {
                var alter = Add(DomainRank, new AlterDomain(old, newDomain, changes)).Need(FactState.Exists, DependencyKind.Type, name);
                UsesNewSchema(alter, name.Schema);
                LetsGoOfRecreatedTypes(alter, defaultTypes);
                foreach (var type in defaultTypes)
                    alter.Need(FactState.Exists, DependencyKind.Type, type);
            }
            DiffDomainChecks(name, old.Checks, newDomain.Checks);
            if (old.Comment != newDomain.Comment)
                Comment(CommentTarget.Domain, name, null, newDomain.Comment, DependencyKind.Type);
        }
    }

    /// <summary>An old domain as it reads in the new model: its name, its base type and the types its default and checks read, renamed.</summary>
    private Domain TranslateDomain(Domain old)
    {
        var name = MapTypeName(old.QualifiedName);
        return old with
        {
            Schema = name.Schema,
            Name = name.Name,
            BaseType = MapType(old.BaseType),
            Checks = old.Checks.Select(c => c with { Reads = MapTypeReads(c.Reads) }).ToValueList(),
            DefaultReads = MapTypeReads(old.DefaultReads),
        };
    }

    /// <summary>
    /// The old domain steps aside to a temporary name, the new one takes the name, the columns are
    /// converted (what reads them is gone by then), and the temporary one is dropped once unused.
    /// </summary>
    private void PlanRecreateDomain(Domain old, Domain newDomain)
    {
        var name = newDomain.QualifiedName;
        var temporary = TemporaryTypeName(name);
        var uses = _enumUses.TryGetValue(name, out var list) ? list : [];
        var recreate = Add(DomainRank, new RecreateDomain(old, newDomain, temporary.Name, uses.ToValueList()))
            .Need(FactState.Exists, DependencyKind.TypeName, name)
            .Provide(FactState.Exists, DependencyKind.TypeName, temporary)
            .Provide(FactState.Exists, DependencyKind.Type, name);
        UsesNewSchema(recreate, name.Schema);
        UsesBaseType(recreate, newDomain);
        ConvertsColumns(recreate, uses);
        // The old domain's base, when re-created as well, stands aside under its temporary name by then.
        var oldBase = old.BaseType.UserTypeName is { } baseName && _recreatedEnums.Contains(baseName)
            ? old.BaseType.EnumName is not null ? old.BaseType with { EnumName = TemporaryTypeName(baseName) } : old.BaseType with { DomainName = TemporaryTypeName(baseName) }
            : old.BaseType;
        PlanDropDomain(temporary, old with { Name = temporary.Name, BaseType = oldBase });
        if (newDomain.Comment is not null)
            Comment(CommentTarget.Domain, name, null, newDomain.Comment, DependencyKind.Type);
    }

    /// <summary>Where a re-created enum or domain's old type stands aside until it is dropped.</summary>
    private static QualifiedName TemporaryTypeName(QualifiedName name) =>
        name with { Name = OwnedSequence.ClipToBytes(name.Name, Identifiers.MaxBytes - 13) + "__strata_old" };

    /// <summary>Checks by name: a changed expression is a drop and an add, an unchanged one under a new name a rename.</summary>
    /// <remarks>
    /// A check that names a re-created type is dropped and added again: PostgreSQL keeps it on the old type, which
    /// is dropped once it lets go. (<paramref name="oldChecks"/> read types by their new names.)
    /// </remarks>
    private void DiffDomainChecks(QualifiedName domain, ValueList<CheckConstraint> oldChecks, ValueList<CheckConstraint> newChecks)
    {
        List<QualifiedName> TypesRead(CheckConstraint check) =>
            newChecks.FirstOrDefault(n => n.Name == check.Name) is { } n
                ? RecreatedTypesRead(check.Reads, [check.Expression], n.Reads, [n.Expression],
                    new(ModelSide.Old, $"check {domain}.{check.Name}"), new(ModelSide.New, $"check {domain}.{check.Name}"))
                : RecreatedTypesRead(check.Reads, [check.Expression], ExpressionReads.Unknown, [], new TextDecision(ModelSide.Old, $"check {domain}.{check.Name}"));
        var kept = oldChecks.Intersect(newChecks).Where(c => TypesRead(c).Count == 0).ToHashSet();
        var gone = oldChecks.Where(c => !kept.Contains(c)).ToList();
        var come = newChecks.Where(c => !kept.Contains(c)).ToList();
        var oldNames = oldChecks.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var check in come.ToList())
        {
            // The same expression under a name no old check holds: renamed, not re-checked against the data.
            if (oldNames.Contains(check.Name) || gone.FirstOrDefault(g => g.Expression == check.Expression && TypesRead(g).Count == 0) is not { } renamed)
                continue;
            gone.Remove(renamed);
            come.Remove(check);
            var rename = Add(DomainRank, new RenameDomainCheck(domain, renamed.Name, check.Name))
                .Need(FactState.Exists, DependencyKind.Type, domain)
                .Provide(FactState.Gone, DependencyKind.Constraint, domain, renamed.Name)
                .Provide(FactState.Exists, DependencyKind.Constraint, domain, check.Name);
            UsesNewSchema(rename, domain.Schema);
        }
        foreach (var check in gone)
        {
            var drop = Add(DropDomainCheckRank, new DropDomainCheck(domain, check))
                .Need(FactState.Exists, DependencyKind.Type, domain)
                .Provide(FactState.Gone, DependencyKind.Constraint, domain, check.Name);
            LetsGoOfRecreatedTypes(drop, TypesRead(check));
            UsesNewSchema(drop, domain.Schema);
        }
        foreach (var check in come)
        {
            var add = Add(DomainRank, new AddDomainCheck(domain, check))
                .Need(FactState.Exists, DependencyKind.Type, domain)
                .Need(FactState.Gone, DependencyKind.Constraint, domain, check.Name)
                .Provide(FactState.Exists, DependencyKind.Constraint, domain, check.Name);
            UsesNewSchema(add, domain.Schema);
        }
    }

    /// <summary>The names domains take in pg_type's namespace.</summary>
    private static void AddDomainNames(DatabaseModel model, HashSet<QualifiedName> names)
    {
        foreach (var domain in model.Domains)
            names.Add(domain.QualifiedName);
    }

    /// <summary>The domains based directly on <paramref name="type"/>, by name.</summary>
    private static IEnumerable<string> DomainsOver(IEnumerable<Domain> domains, QualifiedName type)
    {
        foreach (var domain in domains)
        {
            if (domain.BaseType.UserTypeName == type)
                yield return domain.Name;
        }
    }

    /// <summary>The domains' defaults and checks, each with its object and what it reads.</summary>
    private static IEnumerable<(string Key, string Text, ExpressionReads Reads)> DomainExpressions(IEnumerable<Domain> domains)
    {
        foreach (var domain in domains)
        {
            if (domain.Default is not null)
                yield return ($"default of domain {domain.QualifiedName}", domain.Default, domain.DefaultReads);
            foreach (var check in domain.Checks)
                yield return ($"check {domain.QualifiedName}.{check.Name}", check.Expression, check.Reads);
        }
    }
}

/// <summary>CREATE DOMAIN with its base type, collation, default, NOT NULL and checks.</summary>
public sealed record CreateDomain(Domain Domain) : SchemaChange, ITypeCreation
{
    QualifiedName ITypeCreation.Type => Domain.QualifiedName;
}

public sealed record DropDomain(Domain Domain) : SchemaChange, ITypeDrop
{
    QualifiedName ITypeDrop.Type => Domain.QualifiedName;
}

/// <summary>Renames a domain and/or moves it to another schema.</summary>
public sealed record RenameDomain(QualifiedName From, QualifiedName To) : SchemaChange, ITypeRename
{
    SchemaChange ITypeRename.Between(QualifiedName from, QualifiedName to) => this with { From = from, To = to };
}

/// <summary>What about a domain changed in place; the generator emits one ALTER DOMAIN per flag.</summary>
[Flags]
public enum DomainChanges
{
    None = 0,
    Default = 1,
    NotNull = 2,
}

/// <summary>A domain altered in place (ALTER DOMAIN … SET/DROP DEFAULT, SET/DROP NOT NULL). <see cref="From"/> carries the new name already.</summary>
public sealed record AlterDomain(Domain From, Domain To, DomainChanges Changes) : SchemaChange;

/// <summary>ALTER DOMAIN … ADD CONSTRAINT … CHECK: PostgreSQL checks every column of the domain's values and fails on one that breaks it.</summary>
public sealed record AddDomainCheck(QualifiedName Domain, CheckConstraint Check) : SchemaChange;

public sealed record DropDomainCheck(QualifiedName Domain, CheckConstraint Check) : SchemaChange;

/// <summary>Renames a check of a domain whose expression did not change.</summary>
public sealed record RenameDomainCheck(QualifiedName Domain, string From, string To) : SchemaChange;

/// <summary>
/// A domain whose base type or collation changes (PostgreSQL cannot alter either): the old domain is renamed to
/// <see cref="TemporaryName"/>, the new one created and every column in <see cref="Columns"/> converted to it
/// through text (a value the new domain rejects fails the statement); a later <see cref="DropDomain"/> removes
/// the temporary one.
/// </summary>
public sealed record RecreateDomain(Domain From, Domain To, string TemporaryName, ValueList<EnumColumnUse> Columns) : SchemaChange, ITypeRecreation
{
    QualifiedName ITypeRecreation.Type => To.QualifiedName;

    QualifiedName ITypeRecreation.TemporaryType => new(To.Schema, TemporaryName);
}

public sealed partial record CommentTarget
{
    public static CommentTarget Domain { get; } = new(nameof(Domain), "DOMAIN");
}

public sealed partial class ObjectKind
{
    /// <summary>A domain, named schema.name: its renames are decided, as the data of its columns is at stake.</summary>
    public static readonly ObjectKind Domain = Declare(new(nameof(Domain), "domain", order: 7));
}

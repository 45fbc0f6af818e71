using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Diffing;

/// <summary>Stand-alone sequences: created, renamed, altered, dropped.</summary>
internal sealed partial class DiffRun
{
    private const int SequenceRank = ChangeRank.Creates + 100;
    private const int DropSequenceRank = ChangeRank.Releases + 100;

    private List<(Sequence Old, Sequence New)> MatchSequences()
    {
        var pairs = MatchByName(ObjectKind.Sequence, _old.Sequences, _new.Sequences, s => s.QualifiedName, _sequenceMap, out var dropped, out var added);
        // Sequences share one namespace per schema with tables, views and indexes (pg_class).
        var relationNames = _new.Sequences.Select(s => s.QualifiedName)
            .Concat(_new.Tables.Select(t => t.QualifiedName)).Concat(_new.Views.Select(v => v.QualifiedName))
            .Concat(_new.Tables.SelectMany(t => t.Indexes.Select(i => i.Name)
                .Concat(t.Uniques.Select(u => u.Name)).Concat(t.PrimaryKey is { } pk ? [pk.Name] : [])
                .Concat(t.Columns.Where(OwnsSequence).Select(c => OwnedSequence.Name(t.Name, c.Name)))
                .Select(n => new QualifiedName(t.Schema, n))))
            .Concat(_new.Views.SelectMany(v => v.Indexes.Select(i => new QualifiedName(v.Schema, i.Name))))
            .ToHashSet();
        foreach (var sequence in dropped)
        {
            var name = MapSchema(sequence.QualifiedName);
            if (relationNames.Contains(name))
            {
                var aside = name with { Name = DroppedName(name.Name) };
                PlanRename(MoveAsideRank, new RenameSequence(name, aside));
                name = aside;
            }
            var drop = Add(DropSequenceRank, new DropSequence(sequence with { Schema = name.Schema, Name = name.Name }))
                .Need(FactState.Exists, DependencyKind.RelationName, name.ToString())
                .Provide(FactState.Gone, DependencyKind.RelationName, name.ToString())
                .Provide(FactState.Gone, DependencyKind.Sequence, name.ToString());
            UsesNewSchema(drop, name.Schema);
        }
        foreach (var sequence in added)
        {
            var created = Add(SequenceRank, new CreateSequence(sequence));
            TakeName(created, DependencyKind.RelationName, sequence.QualifiedName);
            created.Provide(FactState.Exists, DependencyKind.Sequence, sequence.QualifiedName.ToString());
            if (sequence.Comment is not null)
                Comment(CommentTarget.Sequence, sequence.QualifiedName, null, sequence.Comment, DependencyKind.Sequence);
        }
        return pairs;
    }

    private void DiffSequences(List<(Sequence Old, Sequence New)> pairs)
    {
        foreach (var (oldSequence, newSequence) in pairs)
        {
            var name = newSequence.QualifiedName;
            var moved = MapSchema(oldSequence.QualifiedName);
            if (moved != name)
                AddRename(RenameGroup.Sequences, new RenameSequence(moved, name));
            if (oldSequence.Options != newSequence.Options)
            {
                var alter = Add(SequenceRank, new AlterSequence(oldSequence with { Schema = name.Schema, Name = name.Name }, newSequence))
                    .Need(FactState.Exists, DependencyKind.Sequence, name.ToString());
                UsesNewSchema(alter, name.Schema);
            }
            if (oldSequence.Comment != newSequence.Comment)
                Comment(CommentTarget.Sequence, name, null, newSequence.Comment, DependencyKind.Sequence);
        }
    }
}

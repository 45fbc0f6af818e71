using System.Reflection;

namespace Strata.Postgres.Migrations;

/// <summary>Migrations embedded in an assembly as resources <c>&lt;prefix&gt;&lt;id&gt;/up.sql</c>, <c>down.sql</c> and <c>&lt;prefix&gt;strata.sum</c>.</summary>
internal sealed class EmbeddedMigrationSource : MigrationSource
{
    public const string DefaultPrefix = "strata/migrations/";

    public EmbeddedMigrationSource(Assembly assembly, string resourcePrefix)
    {
        throw new NotImplementedException("TODO(hosting helper)");
    }

    public override string Location => throw new NotImplementedException();

    public override IReadOnlyList<string> Ids => throw new NotImplementedException();

    public override Task<MigrationScripts> ReadAsync(string id, CancellationToken ct = default) => throw new NotImplementedException();

    public override Task<IReadOnlyList<SumProblem>> VerifySumAsync(CancellationToken ct = default) => throw new NotImplementedException();
}

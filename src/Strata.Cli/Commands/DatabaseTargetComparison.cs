using Strata.Postgres.Comparison;

namespace Strata.Cli.Commands;

internal static class DatabaseTargetComparison
{
    /// <summary>The target as the comparison library reads it: its pool, connection settings and description.</summary>
    public static LiveDatabase Live(this DatabaseTarget target) => new(target.DataSource, target.Connection, target.Description);
}

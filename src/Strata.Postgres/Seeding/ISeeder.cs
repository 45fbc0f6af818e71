using Npgsql;

namespace Strata.Postgres.Seeding;

/// <summary>
/// A seed written in C#: a public class with a parameterless constructor in the schema project, named by
/// its full name in strata.json's <c>"seed"</c>. <c>strata seed</c> (and <c>strata reset --seed</c>) creates
/// it and calls <see cref="SeedAsync"/> inside one transaction, committed only when it returns.
/// </summary>
/// <remarks>
/// Each run runs it again: make it idempotent where that matters, by checking first or with
/// <c>INSERT … ON CONFLICT DO NOTHING</c>.
/// </remarks>
public interface ISeeder
{
    Task SeedAsync(SeedContext context, CancellationToken ct);
}

/// <summary>What a seeder works with: the open connection and its transaction, and the environment's name.</summary>
public sealed class SeedContext
{
    private readonly Action<string> _log;

    public SeedContext(NpgsqlConnection connection, NpgsqlTransaction transaction, string environment, Action<string> log)
    {
        Connection = connection;
        Transaction = transaction;
        Environment = environment;
        _log = log;
    }

    /// <summary>The connection, with <see cref="Transaction"/> begun on it: every command on it is part of the seed's transaction.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The seed's transaction; the runner commits it when <see cref="ISeeder.SeedAsync"/> returns and rolls it back when it throws.</summary>
    public NpgsqlTransaction Transaction { get; }

    /// <summary>The environment being seeded ("development", "test", …), for seeds that differ between them.</summary>
    public string Environment { get; }

    /// <summary>Prints a line under the command's output.</summary>
    public void Log(string message) => _log(message);
}

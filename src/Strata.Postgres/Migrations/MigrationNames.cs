namespace Strata.Postgres.Migrations;

/// <summary>Word lists for the random adjective_noun name of a migration generated without --name.</summary>
internal static class MigrationNames
{
    public static readonly string[] Adjectives =
    [
        "amber", "ancient", "bold", "brave", "bright", "calm", "clever", "cosmic", "crimson", "curious",
        "daring", "eager", "early", "electric", "fancy", "fearless", "gentle", "giant", "golden", "grand",
        "happy", "hidden", "icy", "jolly", "keen", "lively", "lucky", "mellow", "mighty", "misty",
        "noble", "odd", "parallel", "patient", "polite", "proud", "quiet", "rapid", "rare", "restless",
        "shiny", "silent", "silver", "smooth", "steady", "swift", "tidy", "vivid", "wandering", "wise",
    ];

    public static readonly string[] Nouns =
    [
        "albatross", "anchor", "badger", "beacon", "bison", "cascade", "comet", "coral", "falcon", "fjord",
        "fox", "galaxy", "glacier", "harbor", "hawk", "heron", "horizon", "iguana", "island", "jaguar",
        "kestrel", "lagoon", "lantern", "lynx", "meadow", "meteor", "mongoose", "nebula", "orchid", "otter",
        "panther", "pebble", "phoenix", "quasar", "raven", "reef", "river", "salmon", "silverclaw", "sparrow",
        "summit", "thunder", "tiger", "tundra", "valley", "violet", "walrus", "willow", "wolf", "zephyr",
    ];

    public static string Random(Random random) =>
        Adjectives[random.Next(Adjectives.Length)] + "_" + Nouns[random.Next(Nouns.Length)];
}

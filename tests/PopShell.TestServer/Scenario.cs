namespace PopShell.TestServer;

/// <summary>
/// What the server does on one connection: a named list of steps, written as text
/// (see <see cref="ScenarioParser"/> for the format) so that adding a scenario needs no code.
/// </summary>
public sealed class Scenario
{
    Scenario(string name, IReadOnlyList<ScenarioStep> steps)
    {
        Name = name;
        Steps = steps;
    }

    /// <summary>The scenario's name: its file name without extension, or "inline".</summary>
    public string Name { get; }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<ScenarioStep> Steps { get; }

    /// <summary>Parses scenario text.</summary>
    /// <exception cref="FormatException">A line is not a step.</exception>
    public static Scenario Parse(string text, string name = "inline") => new Scenario(name, ScenarioParser.Parse(text, name));

    /// <summary>Loads <c>Scenarios/<paramref name="name"/>.pop3</c> from this assembly's resources.</summary>
    /// <exception cref="FileNotFoundException">There is no such scenario.</exception>
    public static Scenario Load(string name) => Parse(ScenarioResources.ReadScenario(name), name);
}

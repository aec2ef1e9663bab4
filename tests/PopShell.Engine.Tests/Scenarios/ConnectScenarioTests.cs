using PopShell.Engine.Text;

namespace PopShell.Engine.Tests.Scenarios;

/// <summary>Connect-Pop3's engine against servers that refuse, explain why, or send terminal escapes.</summary>
public class ConnectScenarioTests
{
    [Fact]
    public void A_greeting_of_err_fails_with_the_servers_reason_and_nothing_is_sent_after_it()
    {
        using var server = ScriptedPop3Server.FromScenario("greeting-refused");

        var error = Assert.Throws<PopShellException>(() => ScenarioConnection.Open(server));

        // Which kind this is is not decided yet: today it is ProtocolViolation (MailKit throws a protocol
        // error for an -ERR greeting), with a hint about TLS ports that does not fit a server that said no.
        Assert.Contains("Permission denied - do not try again", error.Message);
        Assert.Empty(server.LinesAfterHangUp());
        Assert.Empty(server.Failures);
    }

    [Fact]
    public void A_greeting_of_err_with_a_response_code_is_classified_by_it()
    {
        using var server = ScriptedPop3Server.FromScenario("greeting-in-use");

        var error = Assert.Throws<PopShellException>(() => ScenarioConnection.Open(server));

        Assert.Equal(PopShellErrorKind.MailboxInUse, error.Kind);
        Assert.Contains("[IN-USE]", error.ServerReply);
        Assert.Empty(server.LinesAfterHangUp());
    }

    [Theory]
    [InlineData("login-refused-in-use", PopShellErrorKind.MailboxInUse, "[IN-USE]")]
    [InlineData("login-refused-login-delay", PopShellErrorKind.LoginDelay, "[LOGIN-DELAY]")]
    [InlineData("login-refused-sys-temp", PopShellErrorKind.ServerTemporaryFailure, "[SYS/TEMP]")]
    [InlineData("login-refused-sys-perm", PopShellErrorKind.ServerPermanentFailure, "[SYS/PERM]")]
    [InlineData("login-refused-auth", PopShellErrorKind.AuthenticationFailed, "[AUTH]")]
    public void A_refused_login_is_classified_by_its_response_code_and_never_shows_the_password(string scenario, PopShellErrorKind kind, string code)
    {
        using var server = ScriptedPop3Server.FromScenario(scenario);

        var error = Assert.Throws<PopShellException>(() => ScenarioConnection.Open(server));

        Assert.Equal(kind, error.Kind);
        Assert.Contains(code, error.ServerReply);
        Assert.DoesNotContain(ScenarioConnection.Password, error.ToString());
        Assert.DoesNotContain(ScenarioConnection.Password, error.ServerReply);
        // One login attempt, and the session ends there: no second mechanism, no QUIT.
        var lines = server.LinesAfterHangUp();
        Assert.Equal(["CAPA", "USER alice", "PASS " + ScenarioConnection.Password], lines);
        Assert.Empty(server.Failures);
    }

    [Fact]
    public void Control_characters_in_the_greeting_and_implementation_are_escaped()
    {
        using var server = ScriptedPop3Server.FromScenario("greeting-control-characters");

        using var connection = ScenarioConnection.Open(server);
        var info = connection.GetMailboxInfo();
        var quit = connection.Close(discard: false, CancellationToken.None);

        Assert.StartsWith("+OK ", info.Greeting);
        Assert.Contains("\\u001B[2J", info.Greeting);
        Assert.Contains("ready", info.Greeting);
        Assert.DoesNotContain(info.Greeting, DisplayText.IsUnsafe);
        Assert.All(info.Capabilities, c => Assert.DoesNotContain(c, DisplayText.IsUnsafe));
        Assert.DoesNotContain(info.Implementation ?? string.Empty, DisplayText.IsUnsafe);
        Assert.True(quit.Acknowledged);
        Assert.Empty(server.Failures);
    }

    [Fact]
    public void Control_characters_in_a_login_error_are_escaped()
    {
        using var server = ScriptedPop3Server.FromScenario("login-refused-control-characters");

        var error = Assert.Throws<PopShellException>(() => ScenarioConnection.Open(server));

        Assert.Equal(PopShellErrorKind.AuthenticationFailed, error.Kind);
        Assert.Contains("denied", error.Message);
        Assert.DoesNotContain(error.Message, DisplayText.IsUnsafe);
        Assert.DoesNotContain(error.ServerReply!, DisplayText.IsUnsafe);
        Assert.DoesNotContain(error.Hint ?? string.Empty, DisplayText.IsUnsafe);
        Assert.Empty(server.Failures);
    }

    [Theory]
    [InlineData("stls-not-offered")]
    [InlineData("stls-refused")]
    public void With_stls_required_a_server_without_it_never_gets_the_password(string scenario)
    {
        using var server = ScriptedPop3Server.FromScenario(scenario);

        Assert.Throws<PopShellException>(() => Pop3Connection.Open(StartTlsRequired(server), CancellationToken.None));

        var lines = server.LinesAfterHangUp();
        Assert.Empty(lines.Commands("USER"));
        Assert.Empty(lines.Commands("AUTH"));
        Assert.DoesNotContain(lines, l => l.Contains(ScenarioConnection.Password, StringComparison.Ordinal));
        Assert.Empty(server.Failures);
    }

    [Theory]
    [InlineData("stls-not-offered")]
    [InlineData("stls-refused")]
    public void A_server_that_will_not_start_tls_is_a_tls_failure(string scenario)
    {
        using var server = ScriptedPop3Server.FromScenario(scenario);

        var error = Assert.Throws<PopShellException>(() => Pop3Connection.Open(StartTlsRequired(server), CancellationToken.None));

        // PopShellErrorKind.TlsFailed: "The TLS handshake failed, or the server would not start TLS."
        Assert.Equal(PopShellErrorKind.TlsFailed, error.Kind);
    }

    static ConnectionOptions StartTlsRequired(ScriptedPop3Server server)
    {
        var options = ScenarioConnection.Options(server);
        options.Security = TransportSecurity.StartTls;
        options.AllowUnencryptedAuthentication = false;
        return options;
    }

    [Fact]
    public void The_protocol_log_never_holds_the_password_even_when_the_server_echoes_it()
    {
        using var server = ScriptedPop3Server.FromScenario("login-refused-auth");
        using var folder = new TempDirectory();
        var options = ScenarioConnection.Options(server);
        options.ProtocolLogPath = Path.Combine(folder.Path, "pop3.log");

        Assert.Throws<PopShellException>(() => Pop3Connection.Open(options, CancellationToken.None));

        string log = File.ReadAllText(options.ProtocolLogPath);
        Assert.Contains("PASS ", log);
        Assert.Contains("[AUTH]", log);
        Assert.DoesNotContain(ScenarioConnection.Password, log);
    }

    [Fact]
    public void An_apop_timestamp_in_the_greeting_does_not_make_the_client_use_apop()
    {
        using var server = ScriptedPop3Server.FromScenario("greeting-apop-timestamp");

        using var connection = ScenarioConnection.Open(server);
        connection.Close(discard: false, CancellationToken.None);

        Assert.Equal("USER", connection.AuthenticationMechanism);
        Assert.Empty(server.LinesAfterHangUp().Commands("APOP"));
        Assert.Empty(server.Failures);
    }
}

namespace PopShell.Engine.Tests.Scenarios;

public class SecurityScenarioTests
{
    const string Token = "ya29.Token-Canary-7f3e";

    static ConnectionOptions TokenLogin(ScriptedPop3Server server, string? protocolLogPath = null) => new()
    {
        Server = "127.0.0.1",
        Port = server.Port,
        Security = TransportSecurity.None,
        AllowUnencryptedAuthentication = true,
        UserName = ScenarioConnection.UserName,
        AccessToken = Token,
        Timeout = ScenarioConnection.Timeout,
        ProtocolLogPath = protocolLogPath,
    };

    [Fact]
    public void Data_injected_after_the_reply_to_stls_refuses_the_session_before_any_credential()
    {
        using var server = ScriptedPop3Server.FromScenario("stls-injected");
        var options = ScenarioConnection.Options(server);
        options.Security = TransportSecurity.StartTls;
        options.AllowUnencryptedAuthentication = false;

        var error = Assert.Throws<PopShellException>(() => Pop3Connection.Open(options, CancellationToken.None));

        Assert.Equal(PopShellErrorKind.TlsFailed, error.Kind);
        Assert.Contains("injection", error.Message);
        var sent = server.LinesAfterHangUp();
        Assert.DoesNotContain(sent, line => line.StartsWith("USER", StringComparison.Ordinal) || line.StartsWith("PASS", StringComparison.Ordinal) || line.StartsWith("AUTH", StringComparison.Ordinal));
        Assert.DoesNotContain(sent, line => line.Contains(ScenarioConnection.Password));
    }

    [Theory]
    [InlineData("token-oauthbearer", "OAUTHBEARER")]
    [InlineData("token-xoauth2", "XOAUTH2")]
    public void An_access_token_logs_in_with_the_oauth_mechanism_offered_and_stays_out_of_the_log(string scenario, string mechanism)
    {
        using var server = ScriptedPop3Server.FromScenario(scenario);
        using var folder = new Export.TempDirectory();
        string log = Path.Combine(folder.Path, "protocol.log");
        using (var connection = Pop3Connection.Open(TokenLogin(server, log), CancellationToken.None))
            Assert.Equal(mechanism, connection.AuthenticationMechanism);

        // The client sent the token inside its base64 SASL message, in the form the mechanism defines.
        var sent = server.LinesAfterHangUp();
        string response = sent[sent.ToList().IndexOf($"AUTH {mechanism}") + 1];
        string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(response));
        Assert.Contains($"auth=Bearer {Token}\u0001", decoded);
        Assert.Contains(mechanism == "XOAUTH2" ? $"user={ScenarioConnection.UserName}\u0001" : $"a={ScenarioConnection.UserName},", decoded);
        Assert.Empty(server.Failures);

        string logged = File.ReadAllText(log);
        Assert.DoesNotContain(Token, logged);
        Assert.DoesNotContain(response, logged);
    }

    [Fact]
    public void A_refused_token_is_an_authentication_error_without_the_token()
    {
        using var server = ScriptedPop3Server.FromText("""
            S: +OK ready
            C: CAPA
            S: +OK
            S: SASL XOAUTH2
            S: .
            C: AUTH XOAUTH2
            S-RAW: + \r\n
            C: *
            S: -ERR [AUTH] Invalid token ya29.Token-Canary-7f3e
            """);
        var error = Assert.Throws<PopShellException>(() => Pop3Connection.Open(TokenLogin(server), CancellationToken.None));

        Assert.Equal(PopShellErrorKind.AuthenticationFailed, error.Kind);
        Assert.DoesNotContain(Token, error.ToString());
        Assert.DoesNotContain(Token, error.ServerReply ?? string.Empty);
    }
}

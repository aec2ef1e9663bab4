namespace PopShell.Engine.Tests.Sessions;

public class AuthenticatorTests
{
    static HashSet<string> Offered(params string[] names) => new(names, StringComparer.OrdinalIgnoreCase);

    [Theory]
    [InlineData(new[] { "PLAIN", "LOGIN", "CRAM-MD5" }, "CRAM-MD5")]
    [InlineData(new[] { "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-1" }, "SCRAM-SHA-256")]
    [InlineData(new[] { "LOGIN", "PLAIN" }, "PLAIN")]
    [InlineData(new[] { "XOAUTH2", "LOGIN" }, "LOGIN")]
    [InlineData(new string[0], "USER")]
    [InlineData(new[] { "APOP", "GSSAPI" }, "USER")]
    public void A_password_goes_to_the_strongest_mechanism_offered_and_never_to_apop_unasked(string[] offered, string expected)
    {
        Assert.Equal(expected, Authenticator.Choose(null, Offered(offered), token: false));
    }

    [Theory]
    [InlineData(new[] { "PLAIN", "XOAUTH2", "OAUTHBEARER" }, "OAUTHBEARER")]
    [InlineData(new[] { "PLAIN", "XOAUTH2" }, "XOAUTH2")]
    public void A_token_goes_to_an_oauth_mechanism(string[] offered, string expected)
    {
        Assert.Equal(expected, Authenticator.Choose(null, Offered(offered), token: true));
    }

    [Fact]
    public void A_token_with_no_oauth_mechanism_offered_is_an_error_that_says_how_to_force_one()
    {
        var error = Assert.Throws<PopShellException>(() => Authenticator.Choose(null, Offered("PLAIN"), token: true));
        Assert.Contains("-AuthenticationMechanism", error.Hint);
    }

    [Theory]
    [InlineData("plain", false, "PLAIN")]
    [InlineData("APOP", false, "APOP")]
    [InlineData("xoauth2", true, "XOAUTH2")]
    public void A_forced_mechanism_is_used_even_if_not_advertised(string forced, bool token, string expected)
    {
        Assert.Equal(expected, Authenticator.Choose(forced, Offered(), token));
    }

    [Theory]
    [InlineData("XOAUTH2", false)]
    [InlineData("PLAIN", true)]
    [InlineData("KERBEROS-ISH", false)]
    public void A_forced_mechanism_that_does_not_fit_the_secret_is_refused(string forced, bool token)
    {
        Assert.Throws<PopShellException>(() => Authenticator.Choose(forced, Offered("PLAIN", "XOAUTH2"), token));
    }
}

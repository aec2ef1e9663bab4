using System.Net;

namespace PopShell.Engine.Tests.Sessions;

public class CramShaMechanismTests
{
    // The HMAC test vectors of RFC 4231 (test case 2) and RFC 2202 (test case 2): key "Jefe".
    [Theory]
    [InlineData("CRAM-SHA256", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
    [InlineData("CRAM-SHA1", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")]
    public void Answers_the_challenge_with_the_user_name_and_the_hex_hmac_of_the_challenge_keyed_by_the_password(string name, string hmac)
    {
        var mechanism = CramShaMechanism.ForName(name, new NetworkCredential("alice", "Jefe"))!;
        string challenge = Convert.ToBase64String(Encoding.ASCII.GetBytes("what do ya want for nothing?"));

        string response = Encoding.UTF8.GetString(Convert.FromBase64String(mechanism.Challenge(challenge, CancellationToken.None)));

        Assert.Equal(name, mechanism.MechanismName);
        Assert.Equal("alice " + hmac, response);
        Assert.True(mechanism.IsAuthenticated);
    }

    [Fact]
    public void Is_preferred_to_cram_md5_and_below_scram()
    {
        var offered = new HashSet<string>(["CRAM-MD5", "CRAM-SHA1", "CRAM-SHA256", "PLAIN"], StringComparer.OrdinalIgnoreCase);
        Assert.Equal("CRAM-SHA256", Authenticator.Choose(null, offered, token: false));
        offered.Add("SCRAM-SHA-1");
        Assert.Equal("SCRAM-SHA-1", Authenticator.Choose(null, offered, token: false));
    }

    [Fact]
    public void Is_none_of_the_other_mechanisms()
    {
        Assert.Null(CramShaMechanism.ForName("CRAM-MD5", new NetworkCredential("alice", "x")));
    }
}

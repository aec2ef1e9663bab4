using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PopShell.Engine.Tests.Sessions;

public class CertificatePolicyTests
{
    static readonly X509Certificate2 SelfSigned = CreateCertificate("CN=mail.example.org");
    static readonly X509Certificate2 Other = CreateCertificate("CN=impostor.example.org");

    static X509Certificate2 CreateCertificate(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    static string Sha256(X509Certificate2 cert) => Convert.ToHexString(SHA256.HashData(cert.RawData));

    [Fact]
    public void Accepts_a_valid_chain_without_pins()
    {
        Assert.True(new CertificatePolicy([], false).Validate(this, SelfSigned, null, SslPolicyErrors.None));
    }

    [Fact]
    public void Rejects_an_untrusted_certificate_and_says_what_to_pin()
    {
        var policy = new CertificatePolicy([], false);

        Assert.False(policy.Validate(this, SelfSigned, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Equal("CN=mail.example.org", policy.Rejection!.Subject);
        Assert.Equal(Sha256(SelfSigned), policy.Rejection.Sha256Thumbprint);
        Assert.Contains("not trusted", policy.Rejection.Reason);
    }

    [Fact]
    public void Names_a_host_name_mismatch()
    {
        var policy = new CertificatePolicy([], false);

        Assert.False(policy.Validate(this, SelfSigned, null, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.Contains("name does not match", policy.Rejection!.Reason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_matching_sha256_pin_accepts_a_self_signed_certificate_in_any_notation(bool lowerCaseWithColons)
    {
        string pin = Sha256(SelfSigned);
        if (lowerCaseWithColons)
            pin = string.Join(":", Enumerable.Range(0, pin.Length / 2).Select(i => pin.Substring(i * 2, 2))).ToLowerInvariant();

        Assert.True(new CertificatePolicy([pin], false).Validate(this, SelfSigned, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void A_matching_sha1_pin_is_accepted()
    {
        Assert.True(new CertificatePolicy([SelfSigned.Thumbprint], false).Validate(this, SelfSigned, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void A_pin_mismatch_fails_even_when_the_chain_is_valid()
    {
        var policy = new CertificatePolicy([Sha256(SelfSigned)], false);

        Assert.False(policy.Validate(this, Other, null, SslPolicyErrors.None));
        Assert.Contains("pinned", policy.Rejection!.Reason);
        Assert.Equal(Sha256(Other), policy.Rejection.Sha256Thumbprint);
    }

    [Fact]
    public void Skipping_the_check_accepts_any_certificate()
    {
        Assert.True(new CertificatePolicy([], true).Validate(this, Other, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public void No_certificate_is_rejected()
    {
        var policy = new CertificatePolicy([], true);

        Assert.False(policy.Validate(this, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
        Assert.NotNull(policy.Rejection);
    }
}

public class RevocationPolicyTests
{
    [Theory]
    [InlineData(new[] { X509ChainStatusFlags.RevocationStatusUnknown }, true)]
    [InlineData(new[] { X509ChainStatusFlags.RevocationStatusUnknown, X509ChainStatusFlags.OfflineRevocation }, true)]
    [InlineData(new[] { X509ChainStatusFlags.Revoked }, false)]
    [InlineData(new[] { X509ChainStatusFlags.RevocationStatusUnknown, X509ChainStatusFlags.UntrustedRoot }, false)]
    [InlineData(new[] { X509ChainStatusFlags.NotTimeValid }, false)]
    [InlineData(new X509ChainStatusFlags[0], false)]
    public void Only_an_unknown_revocation_status_is_forgiven(X509ChainStatusFlags[] statuses, bool forgiven)
    {
        Assert.Equal(forgiven, CertificatePolicy.OnlyRevocationUnknown(statuses));
    }
}

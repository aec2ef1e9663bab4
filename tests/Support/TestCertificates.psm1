<#
    Throw-away TLS certificates for the test servers, made at run time so that no key is ever
    committed: self-signed ones to pin by thumbprint, and ones signed by a throw-away certificate
    authority (trusted by whoever points SSL_CERT_FILE at it), for a wrong name, or expired.
#>

Set-StrictMode -Version 3.0
# Every failure inside this module is a broken test environment: stop at the first one.
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PSScriptRoot 'TestHost.psm1')

$script:Utf8NoBom = [System.Text.UTF8Encoding]::new($false)

function New-TestCertificateAuthority {
    <#
    .SYNOPSIS
        Makes a throw-away CA (with its private key, in memory) and writes its certificate as PEM to -Path.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $key = [System.Security.Cryptography.RSA]::Create(2048)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new(
        'CN=PopShell Test CA', $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256,
        [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $request.CertificateExtensions.Add(
        [System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new(
            [System.Security.Cryptography.X509Certificates.X509KeyUsageFlags]'KeyCertSign, CrlSign', $true))
    $ca = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-100), [DateTimeOffset]::UtcNow.AddDays(100))
    [System.IO.File]::WriteAllText($Path, $ca.ExportCertificatePem() + "`n", $script:Utf8NoBom)
    $ca
}

function New-TestCertificateFile {
    <#
    .SYNOPSIS
        Writes a new self-signed server certificate and its key as PEM files, returns thumbprints.
    .DESCRIPTION
        Made at run time so no key is ever committed. CN and SAN name both 'localhost' and
        127.0.0.1 so a client may connect by either. Valid from yesterday so clock skew between
        this process and Dovecot cannot make it "not yet valid".
    #>
    param(
        [Parameter(Mandatory)] [string] $CertificatePath,
        [Parameter(Mandatory)] [string] $KeyPath,
        # SelfSigned: its own issuer. Trusted: signed by a test CA written to -CaPath (trusted by whoever
        # points SSL_CERT_FILE at it). WrongName: CA-signed for 'wrong.example'. Expired: CA-signed, expired.
        [ValidateSet('SelfSigned', 'Trusted', 'WrongName', 'Expired')] [string] $Kind = 'SelfSigned',
        [string] $CaPath
    )

    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $certificate = $null
    $ca = $null
    $hostName = if ($Kind -eq 'WrongName') { 'wrong.example' } else { 'localhost' }
    try {
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new(
            "CN=$hostName", $rsa,
            [System.Security.Cryptography.HashAlgorithmName]::SHA256,
            [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)

        $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $names.AddDnsName($hostName)
        if ($Kind -ne 'WrongName') { $names.AddIpAddress([System.Net.IPAddress]::Loopback) }
        $request.CertificateExtensions.Add($names.Build())
        $request.CertificateExtensions.Add(
            [System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($false, $false, 0, $true))
        $keyUsage = [System.Security.Cryptography.X509Certificates.X509KeyUsageFlags]'DigitalSignature, KeyEncipherment'
        $request.CertificateExtensions.Add(
            [System.Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new($keyUsage, $true))
        $serverAuth = [System.Security.Cryptography.OidCollection]::new()
        $null = $serverAuth.Add([System.Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.1', 'Server Authentication'))
        $request.CertificateExtensions.Add(
            [System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($serverAuth, $false))

        $notBefore = if ($Kind -eq 'Expired') { [DateTimeOffset]::UtcNow.AddDays(-60) } else { [DateTimeOffset]::UtcNow.AddDays(-1) }
        if ($Kind -eq 'SelfSigned') {
            $certificate = $request.CreateSelfSigned($notBefore, $notBefore.AddDays(30))
        }
        else {
            $ca = New-TestCertificateAuthority -Path $CaPath
            $serial = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(8)
            $certificate = $request.Create($ca, [DateTimeOffset]::UtcNow.AddDays(-90), $notBefore.AddDays(30), $serial)
        }

        [System.IO.File]::WriteAllText($CertificatePath, $certificate.ExportCertificatePem() + "`n", $script:Utf8NoBom)
        # Create the key file empty and private before the key goes in.
        [System.IO.File]::WriteAllText($KeyPath, '')
        Set-UnixPermission -Path $KeyPath -Octal '0600'
        [System.IO.File]::WriteAllText($KeyPath, $rsa.ExportPkcs8PrivateKeyPem() + "`n", $script:Utf8NoBom)

        [pscustomobject]@{
            Sha256Thumbprint = $certificate.GetCertHashString([System.Security.Cryptography.HashAlgorithmName]::SHA256).ToUpperInvariant()
            Sha1Thumbprint   = $certificate.Thumbprint.ToUpperInvariant()
        }
    }
    finally {
        if ($ca) { $ca.Dispose() }
        if ($certificate) { $certificate.Dispose() }
        $rsa.Dispose()
    }
}

Export-ModuleMember -Function @(
    'New-TestCertificateFile'
)

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # One server per kind of certificate; a test CA signs all but the self-signed one.
    $servers = @{ SelfSigned = $TestServer }
    foreach ($kind in 'Trusted', 'WrongName', 'Expired') { $servers[$kind] = Start-TestDovecot -CertificateKind $kind }
    $mailboxes = @{}
    foreach ($kind in $servers.Keys) {
        $mailboxes[$kind] = New-TestMailbox -Server $servers[$kind] -UserName "cert$($kind.ToLowerInvariant())" -Password 'Cert-Test-Pw-1'
    }

    # .NET on Linux trusts what SSL_CERT_FILE names, so a child process started with it trusts the test CA
    # (and nothing else): the parent's trust store is left alone.
    $cases = foreach ($kind in 'Trusted', 'WrongName', 'Expired', 'SelfSigned') {
        foreach ($mode in 'Tls', 'StartTls') {
            foreach ($pin in $false, $true) {
                $server = $servers[$kind]
                [pscustomobject]@{
                    Name = "$kind/$mode/$(if ($pin) { 'pinned' } else { 'unpinned' })"
                    Port = if ($mode -eq 'Tls') { $server.TlsPort } else { $server.PlainPort }
                    Mode = $mode
                    Pin  = if ($pin) { $server.CertificateThumbprint } else { '' }
                    User = $mailboxes[$kind].UserName
                }
            }
        }
    }
    $scriptPath = Join-Path $TestDrive 'certificates.ps1'
    @"
Import-Module '$($env:POPSHELL_MODULE_PATH)'
`$cred = [pscredential]::new('user', (ConvertTo-SecureString 'Cert-Test-Pw-1' -AsPlainText -Force))
`$cases = '$(($cases | ConvertTo-Json -Compress).Replace("'", "''"))' | ConvertFrom-Json
foreach (`$case in `$cases) {
    `$extra = @{}
    if (`$case.Pin) { `$extra.CertificateThumbprint = `$case.Pin }
    try {
        `$cred = [pscredential]::new(`$case.User, `$cred.Password)
        `$s = Connect-Pop3 localhost -Port `$case.Port -Security `$case.Mode -Credential `$cred -TimeoutSeconds 20 -ErrorAction Stop @extra
        Disconnect-Pop3 `$s
        "`$(`$case.Name)=ok"
    }
    catch {
        "`$(`$case.Name)=`$(`$_.FullyQualifiedErrorId.Split(',')[0])|`$(`$_.Exception.Message)"
    }
}
"@ | Set-Content $scriptPath
    $env:SSL_CERT_FILE = $servers.Trusted.CaCertificatePath
    try { $process = Start-ChildPwsh $scriptPath -Wait }
    finally { Remove-Item Env:SSL_CERT_FILE }
    $results = @{}
    foreach ($line in Get-Content "$scriptPath.log") {
        $name, $outcome = $line -split '=', 2
        $results[$name] = $outcome
    }
}

AfterAll {
    foreach ($kind in 'Trusted', 'WrongName', 'Expired') { Stop-TestDovecot -Server $servers[$kind] }
}

Describe 'Certificate validation' {
    It 'ran every case' {
        $process.ExitCode | Should -Be 0
        $results.Count | Should -Be $cases.Count
    }

    It 'accepts a certificate from a trusted CA for the right name with <_>' -ForEach 'Tls', 'StartTls' {
        $results["Trusted/$_/unpinned"] | Should -Be 'ok'
    }

    It 'rejects a certificate for the wrong name with <_>, and says so' -ForEach 'Tls', 'StartTls' {
        $results["WrongName/$_/unpinned"] | Should -BeLike 'CertificateRejected|*name does not match*'
    }

    It 'rejects an expired certificate with <_>, and says so' -ForEach 'Tls', 'StartTls' {
        $results["Expired/$_/unpinned"] | Should -BeLike 'CertificateRejected|*NotTimeValid*'
    }

    It 'rejects a self-signed certificate with <_>, naming its thumbprint' -ForEach 'Tls', 'StartTls' {
        $results["SelfSigned/$_/unpinned"] | Should -BeLike "CertificateRejected|*$($TestServer.CertificateThumbprint)*"
    }

    It 'accepts any of them when its SHA-256 thumbprint is pinned, with <_>' -ForEach 'Tls', 'StartTls' {
        foreach ($kind in 'Trusted', 'WrongName', 'Expired', 'SelfSigned') {
            $results["$kind/$_/pinned"] | Should -Be 'ok' -Because "$kind is pinned"
        }
    }
}

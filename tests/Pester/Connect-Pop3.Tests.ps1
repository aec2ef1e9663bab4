BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $mailbox = New-TestMailbox -Server $TestServer -Password 'Pa55-canary-Connect'
    Add-TestMessage -Mailbox $mailbox -Raw (New-TestMessageText -Subject 'hello')
}

Describe 'Connect-Pop3' {
AfterEach {
    Get-Variable session -ErrorAction Ignore | ForEach-Object { if ($_.Value -is [PopShell.Pop3Session]) { Disconnect-Pop3 -Session $_.Value } }
    Remove-Variable session -ErrorAction Ignore
}

Context 'security modes' {
    It 'Auto on a port other than 995 requires STLS and encrypts the session' {
        $session = Connect-TestMailbox $mailbox
        $session.Security | Should -Be 'StartTls'
        $session.IsEncrypted | Should -BeTrue
        $session.TlsProtocol | Should -BeIn 'Tls12', 'Tls13'
        $session.TlsCipher | Should -Not -BeNullOrEmpty
    }

    It 'Tls speaks TLS from the first byte on the implicit-TLS port' {
        $session = Connect-Pop3 $TestServer.HostName -Port $TestServer.TlsPort -Security Tls -Credential $mailbox.Credential -CertificateThumbprint $TestServer.CertificateThumbprint
        $session.Security | Should -Be 'Tls'
        $session.IsEncrypted | Should -BeTrue
        (Get-Pop3Mailbox).MessageCount | Should -Be 1
    }

    It 'StartTls upgrades the plain port' {
        $session = Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Security StartTls -Credential $mailbox.Credential -CertificateThumbprint $TestServer.CertificateThumbprint
        $session.Security | Should -Be 'StartTls'
        $session.IsEncrypted | Should -BeTrue
    }

    It 'None logs in without encryption only with -AllowUnencryptedAuthentication' {
        $session = Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Security None -AllowUnencryptedAuthentication -Credential $mailbox.Credential
        $session.IsEncrypted | Should -BeFalse
        $session.TlsProtocol | Should -BeNullOrEmpty
        (Get-Pop3Mailbox).MessageCount | Should -Be 1
    }

    It 'None with a password and no opt-in is refused before anything is sent' {
        $err = { Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Security None -Credential $mailbox.Credential } |
            Should -Throw -ErrorId 'UnencryptedAuthenticationRefused,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.ErrorDetails.Message | Should -Match 'AllowUnencryptedAuthentication'
    }

    It 'Tls against a plain port fails with a TLS error, not a login in clear' {
        $err = { Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Security Tls -Credential $mailbox.Credential -TimeoutSeconds 10 } |
            Should -Throw -ErrorId 'TlsFailed,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
    }
}

Context 'certificate checks' {
    It 'rejects the self-signed test certificate by default and names what to pin' {
        $err = { Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Credential $mailbox.Credential } |
            Should -Throw -ErrorId 'CertificateRejected,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.Message | Should -Match $TestServer.CertificateThumbprint
        $err.Exception.Message | Should -Match 'CN=localhost'
        $err.ErrorDetails.Message | Should -Match '-CertificateThumbprint'
    }

    It 'rejects a certificate whose thumbprint matches no pin' {
        { Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Credential $mailbox.Credential -CertificateThumbprint ('AB' * 32) } |
            Should -Throw -ErrorId 'CertificateRejected,*'
    }

    It 'accepts a SHA-1 pin' {
        $session = Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Credential $mailbox.Credential -CertificateThumbprint $TestServer.CertificateSha1Thumbprint
        $session.IsConnected | Should -BeTrue
    }

    It '-SkipCertificateCheck connects and warns' {
        $session = Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Credential $mailbox.Credential -SkipCertificateCheck -WarningVariable warnings -WarningAction SilentlyContinue
        $session.IsConnected | Should -BeTrue
        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match 'not be validated'
    }
}

Context 'failures' {
    It 'a wrong password is an authentication error that never shows the password' {
        $wrong = [pscredential]::new($mailbox.UserName, (ConvertTo-SecureString 'Wrong-canary-7731' -AsPlainText -Force))
        $err = { Connect-TestMailbox ([pscustomobject]@{ Credential = $wrong }) } | Should -Throw -ErrorId 'AuthenticationFailed,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match ([regex]::Escape($mailbox.UserName))
        ($err | Out-String) + $err.Exception.ToString() + $err.ErrorDetails.Message | Should -Not -Match 'Wrong-canary-7731'
    }

    It 'a port where nothing listens is a connection error' {
        $port = Get-FreeLoopbackPort
        $err = { Connect-Pop3 $TestServer.HostName -Port $port -Security Tls -Credential $mailbox.Credential } |
            Should -Throw -ErrorId 'ConnectionFailed,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -Match ":$port"
    }

    It 'a mailbox locked by another session is reported as in use' {
        $locked = New-TestMailbox -Server $TestServer -LockSession
        $session = Connect-TestMailbox $locked
        $err = { Connect-TestMailbox $locked } | Should -Throw -ErrorId 'MailboxInUse,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ResourceBusy'
        $err.Exception.Message | Should -Match 'IN-USE'
    }
}

Context 'sessions' {
    It 'makes the new session the default for later commands' {
        $session = Connect-TestMailbox $mailbox
        (Get-Pop3Mailbox).Session | Should -Be $session
    }

    It 'writes a protocol log with the password redacted' {
        $log = Join-Path $TestDrive 'protocol.log'
        $session = Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Security None -AllowUnencryptedAuthentication -Credential $mailbox.Credential -ProtocolLogPath $log
        Disconnect-Pop3 $session
        $text = Get-Content $log -Raw
        $text | Should -Match 'CAPA'
        $text | Should -Not -Match ([regex]::Escape($mailbox.Password))
    }
}
}

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
        $err = { Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Security None -Credential $mailbox.Credential -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnencryptedAuthenticationRefused,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.ErrorDetails.RecommendedAction | Should -Match 'AllowUnencryptedAuthentication'
    }

    It 'Tls against a plain port fails with a TLS error, not a login in clear' {
        $err = { Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Security Tls -Credential $mailbox.Credential -TimeoutSeconds 10 -ErrorAction Stop } |
            Should -Throw -ErrorId 'TlsFailed,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
    }
}

Context 'certificate checks' {
    It 'rejects the self-signed test certificate by default and names what to pin' {
        $err = { Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Credential $mailbox.Credential -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateRejected,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.Message | Should -Match $TestServer.CertificateThumbprint
        $err.Exception.Message | Should -Match 'CN=localhost'
        $err.ErrorDetails.RecommendedAction | Should -Match '-CertificateThumbprint'
    }

    It 'rejects a certificate whose thumbprint matches no pin' {
        { Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Credential $mailbox.Credential -CertificateThumbprint ('AB' * 32) -ErrorAction Stop } |
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

    It 'a port where nothing listens is ConnectionRefused, with server:port as the target' {
        $port = Get-FreeLoopbackPort
        $err = { Connect-Pop3 $TestServer.HostName -Port $port -Security Tls -Credential $mailbox.Credential -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConnectionRefused,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.TargetObject | Should -Be "$($TestServer.HostName):$port"
        $err.Exception.Message | Should -Match ":$port"
    }

    It 'a server name that does not resolve is HostNotFound, another id than a refused port' {
        $err = { Connect-Pop3 'no-such-host.invalid' -Port 995 -Credential $mailbox.Credential -ErrorAction Stop } |
            Should -Throw -ErrorId 'HostNotFound,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -Be 'no-such-host.invalid:995'
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

Context 'errors a script can handle (issue 14, point 4)' {
    It 'throws a public PopShell.Pop3Exception that carries the kind' {
        $wrong = [pscredential]::new($mailbox.UserName, (ConvertTo-SecureString 'Wrong-canary-1' -AsPlainText -Force))
        $caught = try {
            Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Credential $wrong -CertificateThumbprint $TestServer.CertificateThumbprint -ErrorAction Stop
            'nothing caught'
        }
        catch [PopShell.Pop3Exception] {
            $_.Exception.Kind
        }
        $caught | Should -Be ([PopShell.Pop3ErrorKind]::AuthenticationFailed)
    }

    It 'says the message and the recommendation once each, as sentences' {
        $port = Get-FreeLoopbackPort
        Connect-Pop3 $TestServer.HostName -Port $port -Security Tls -Credential $mailbox.Credential -ErrorVariable errors -ErrorAction SilentlyContinue
        $record = $errors[0]
        $record.Exception.Message | Should -Match '\.$'
        $record.ErrorDetails.RecommendedAction | Should -Match '^Check the port.*\.$'
        $record.Exception.Message | Should -Not -Match 'Check the port'
        $record.Exception.RecommendedAction | Should -Be $record.ErrorDetails.RecommendedAction
        $ErrorView = 'ConciseView'
        $shown = $record | Out-String
        ([regex]::Matches($shown, 'Check the port')).Count | Should -Be 1
    }

    It 'connects one session per CSV row, and a row that fails is an error for that row only' {
        $csv = Join-Path $TestDrive 'servers.csv'
        $refused = Get-FreeLoopbackPort
        @(
            [pscustomobject]@{ Server = $TestServer.HostName; Port = $TestServer.PlainPort; Security = 'StartTls'; CertificateThumbprint = $TestServer.CertificateThumbprint }
            [pscustomobject]@{ Server = $TestServer.HostName; Port = $refused; Security = 'Tls'; CertificateThumbprint = $TestServer.CertificateThumbprint }
            [pscustomobject]@{ Server = $TestServer.HostName; Port = $TestServer.TlsPort; Security = 'Tls'; CertificateThumbprint = $TestServer.CertificateThumbprint }
        ) | Export-Csv $csv
        $sessions = @(Import-Csv $csv | Connect-Pop3 -Credential $mailbox.Credential -ErrorVariable errors -ErrorAction SilentlyContinue)
        try {
            $sessions | Should -HaveCount 2
            $sessions.Port | Should -Be @($TestServer.PlainPort, $TestServer.TlsPort)
            $sessions.Security | Should -Be @('StartTls', 'Tls')
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionRefused,*'
            $errors[0].TargetObject | Should -Be "$($TestServer.HostName):$refused"
        }
        finally {
            $sessions | Disconnect-Pop3
        }
    }

    It 'takes each row''s credential from objects that carry one' {
        $other = New-TestMailbox -Server $TestServer
        $rows = $mailbox, $other | ForEach-Object {
            [pscustomobject]@{ Server = $TestServer.HostName; Port = $TestServer.PlainPort; Credential = $_.Credential; CertificateThumbprint = $TestServer.CertificateThumbprint }
        }
        $sessions = @($rows | Connect-Pop3)
        try {
            $sessions.UserName | Should -Be @($mailbox.UserName, $other.UserName)
        }
        finally {
            $sessions | Disconnect-Pop3
        }
    }

    It 'a failed connect leaves no current session, so later commands cannot reach the previous server' {
        $session = Connect-TestMailbox $mailbox
        Connect-Pop3 $TestServer.HostName -Port (Get-FreeLoopbackPort) -Security Tls -Credential $mailbox.Credential -ErrorAction SilentlyContinue
        Get-Pop3Session -Current | Should -BeNullOrEmpty
        { Get-Pop3Message } | Should -Throw -ErrorId 'NoSession,*'
        $session.IsConnected | Should -BeTrue
    }
}

Context 'without -Credential or -AccessToken (issue 14, point 3)' {
    It 'asks for a credential, and where nobody can answer, connects nothing' {
        $runspace = [powershell]::Create()
        try {
            $null = $runspace.AddScript("Import-Module '$($env:POPSHELL_MODULE_PATH)'; Connect-Pop3 '$($TestServer.HostName)' -Port $($TestServer.PlainPort) -CertificateThumbprint '$($TestServer.CertificateThumbprint)'")
            $runspace.Invoke() | Should -BeNullOrEmpty
            $runspace.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'MissingMandatoryParameter,*'
            "$($runspace.Streams.Error[0])" | Should -Match 'Credential'
            $runspace.Commands.Clear()
            $null = $runspace.AddScript('@(Get-Pop3Session).Count')
            $runspace.Invoke() | Should -Be 0
        }
        finally {
            $runspace.Dispose()
        }
    }
}

Context 'which session is current (issue 14, point 8)' {
    It 'Get-Pop3Session -Id finds sessions; Set-Pop3Session makes one current again after the current one ended' {
        $first = Connect-TestMailbox $mailbox
        $other = New-TestMailbox -Server $TestServer
        $second = Connect-TestMailbox $other
        try {
            Get-Pop3Session -Id $first.Id | Should -Be $first
            Disconnect-Pop3
            Get-Pop3Session -Current | Should -BeNullOrEmpty
            Get-Pop3Session -Id $first.Id | Set-Pop3Session
            Get-Pop3Session -Current | Should -Be $first
            (Get-Pop3Mailbox).Session | Should -Be $first
            $null = Get-Pop3Session -Id 999 -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'NoSession,*'
            $errors[0].TargetObject | Should -Be 999
        }
        finally {
            Disconnect-Pop3 -Session $first
        }
    }

    It '-Session completes open sessions, not file names' {
        $session = Connect-TestMailbox $mailbox
        try {
            $line = 'Get-Pop3Mailbox -Session '
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $completions.CompletionText | Should -Contain "(Get-Pop3Session -Id $($session.Id))"
            $completions | Where-Object ResultType -eq 'ProviderItem' | Should -BeNullOrEmpty
        }
        finally {
            Disconnect-Pop3 -Session $session
        }
    }
}
}

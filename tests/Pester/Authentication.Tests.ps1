BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $canary = 'Canary-Pw-5d1e!x'
    $mailbox = New-TestMailbox -Server $TestServer -Password $canary
    New-TestMessageText -Subject 'auth' | Add-TestMessage -Mailbox $mailbox

    # Every form in which a secret could leak: as typed, and base64-encoded as SASL PLAIN and LOGIN send it.
    function Get-SecretForm([string] $UserName, [string] $Secret) {
        $utf8 = [System.Text.Encoding]::UTF8
        $Secret
        [Convert]::ToBase64String($utf8.GetBytes($Secret))
        [Convert]::ToBase64String($utf8.GetBytes("`0$UserName`0$Secret"))
    }

    function Invoke-Captured([scriptblock] $Script, [string] $Name) {
        # Runs the script with every stream, a transcript and a protocol log captured; returns all of it as text.
        $transcript = Join-Path $TestDrive "$Name.transcript"
        $log = Join-Path $TestDrive "$Name.protocol.log"
        $Error.Clear()
        Start-Transcript -Path $transcript | Out-Null
        # Error records are expanded to their id and full exception text, where a secret would most likely hide.
        $expand = {
            if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.FullyQualifiedErrorId; $_.Exception.ToString(); "$($_.ErrorDetails)" }
            $_
        }
        $streams = try {
            & $Script $log *>&1 | ForEach-Object $expand | Out-String
        }
        catch {
            $_ | ForEach-Object $expand | Out-String
        }
        Stop-Transcript | Out-Null
        $errors = ($Error | ForEach-Object { $_.FullyQualifiedErrorId + "`n" + ($_ | Out-String) + $_.Exception.ToString() + $_.ErrorDetails }) -join "`n"
        $streams + $errors + (Get-Content $transcript -Raw) + $(if (Test-Path $log) { Get-Content $log -Raw })
    }
}

Describe 'Authentication mechanisms on Dovecot' {
    It 'picks the strongest mechanism the server offers' {
        $session = Connect-TestMailbox $mailbox
        $session.AuthenticationMechanism | Should -Be 'CRAM-MD5'
        Disconnect-Pop3
    }

    It 'logs in with <_> and leaks the password nowhere' -ForEach 'PLAIN', 'LOGIN', 'CRAM-MD5', 'USER' {
        $mechanism = $_
        $captured = Invoke-Captured -Name "ok-$mechanism" {
            param($log)
            $session = Connect-TestMailbox $mailbox -Extra @{ AuthenticationMechanism = $mechanism; ProtocolLogPath = $log; Verbose = $true; Debug = $true }
            $session | Format-List * | Out-String
            Get-Pop3Mailbox -Verbose | Format-List * | Out-String
            Get-Pop3Message -Verbose | Format-List * | Out-String
            Disconnect-Pop3 -Verbose
            "mechanism=$($session.AuthenticationMechanism)"
        }
        $captured | Should -Match "mechanism=$mechanism"
        $captured | Should -Match 'Subject\s*: auth'
        foreach ($form in Get-SecretForm $mailbox.UserName $canary) {
            $captured.Contains($form) | Should -BeFalse -Because "the secret (as '$form') must not appear anywhere"
        }
    }

    It 'a wrong password with <_> is refused with the server''s reason and leaks nowhere' -ForEach 'PLAIN', 'LOGIN', 'CRAM-MD5', 'USER' {
        $mechanism = $_
        $wrong = 'Wrong-Canary-77x'
        $credential = [pscredential]::new($mailbox.UserName, (ConvertTo-SecureString $wrong -AsPlainText -Force))
        $captured = Invoke-Captured -Name "bad-$mechanism" {
            param($log)
            Connect-TestMailbox ([pscustomobject]@{ Credential = $credential }) -Extra @{ AuthenticationMechanism = $mechanism; ProtocolLogPath = $log; Verbose = $true }
        }
        $captured | Should -Match 'AuthenticationFailed'
        $captured | Should -Match 'rejected the login'
        foreach ($form in Get-SecretForm $mailbox.UserName $wrong) {
            $captured.Contains($form) | Should -BeFalse -Because "the secret (as '$form') must not appear anywhere"
        }
    }

    It 'uses APOP only when asked, and never falls back from a refused APOP to USER/PASS' {
        $session = Connect-TestMailbox $mailbox -Extra @{ AuthenticationMechanism = 'APOP' }
        $session.AuthenticationMechanism | Should -Be 'APOP'
        Disconnect-Pop3

        $log = Join-Path $TestDrive 'apop-refused.log'
        $wrong = [pscredential]::new($mailbox.UserName, (ConvertTo-SecureString 'Wrong-Apop-1' -AsPlainText -Force))
        { Connect-TestMailbox ([pscustomobject]@{ Credential = $wrong }) -Extra @{ AuthenticationMechanism = 'APOP'; ProtocolLogPath = $log } } |
            Should -Throw -ErrorId 'AuthenticationFailed,*'
        $sent = Get-Content $log | Where-Object { $_ -like 'C: *' }
        ($sent | Where-Object { $_ -like 'C: APOP *' }) | Should -HaveCount 1
        $sent | Where-Object { $_ -match '^C: (USER|PASS|AUTH) ' } | Should -BeNullOrEmpty
    }

    It 'an access token needs a server that offers OAuth2, and is never sent in clear' {
        $token = ConvertTo-SecureString 'Token-Canary-0a9' -AsPlainText -Force
        { Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -UserName $mailbox.UserName -AccessToken $token -CertificateThumbprint $TestServer.CertificateThumbprint -ErrorAction Stop } |
            Should -Throw -ErrorId 'AuthenticationFailed,*' -ExpectedMessage '*no OAuth2 mechanism*'
        { Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Security None -UserName $mailbox.UserName -AccessToken $token -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnencryptedAuthenticationRefused,*' -ExpectedMessage '*access token*'
    }
}

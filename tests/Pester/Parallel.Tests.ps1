BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Exports in parallel runspaces' {
    It 'ForEach-Object -Parallel over 8 mailboxes with -Delete saves every message exactly once and deletes exactly those' {
        $jobs = foreach ($n in 1..8) {
            $mailbox = New-TestMailbox -Server $TestServer
            $texts = 1..(20 + $n) | ForEach-Object { New-TestMessageText -Subject "Box $n message $_" -Body "body $n/$_" }
            $texts | Add-TestMessage -Mailbox $mailbox
            [pscustomobject]@{
                UserName = $mailbox.UserName
                Password = $mailbox.Password
                Folder   = Join-Path $TestDrive "parallel-$n"
                Hashes   = @(Get-RawMessage -Mailbox $mailbox -Count $texts.Count | ForEach-Object { Get-Sha256Hex $_ })
                Mailbox  = $mailbox
            }
        }

        $module = $env:POPSHELL_MODULE_PATH
        $server = $TestServer
        $results = $jobs | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:module
            $job = $_
            $cred = [pscredential]::new($job.UserName, (ConvertTo-SecureString $job.Password -AsPlainText -Force))
            $session = Connect-Pop3 ($using:server).HostName -Port ($using:server).PlainPort -Credential $cred -CertificateThumbprint ($using:server).CertificateThumbprint
            $saved = Save-Pop3Message -All -Path $job.Folder -Delete -NewOnly
            # The default session of this runspace must be this runspace's own.
            $default = Get-Pop3Session -Current
            Disconnect-Pop3
            [pscustomobject]@{ UserName = $job.UserName; Saved = $saved.Count; OwnDefault = [object]::ReferenceEquals($default, $session); Deleted = @($saved | Where-Object Deleted).Count }
        }

        $results | Should -HaveCount 8
        foreach ($job in $jobs) {
            $result = $results | Where-Object UserName -eq $job.UserName
            $result.OwnDefault | Should -BeTrue
            $result.Saved | Should -Be $job.Hashes.Count
            $result.Deleted | Should -Be $job.Hashes.Count
            $files = Get-ChildItem $job.Folder -Filter *.eml
            ($files | ForEach-Object { Get-Sha256Hex ([System.IO.File]::ReadAllBytes($_.FullName)) } | Sort-Object) -join ',' |
                Should -Be (($job.Hashes | Sort-Object) -join ',')
            Get-TestServerListing -Mailbox $job.Mailbox | Should -HaveCount 0
        }
    }
}

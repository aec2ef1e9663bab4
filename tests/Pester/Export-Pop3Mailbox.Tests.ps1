BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # The scripted server (tests/PopShell.TestServer) plays the faults Dovecot will not: a drop mid-RETR.
    $scriptedServerDir = Join-Path $TestDrive 'scripted-server'
    $build = & dotnet build (Join-Path $PSScriptRoot '../PopShell.TestServer/PopShell.TestServer.csproj') -c Release -o $scriptedServerDir --nologo -v q 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Building the scripted server failed: $build" }
    Add-Type -Path (Join-Path $scriptedServerDir 'PopShell.TestServer.dll')

    function New-Account {
        # An account as a scheduled task would hold it: connection settings and a folder, by property name.
        param([Parameter(Mandatory)] $Mailbox, [Parameter(Mandatory)] [string] $Path, [hashtable] $Extra = @{})
        $account = [ordered]@{
            Server                = $TestServer.HostName
            Port                  = $TestServer.PlainPort
            Credential            = $Mailbox.Credential
            CertificateThumbprint = $TestServer.CertificateThumbprint
            Path                  = $Path
        }
        foreach ($key in $Extra.Keys) { $account[$key] = $Extra[$key] }
        [pscustomobject]$account
    }

    function New-FilledMailbox {
        # A Dovecot mailbox of $Count messages with dot lines and From lines; returns it with the raw RETR hashes.
        # Message $LargeAt, if given, carries $LargeBytes more of body, in long lines (quick for the raw client).
        param([int] $Count, [string] $Password, [int] $BodySize = 0, [int] $LargeAt = 0, [int] $LargeBytes = 0)
        $largeBody = if ($LargeAt) { (('y' * 990) + "`r`n") * [Math]::Ceiling($LargeBytes / 992) } else { '' }
        $mailbox = if ($Password) { New-TestMailbox -Server $TestServer -Password $Password } else { New-TestMailbox -Server $TestServer }
        $start = [DateTimeOffset]::new(2026, 3, 1, 0, 0, 0, [TimeSpan]::Zero)
        1..$Count | ForEach-Object {
            $body = "Message $_`r`nFrom a line that starts with From`r`n.a dot line`r`n" + ('x' * ($BodySize + ($_ * 53) % 900)) + "`r`n"
            if ($_ -eq $LargeAt) { $body += $largeBody }
            New-TestMessageText -From "s$_@example.org" -Subject "$($mailbox.UserName) $_" -Date $start.AddMinutes($_) -Body $body
        } | Add-TestMessage -Mailbox $mailbox
        $hashes = @(Get-RawMessage -Mailbox $mailbox -Count $Count | ForEach-Object { Get-Sha256Hex $_ })
        $mailbox | Add-Member -NotePropertyName Hashes -NotePropertyValue $hashes -PassThru
    }

    function Get-SavedHash([string] $Folder) {
        @(Get-ChildItem $Folder -Filter *.eml | ForEach-Object { Get-Sha256Hex ([System.IO.File]::ReadAllBytes($_.FullName)) })
    }

    function Invoke-Export {
        # Runs Export-Pop3Mailbox in a pipeline of its own and returns its output and every stream it wrote.
        # A token provider is given as text and made a script block there, with $Variables defined for it:
        # a script block runs in the runspace that made it, and this one is busy waiting.
        param([Parameter(Mandatory)] [object[]] $Accounts, [hashtable] $Parameters = @{}, [hashtable] $Variables = @{})
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Module, $Accounts, $Parameters, $Variables)
                    Import-Module $Module
                    foreach ($name in $Variables.Keys) { Set-Variable -Name $name -Value $Variables[$name] }
                    if ($Parameters.AccessTokenProvider -is [string]) { $Parameters.AccessTokenProvider = [scriptblock]::Create($Parameters.AccessTokenProvider) }
                    $VerbosePreference = 'Continue'
                    $ProgressPreference = 'Continue'
                    $Accounts | Export-Pop3Mailbox @Parameters
                }).AddArgument($env:POPSHELL_MODULE_PATH).AddArgument($Accounts).AddArgument($Parameters).AddArgument($Variables)
            $output = $shell.Invoke()
            [pscustomobject]@{
                Results  = @($output)
                Errors   = @($shell.Streams.Error)
                Warnings = @($shell.Streams.Warning)
                Verbose  = @($shell.Streams.Verbose)
                Progress = @($shell.Streams.Progress)
                Info     = @($shell.Streams.Information)
            }
        }
        finally {
            $shell.Dispose()
        }
    }

    function Get-StreamText($Run) {
        # Everything a run showed or stored anywhere, as text, for the secret check.
        @(
            $Run.Results | ForEach-Object { $_ | Format-List * | Out-String }
            $Run.Errors | ForEach-Object { "$_ $($_.Exception) $($_.TargetObject) $($_.ErrorDetails) $($_.Exception.InnerException)" }
            $Run.Warnings | ForEach-Object { "$_" }
            $Run.Verbose | ForEach-Object { "$_" }
            $Run.Progress | ForEach-Object { "$($_.Activity) $($_.StatusDescription) $($_.CurrentOperation)" }
            $Run.Info | ForEach-Object { "$_" }
        ) -join "`n"
    }
}

Describe 'Export-Pop3Mailbox over 20 accounts, 5 of them failing, -ThrottleLimit 4' {
    BeforeAll {
        $root = Join-Path $TestDrive 'many'
        $canary = 'Canary-Pw-'
        $good = @(1..15 | ForEach-Object { New-FilledMailbox -Count (3 + $_ % 5) -Password "$canary$_" })
        $goodAccounts = @($good | ForEach-Object { New-Account $_ (Join-Path $root $_.UserName) })

        # A wrong password, on a mailbox that holds mail.
        $victim = New-FilledMailbox -Count 3
        $wrongPassword = [pscredential]::new($victim.UserName, (ConvertTo-SecureString "$canary-wrong" -AsPlainText -Force))
        $wrongAccount = New-Account $victim (Join-Path $root 'wrong-password') @{ Credential = $wrongPassword }

        # A closed port.
        $closedAccount = New-Account $good[0] (Join-Path $root 'closed-port') @{ Port = (Get-FreeLoopbackPort) }

        # A mailbox held by another client: Dovecot keeps its lock while that session is logged in.
        $locked = New-TestMailbox -Server $TestServer -LockSession
        1..3 | ForEach-Object { New-TestMessageText -Subject "Locked $_" } | Add-TestMessage -Mailbox $locked
        $holder = Connect-TestMailbox $locked
        $inUseAccount = New-Account $locked (Join-Path $root 'in-use')

        # The scripted server: it sends the first message and half the second, then hangs up.
        $scripted = [PopShell.TestServer.ScriptedPop3Server]::FromScenario('retr-cut-off')
        $scriptedCred = [pscredential]::new('alice', (ConvertTo-SecureString "${canary}scripted" -AsPlainText -Force))
        $droppedAccount = [pscustomobject]@{ Server = '127.0.0.1'; Port = $scripted.Port; Credential = $scriptedCred; Security = 'None'
            AllowUnencryptedAuthentication = 'True'; Path = (Join-Path $root 'dropped') }

        # A destination that fills up: a 256 KB tmpfs for 12 messages of about 40 KB.
        $full = New-FilledMailbox -Count 12 -BodySize 40000
        $fullFolder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'full')
        & mount -t tmpfs -o size=256k popshell-full $fullFolder.FullName
        if ($LASTEXITCODE -ne 0) { throw "mount tmpfs on $fullFolder failed" }
        $fullAccount = New-Account $full (Join-Path $fullFolder 'export')

        $failing = @($wrongAccount, $closedAccount, $inUseAccount, $droppedAccount, $fullAccount)
        $accounts = @($goodAccounts[0..6]) + $failing[0..2] + @($goodAccounts[7..14]) + $failing[3..4]
        $first = Invoke-Export $accounts @{ ThrottleLimit = 4 }
        $second = Invoke-Export $accounts @{ ThrottleLimit = 4; Delete = $true }
    }

    AfterAll {
        # Whatever BeforeAll got to: the session, the scripted server, the tmpfs.
        if ($holder) { Disconnect-Pop3 -Session $holder -Discard }
        if ($scripted) { $scripted.Dispose() }
        if ($fullFolder) { & umount $fullFolder.FullName }
    }

    It 'emits one result per account, in any order, and the failures are exactly the five' {
        $first.Results | Should -HaveCount 20
        ($first.Results.Account | Sort-Object -Unique) | Should -HaveCount 20
        $failed = @($first.Results | Where-Object Status -EQ 'Failed')
        ($failed.Path | Sort-Object) -join ',' | Should -Be (($failing.Path | Sort-Object) -join ',')
        $first.Results | Where-Object Status -EQ 'Completed' | Should -HaveCount 15
    }

    It 'saves every good mailbox''s mail exactly once, byte for byte as raw RETR sends it' {
        foreach ($mailbox in $good) {
            $folder = Join-Path $root $mailbox.UserName
            $saved = Get-SavedHash $folder
            ($saved | Sort-Object) -join ',' | Should -Be (($mailbox.Hashes | Sort-Object) -join ',') -Because $mailbox.UserName
            $result = $first.Results | Where-Object Path -EQ $folder
            $result.Saved | Should -Be $mailbox.Hashes.Count
            $result.Kept | Should -Be $mailbox.Hashes.Count
            $result.Deleted | Should -Be 0
        }
    }

    It 'reports each failure as a non-terminating error whose target names the account' {
        $first.Errors | Should -HaveCount 5
        $byTarget = @{}
        foreach ($record in $first.Errors) { $byTarget[[string]$record.TargetObject] = $record.FullyQualifiedErrorId.Split(',')[0] }
        $byTarget["$($victim.UserName)@$($TestServer.HostName):$($TestServer.PlainPort)"] | Should -Be 'AuthenticationFailed'
        $byTarget["$($good[0].UserName)@$($TestServer.HostName):$($closedAccount.Port)"] | Should -Be 'ConnectionRefused'
        $byTarget["$($locked.UserName)@$($TestServer.HostName):$($TestServer.PlainPort)"] | Should -Be 'MailboxInUse'
        # A connection cut mid-message is a lost connection or, where the cut left a short message, a framing error.
        $byTarget["alice@127.0.0.1:$($scripted.Port)"] | Should -BeIn 'ConnectionLost', 'ProtocolViolation'
        Get-ChildItem (Join-Path $root 'dropped') -Filter *.eml | Should -BeNullOrEmpty
        $byTarget["$($full.UserName)@$($TestServer.HostName):$($TestServer.PlainPort)"] | Should -Be 'WriteFailed'
        ($first.Results | Where-Object Path -EQ $fullAccount.Path).Error | Should -Match 'No space left|disk'
    }

    It 'shows one bar for the accounts and a child bar per account, with percentages' {
        $overall = @($first.Progress | Where-Object { $_.ActivityId -eq 40 -and $_.RecordType -ne 'Completed' })
        $overall.Count | Should -BeGreaterThan 0
        ($overall | Select-Object -Last 1).PercentComplete | Should -Be 100
        $children = @($first.Progress | Where-Object ParentActivityId -EQ 40)
        ($children.Activity | Sort-Object -Unique) | Should -Contain "$($good[3].UserName)@$($TestServer.HostName):$($TestServer.PlainPort)"
        ($children | Where-Object PercentComplete -EQ 100) | Should -Not -BeNullOrEmpty
    }

    It 'a second run saves nothing, and with -Delete empties the good mailboxes only' {
        $second.Results | Should -HaveCount 20
        ($second.Results | Measure-Object Saved -Sum).Sum | Should -Be 0
        foreach ($mailbox in $good) {
            $result = $second.Results | Where-Object Path -EQ (Join-Path $root $mailbox.UserName)
            $result.Status | Should -Be 'Completed'
            $result.Skipped | Should -Be $mailbox.Hashes.Count
            $result.Deleted | Should -Be $mailbox.Hashes.Count
            Get-TestServerListing -Mailbox $mailbox | Should -BeNullOrEmpty
            (Get-SavedHash (Join-Path $root $mailbox.UserName)) | Should -HaveCount $mailbox.Hashes.Count
        }
    }

    It 'deletes nothing from a failed account' {
        ($second.Results | Where-Object Status -EQ 'Failed') | Should -HaveCount 5
        ($second.Results | Where-Object Status -EQ 'Failed' | Measure-Object Deleted -Sum).Sum | Should -Be 0
        Get-TestServerListing -Mailbox $victim | Should -HaveCount 3
        Get-TestServerListing -Mailbox $full | Should -HaveCount 12
        Disconnect-Pop3 -Session $holder -Discard
        Get-TestServerListing -Mailbox $locked | Should -HaveCount 3
        $null = $scripted.WaitForSessionsToEnd([TimeSpan]::FromSeconds(30))
        $scripted.ReceivedLines | Where-Object { $_ -like 'DELE*' -or $_ -eq 'QUIT' } | Should -BeNullOrEmpty
    }

    It 'never shows a password, in any stream' {
        foreach ($run in $first, $second) {
            Get-StreamText $run | Should -Not -Match $canary
        }
    }
}

Describe 'Export-Pop3Mailbox -DeleteAfterDays' {
    It 'deletes exactly the messages saved that many days ago or more' {
        $mailbox = New-FilledMailbox -Count 6
        $folder = Join-Path $TestDrive 'days'
        $account = New-Account $mailbox $folder
        $null = Invoke-Export @($account)
        $listing = @(Get-TestServerListing -Mailbox $mailbox)

        # Back-date the journal lines of messages 1, 3 and 5 to 40 days ago, 2 and 4 to 29 days ago.
        $journal = (Get-ChildItem $folder -Force -Filter '.popshell-saved-*.log').FullName
        $due = $listing[0, 2, 4].Uid
        $notYet = $listing[1, 3].Uid
        $lines = foreach ($line in Get-Content $journal) {
            $fields = $line.Split("`t")
            $uid = [uri]::UnescapeDataString($fields[1])
            if ($uid -in $due) { $fields[5] = [DateTime]::UtcNow.AddDays(-40).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") }
            if ($uid -in $notYet) { $fields[5] = [DateTime]::UtcNow.AddDays(-29).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") }
            $fields -join "`t"
        }
        [System.IO.File]::WriteAllText($journal, (($lines -join "`n") + "`n"))

        $run = Invoke-Export @($account) @{ DeleteAfterDays = 30 }
        $run.Errors | Should -BeNullOrEmpty
        $run.Results[0].Deleted | Should -Be 3
        $run.Results[0].Saved | Should -Be 0
        $run.Results[0].Kept | Should -Be 3
        ((Get-TestServerListing -Mailbox $mailbox).Uid | Sort-Object) -join ',' | Should -Be ((@($listing[1, 3, 5].Uid) | Sort-Object) -join ',')
        (Get-SavedHash $folder) | Should -HaveCount 6
    }

    It 'refuses -Delete together with -DeleteAfterDays before touching anything' {
        { Export-Pop3Mailbox -Server $TestServer.HostName -Path (Join-Path $TestDrive 'both') -Delete -DeleteAfterDays 3 } |
            Should -Throw -ErrorId 'ConflictingDeletionPolicy,*'
        Join-Path $TestDrive 'both' | Should -Not -Exist
    }
}

Describe 'Export-Pop3Mailbox size limit' {
    It 'skips larger messages without downloading them, reports them, and never deletes them' {
        $mailbox = New-TestMailbox -Server $TestServer
        @(
            New-TestMessageText -Subject 'small 1'
            New-TestMessageText -Subject 'large' -Body ('L' * 50000)
            New-TestMessageText -Subject 'small 2'
        ) | Add-TestMessage -Mailbox $mailbox
        $folder = Join-Path $TestDrive 'limit'
        $run = Invoke-Export @(New-Account $mailbox $folder) @{ MaxMessageSize = 10000; Delete = $true }
        $run.Results[0].TooLarge | Should -Be 1
        $run.Results[0].Saved | Should -Be 2
        $run.Results[0].Deleted | Should -Be 2
        $large = (Get-TestServerListing -Mailbox $mailbox)
        $large | Should -HaveCount 1
        $run.Warnings | Where-Object { "$_" -like "*UID $($large[0].Uid)*larger than the limit*" } | Should -HaveCount 1
        Get-SavedHash $folder | Should -HaveCount 2
    }
}

Describe 'Export-Pop3Mailbox on a destination another run holds' {
    It 'fails that account at once, naming the folder, and touches nothing' {
        $mailbox = New-FilledMailbox -Count 3
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'held')
        # What a running export holds: the lock file opened exclusively (flock on Linux).
        $held = [System.IO.File]::Open((Join-Path $folder '.popshell.lock'), 'OpenOrCreate', 'ReadWrite', 'None')
        try {
            $run = Invoke-Export @(New-Account $mailbox $folder.FullName) @{ Delete = $true }
        }
        finally {
            $held.Dispose()
        }
        $run.Results[0].Status | Should -Be 'Failed'
        $run.Errors | Should -HaveCount 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DestinationInUse,*'
        $run.Errors[0].TargetObject | Should -Be "$($mailbox.UserName)@$($TestServer.HostName):$($TestServer.PlainPort)"
        $run.Errors[0].Exception.Message | Should -BeLike "*'$($folder.FullName)'*"
        (Get-ChildItem $folder -Force).Name | Should -Be '.popshell.lock'
        Get-TestServerListing -Mailbox $mailbox | Should -HaveCount 3

        $again = Invoke-Export @(New-Account $mailbox $folder.FullName)
        $again.Results[0].Status | Should -Be 'Completed'
        $again.Results[0].Saved | Should -Be 3
    }
}

Describe 'Export-Pop3Mailbox killed and run again' {
    It 'a run killed with SIGKILL mid-way leaves complete files only, deletes nothing, and the next run completes with nothing saved twice' {
        # A 20 MB message in the middle: the kill, sent when the first file lands, comes while it is still
        # on the wire, however fast the small messages before it are saved.
        $mailbox = New-FilledMailbox -Count 600 -LargeAt 300 -LargeBytes 20MB
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'killed')
        $scriptPath = Join-Path $TestDrive 'killed.ps1'
        @"
Import-Module '$($env:POPSHELL_MODULE_PATH)'
`$cred = [pscredential]::new('$($mailbox.UserName)', (ConvertTo-SecureString '$($mailbox.Password)' -AsPlainText -Force))
[pscustomobject]@{ Server = '$($TestServer.HostName)'; Port = $($TestServer.PlainPort); Credential = `$cred; CertificateThumbprint = '$($TestServer.CertificateThumbprint)'; Path = '$folder' } |
    Export-Pop3Mailbox -Delete
"@ | Set-Content $scriptPath

        # Kill once the first message lands (an event, not a sleep).
        $watcher = [System.IO.FileSystemWatcher]::new($folder.FullName, '*.eml')
        $process = Start-ChildPwsh $scriptPath
        $change = $watcher.WaitForChanged([System.IO.WatcherChangeTypes]::All, 120000)
        $process.Kill()   # SIGKILL, at once: no fork of a kill command in between
        $process.WaitForExit()
        $watcher.Dispose()
        $change.TimedOut | Should -BeFalse

        $afterKill = @(Get-SavedHash $folder)
        $afterKill.Count | Should -BeGreaterThan 0
        $afterKill.Count | Should -BeLessThan 600 -Because 'the run was killed before its end'
        $afterKill | ForEach-Object { $_ | Should -BeIn $mailbox.Hashes }
        Get-TestServerListing -Mailbox $mailbox | Should -HaveCount 600

        # The kill released the lock: the next run is not refused, and completes the job.
        $run = Invoke-Export @(New-Account $mailbox $folder.FullName) @{ Delete = $true }
        $run.Errors | Should -BeNullOrEmpty
        $run.Results[0].Status | Should -Be 'Completed'
        $run.Results[0].Deleted | Should -Be 600
        Get-ChildItem $folder -Force -Filter '.popshell-*.tmp' | Should -BeNullOrEmpty
        $saved = Get-SavedHash $folder
        $saved | Should -HaveCount 600
        ($saved | Sort-Object) -join ',' | Should -Be (($mailbox.Hashes | Sort-Object) -join ',')
        Get-TestServerListing -Mailbox $mailbox | Should -BeNullOrEmpty
    }
}

Describe 'Export-Pop3Mailbox token providers' {
    It 'asks the provider for a token at every connection and never shows it' {
        $scenario = [PopShell.TestServer.Scenario]::Parse("INCLUDE: token-xoauth2`nC: QUIT`nS: +OK Bye`n")
        $server = [PopShell.TestServer.ScriptedPop3Server]::new($scenario)
        try {
            $calls = [System.Collections.Generic.List[string]]::new()
            $provider = 'param($UserName) $calls.Add($UserName); "Token-Canary-$($calls.Count)"'
            $accounts = 'ann@example.com', 'ben@example.com' | ForEach-Object {
                [pscustomobject]@{ Server = '127.0.0.1'; Port = $server.Port; UserName = $_; Security = 'None'; AllowUnencryptedAuthentication = $true
                    Path = (Join-Path $TestDrive "token-$_") }
            }
            $run = Invoke-Export $accounts @{ AccessTokenProvider = $provider; ThrottleLimit = 2 } @{ calls = $calls }
            $null = $server.WaitForSessionsToEnd([TimeSpan]::FromSeconds(30))
            $run.Errors | Should -BeNullOrEmpty
            $run.Results.Status | Should -Be 'Completed', 'Completed'
            ($calls | Sort-Object) -join ',' | Should -Be 'ann@example.com,ben@example.com'
            $sent = $server.ReceivedLines | Where-Object { $_ -match '^[A-Za-z0-9+/=]{20,}$' } |
                ForEach-Object { [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($_)) }
            ($sent -join ' ') | Should -Match 'Token-Canary-1'
            ($sent -join ' ') | Should -Match 'Token-Canary-2'
            Get-StreamText $run | Should -Not -Match 'Token-Canary'
        }
        finally {
            $server.Dispose()
        }
    }
}

Describe 'Export-Pop3Mailbox in a scheduled script' {
    It 'pwsh -File exits non-zero when any account failed, and zero when all completed (the README pattern)' {
        $mailbox = New-FilledMailbox -Count 2
        $csv = Join-Path $TestDrive 'accounts.csv'
        @(
            [pscustomobject]@{ Server = $TestServer.HostName; Port = $TestServer.PlainPort; UserName = $mailbox.UserName; Password = $mailbox.Password
                CertificateThumbprint = $TestServer.CertificateThumbprint; SkipCertificateCheck = 'False'; Format = ''; Path = (Join-Path $TestDrive 'csv/good') }
            [pscustomobject]@{ Server = $TestServer.HostName; Port = (Get-FreeLoopbackPort); UserName = $mailbox.UserName; Password = $mailbox.Password
                CertificateThumbprint = $TestServer.CertificateThumbprint; SkipCertificateCheck = 'False'; Format = ''; Path = (Join-Path $TestDrive 'csv/closed') }
        ) | Export-Csv $csv -NoTypeInformation
        $script = {
            param($Csv, $Log)
            Import-Module $env:POPSHELL_MODULE_PATH
            $results = Import-Csv $Csv |
                Select-Object *, @{ n = 'Credential'; e = { [pscredential]::new($_.UserName, (ConvertTo-SecureString $_.Password -AsPlainText -Force)) } } -ExcludeProperty Password |
                Export-Pop3Mailbox -ThrottleLimit 4
            $results | Export-Csv $Log -NoTypeInformation
            if ($results.Status -contains 'Failed') { exit 1 }
        }
        $scriptPath = Join-Path $TestDrive 'nightly.ps1'
        "& { $script } '$csv' '$TestDrive/log.csv'" | Set-Content $scriptPath
        (Start-ChildPwsh $scriptPath -Wait).ExitCode | Should -Be 1
        (Import-Csv "$TestDrive/log.csv" | Where-Object Status -EQ 'Completed').Saved | Should -Be 2

        (Import-Csv $csv) | Select-Object -First 1 | Export-Csv $csv -NoTypeInformation
        (Start-ChildPwsh $scriptPath -Wait).ExitCode | Should -Be 0
        (Import-Csv "$TestDrive/log.csv").Skipped | Should -Be 2
    }
}

Describe 'Export-Pop3Mailbox stopped' {
    It 'Ctrl+C (Stop) mid-run returns, leaves complete files only, deletes nothing, and releases the folder' {
        $mailbox = New-FilledMailbox -Count 600
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'stopped')
        $shell = [powershell]::Create()
        $null = $shell.AddScript({
                param($Module, $Account)
                Import-Module $Module
                $Account | Export-Pop3Mailbox -Delete
            }).AddArgument($env:POPSHELL_MODULE_PATH).AddArgument((New-Account $mailbox $folder.FullName))

        Assert-StoppedAtFirstFile $shell $folder.FullName
        $shell.Dispose()

        Get-ChildItem $folder -Force -Filter '.popshell-*.tmp' | Should -BeNullOrEmpty
        $saved = @(Get-SavedHash $folder)
        $saved.Count | Should -BeGreaterThan 0
        $saved | ForEach-Object { $_ | Should -BeIn $mailbox.Hashes }
        Get-TestServerListing -Mailbox $mailbox | Should -HaveCount 600
        $again = Invoke-Export @(New-Account $mailbox $folder.FullName)
        $again.Results[0].Status | Should -Be 'Completed'
        (Get-SavedHash $folder) | Should -HaveCount 600
    }

    It 'a row whose path cannot be used is an error for that row only' {
        $mailbox = New-FilledMailbox -Count 1
        $run = Invoke-Export @(
            New-Account $mailbox 'NoSuchDrive:\archive'
            New-Account $mailbox (Join-Path $TestDrive 'row-ok')
        )
        $run.Errors | Should -HaveCount 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidAccountPath,*'
        $run.Results | Should -HaveCount 1
        $run.Results[0].Saved | Should -Be 1
    }
}

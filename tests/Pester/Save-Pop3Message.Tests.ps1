BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Messages that trip up naive exporters: dot lines, From lines, 8-bit and malformed headers,
    # bare LF line ends, no final newline.
    $tricky = @(
        "Subject: dots`r`n`r`n.leading dot`r`n..two dots`r`n.`r`nnot the end`r`n"
        "Subject: from lines`r`n`r`nFrom the start of a line`r`n>From quoted already`r`n>>From twice`r`n"
        "Subject: Grüße 8-bit`r`nFrom: Jürgen <j@example.de>`r`n`r`nbody with 8-bit: é ü ß`r`n"
        "Subject malformed header line without colon`r`nX-Broken: =?utf-8?B?not base64?=`r`n`r`nbody`r`n"
        "Subject: bare LF`n`nline one`nline two`n"
        "Subject: no final newline`r`n`r`nlast line without newline"
        ("Subject: long`r`n`r`n" + ("0123456789" * 2000) + "`r`n")
    )

    # 2,000 messages for the format round trips, each with a From line and a dot line in its body.
    $corpus = New-TestMailbox -Server $TestServer
    $start = [DateTimeOffset]::new(2026, 2, 1, 0, 0, 0, [TimeSpan]::Zero)
    $corpusText = foreach ($i in 1..2000) {
        $body = "Hello $i`r`nFrom someone who wrote a line starting with From`r`n.a line starting with a dot`r`n" + ('z' * (($i * 37) % 3000)) + "`r`n"
        New-TestMessageText -From "s$($i % 5)@example.org" -Subject "Corpus $i" -Date $start.AddMinutes($i) -Body $body
    }
    $corpusText | Add-TestMessage -Mailbox $corpus
    $corpusRaw = @(Get-RawMessage -Mailbox $corpus -Count 2000)
    $corpusHashes = $corpusRaw | ForEach-Object { Get-Sha256Hex $_ }
    $corpusListing = Get-TestServerListing -Mailbox $corpus
}

Describe 'Save-Pop3Message byte-exactness' {
    BeforeAll {
        $mailbox = New-TestMailbox -Server $TestServer
        $tricky | Add-TestMessage -Mailbox $mailbox
        $raw = @(Get-RawMessage -Mailbox $mailbox -Count $tricky.Count)
        $session = Connect-TestMailbox $mailbox
        $results = Get-Pop3Message -Session $session | Save-Pop3Message -Path (Join-Path $TestDrive 'tricky')
    }

    AfterAll { Disconnect-Pop3 -Session $session }

    It 'saves each tricky message with exactly the bytes of the raw RETR response' {
        $results | Should -HaveCount $tricky.Count
        for ($i = 0; $i -lt $tricky.Count; $i++) {
            $file = [System.IO.File]::ReadAllBytes($results[$i].Path)
            Get-Sha256Hex $file | Should -Be (Get-Sha256Hex $raw[$i]) -Because "message $($i + 1) must be byte-exact"
            $results[$i].Sha256 | Should -Be (Get-Sha256Hex $raw[$i])
            $results[$i].Size | Should -Be $raw[$i].Length
        }
    }

    It 'reports UID, size and hash, and nothing deleted or skipped' {
        $results[0].Uid | Should -Not -BeNullOrEmpty
        $results.Deleted | Should -Not -Contain $true
        $results.Skipped | Should -Not -Contain $true
    }

    It 'leaves no temporary files' {
        Get-ChildItem (Join-Path $TestDrive 'tricky') -Force -Filter '.popshell-*.tmp' | Should -BeNullOrEmpty
    }
}

Describe 'Save-Pop3Message formats on 2,000 messages' {
    BeforeAll { $session = Connect-TestMailbox $corpus }
    AfterAll { Disconnect-Pop3 -Session $session }

    It 'Eml: every file hashes to what the server sent' {
        $folder = Join-Path $TestDrive 'eml'
        $results = Save-Pop3Message -All -Path $folder
        $results | Should -HaveCount 2000
        ($results | ForEach-Object { Get-Sha256Hex ([System.IO.File]::ReadAllBytes($_.Path)) }) -join ',' | Should -Be ($corpusHashes -join ',')
        (Get-ChildItem $folder -Filter *.eml) | Should -HaveCount 2000
    }

    It 'Eml: default names sort by date' {
        $names = (Get-ChildItem (Join-Path $TestDrive 'eml') -Filter *.eml | Sort-Object Name).Name
        $first = Get-Content (Join-Path $TestDrive "eml/$($names[0])") -TotalCount 5
        $first | Should -Contain 'Subject: Corpus 1'
    }

    It 'Mbox: an mboxrd reader gets back every message with LF line ends' {
        $mbox = Join-Path $TestDrive 'all.mbox'
        $results = Save-Pop3Message -All -Path $mbox -Format Mbox
        $results | Should -HaveCount 2000
        $results.Path | Select-Object -Unique | Should -Be $mbox
        $read = @(Read-MboxrdMessage $mbox)
        $read | Should -HaveCount 2000
        ($read | ForEach-Object { Get-Sha256Hex $_ }) -join ',' | Should -Be (($corpusRaw | ForEach-Object { Get-Sha256Hex (ConvertTo-LfBytes $_) }) -join ',')
    }

    It 'Mbox: Python''s mailbox module reads it' -Skip:(-not (Get-Command python3 -ErrorAction Ignore)) {
        $mbox = Join-Path $TestDrive 'all.mbox'
        $subjects = & python3 -c "import mailbox,sys; print('\n'.join(m['Subject'] for m in mailbox.mbox(sys.argv[1])))" $mbox
        $LASTEXITCODE | Should -Be 0
        $subjects | Should -HaveCount 2000
        $subjects[1999] | Should -Be 'Corpus 2000'
    }

    It 'Maildir: Dovecot serves back every message exactly as the original' {
        $target = New-TestMailbox -Server $TestServer
        $results = Save-Pop3Message -All -Path $target.MaildirPath -Format Maildir
        $results | Should -HaveCount 2000
        Get-ChildItem (Join-Path $target.MaildirPath 'tmp') | Should -BeNullOrEmpty
        foreach ($file in Get-ChildItem (Join-Path $target.MaildirPath 'new')) {
            [System.IO.File]::ReadAllBytes($file.FullName) -contains 13 | Should -BeFalse -Because 'Maildir files use LF line ends'
        }
        $served = @(Get-RawMessage -Mailbox $target -Count 2000)
        $served | Should -HaveCount 2000
        # Maildir order follows delivery time, so compare as sets.
        ($served | ForEach-Object { Get-Sha256Hex $_ } | Sort-Object) -join ',' | Should -Be (($corpusHashes | Sort-Object) -join ',')
    }
}

Describe 'Save-Pop3Message incremental runs' {
    BeforeAll { $session = Connect-TestMailbox $corpus }
    AfterAll { Disconnect-Pop3 -Session $session }

    It 'a second -NewOnly run saves nothing' {
        $folder = Join-Path $TestDrive 'incremental'
        $first = Save-Pop3Message -All -Path $folder -NewOnly
        $first | Where-Object Skipped | Should -BeNullOrEmpty
        $second = Save-Pop3Message -All -Path $folder -NewOnly
        $second | Should -HaveCount 2000
        $second | Where-Object { -not $_.Skipped } | Should -BeNullOrEmpty
        (Get-ChildItem $folder -Filter *.eml) | Should -HaveCount 2000
        ($second | Select-Object -First 1).Path | Should -Be ($first | Select-Object -First 1).Path
    }

    It 'remembers what was saved per folder, not per process' {
        $folder = Join-Path $TestDrive 'incremental-partial'
        $null = Save-Pop3Message -Index (1..10) -Path $folder -NewOnly
        $later = Save-Pop3Message -Index (1..20) -Path $folder -NewOnly
        ($later | Where-Object Skipped).Index | Should -Be (1..10)
        ($later | Where-Object { -not $_.Skipped }).Index | Should -Be (11..20)
    }

    It 'refuses a folder another export holds, at once and touching nothing, as Export-Pop3Mailbox does' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'held')
        # What a running Export-Pop3Mailbox (or another Save-Pop3Message) holds: the OS lock on the folder's lock file.
        $held = [System.IO.File]::Open((Join-Path $folder '.popshell.lock'), 'OpenOrCreate', 'ReadWrite', 'None')
        try {
            $err = { Save-Pop3Message -Session $session -Index (1..3) -Path $folder -NewOnly -Delete } |
                Should -Throw -ErrorId 'DestinationInUse,*' -PassThru
        }
        finally {
            $held.Dispose()
        }
        $err.CategoryInfo.Category | Should -Be 'ResourceBusy'
        $err.TargetObject | Should -Be $folder.FullName
        (Get-ChildItem $folder -Force).Name | Should -Be '.popshell.lock'
        $session.PendingDeletions | Should -Be 0

        # Released, the folder is usable again; the command holds it only while it runs.
        Save-Pop3Message -Session $session -Index (1..3) -Path $folder | Should -HaveCount 3
        Save-Pop3Message -Session $session -Index (4..5) -Path $folder | Should -HaveCount 2
    }
}

Describe 'Save-Pop3Message -NewOnly -Delete' {
    It 'deletes messages an earlier run saved, and saves again one whose saved copy is gone before deleting it' {
        $mailbox = New-TestMailbox -Server $TestServer
        1..3 | ForEach-Object { New-TestMessageText -Subject "N$_" } | Add-TestMessage -Mailbox $mailbox
        $folder = Join-Path $TestDrive 'newonly-delete'
        $session = Connect-TestMailbox $mailbox
        $first = Save-Pop3Message -All -Path $folder -NewOnly
        Disconnect-Pop3
        Remove-Item $first[1].Path

        $session = Connect-TestMailbox $mailbox
        $second = Save-Pop3Message -All -Path $folder -NewOnly -Delete
        Disconnect-Pop3

        # Each was retrieved again and checked against the journal; the one whose copy is gone was written again.
        $second.Skipped | Should -Be @($true, $false, $true)
        $second.Deleted | Should -Be @($true, $true, $true)
        (Get-FileHash $second[1].Path -Algorithm SHA256).Hash | Should -Be $first[1].Sha256
        Get-TestServerListing -Mailbox $mailbox | Should -BeNullOrEmpty
    }
}

Describe 'Save-Pop3Message -Delete' {
    It 'leaves exactly the unsaved messages on the server after Disconnect-Pop3' {
        $mailbox = New-TestMailbox -Server $TestServer
        1..30 | ForEach-Object { New-TestMessageText -Subject "D$_" } | Add-TestMessage -Mailbox $mailbox
        $before = Get-TestServerListing -Mailbox $mailbox
        $session = Connect-TestMailbox $mailbox
        $results = Get-Pop3Message -Subject 'D1*' | Save-Pop3Message -Path (Join-Path $TestDrive 'delete') -Delete
        $results | Should -HaveCount 11
        $results.Deleted | Should -Not -Contain $false
        Disconnect-Pop3
        $after = Get-TestServerListing -Mailbox $mailbox
        $savedUids = $results.Uid
        $expected = ($before | Where-Object Uid -notin $savedUids).Uid | Sort-Object
        $after | Should -HaveCount 19
        ($after.Uid | Sort-Object) -join ',' | Should -Be ($expected -join ',')
    }

    It 'deletes nothing when the session is dropped before QUIT' {
        $mailbox = New-TestMailbox -Server $TestServer
        1..5 | ForEach-Object { New-TestMessageText -Subject "K$_" } | Add-TestMessage -Mailbox $mailbox
        $folder = Join-Path $TestDrive 'no-quit'
        $scriptPath = Join-Path $TestDrive 'no-quit.ps1'
        New-ExportScript $mailbox "-All -Path '$folder' -Delete" -After '[Environment]::Exit(3)' | Set-Content $scriptPath
        $process = Start-ChildPwsh $scriptPath -Wait
        $process.ExitCode | Should -Be 3
        (Get-ChildItem $folder -Filter *.eml) | Should -HaveCount 5
        (Get-TestServerListing -Mailbox $mailbox) | Should -HaveCount 5
    }

    It 'a process killed mid-export leaves only complete files, deletes nothing, and the next run completes the export' {
        $mailbox = New-TestMailbox -Server $TestServer
        $corpusText | Add-TestMessage -Mailbox $mailbox
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'killed')
        $scriptPath = Join-Path $TestDrive 'killed.ps1'
        New-ExportScript $mailbox "-All -Path '$folder' -Delete -NewOnly" -After 'Disconnect-Pop3' | Set-Content $scriptPath

        # Wait for the first message to land (an event, not a sleep), then kill the process outright.
        $watcher = [System.IO.FileSystemWatcher]::new($folder.FullName, '*.eml')
        $process = Start-ChildPwsh $scriptPath
        $change = $watcher.WaitForChanged([System.IO.WatcherChangeTypes]::All, 120000)
        $process.Kill($true)
        $process.WaitForExit()
        $watcher.Dispose()
        $change.TimedOut | Should -BeFalse

        $afterKill = @(Get-ChildItem $folder -Filter *.eml)
        $afterKill.Count | Should -BeGreaterThan 0
        foreach ($file in $afterKill) {
            Get-Sha256Hex ([System.IO.File]::ReadAllBytes($file.FullName)) | Should -BeIn $corpusHashes -Because "$($file.Name) must be a complete message"
        }
        (Get-TestServerListing -Mailbox $mailbox) | Should -HaveCount 2000

        $session = Connect-TestMailbox $mailbox
        $null = Save-Pop3Message -All -Path $folder -Delete -NewOnly
        Disconnect-Pop3

        Get-ChildItem $folder -Force -Filter '.popshell-*.tmp' | Should -BeNullOrEmpty
        $files = @(Get-ChildItem $folder -Filter *.eml)
        $hashes = $files | ForEach-Object { Get-Sha256Hex ([System.IO.File]::ReadAllBytes($_.FullName)) }
        ($hashes | Sort-Object -Unique) -join ',' | Should -Be (($corpusHashes | Sort-Object -Unique) -join ',')
        # At most the one message whose journal line the kill cut off is saved twice; none is missing.
        $files.Count | Should -BeLessOrEqual 2001
        (Get-TestServerListing -Mailbox $mailbox) | Should -HaveCount 0
    }

    It 'Ctrl+C (Stop) mid-export returns, leaves only complete files and no temporary ones, and deletes nothing' {
        $mailbox = New-TestMailbox -Server $TestServer
        $corpusText | Add-TestMessage -Mailbox $mailbox
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'stopped')
        $cred = [pscredential]::new($mailbox.UserName, (ConvertTo-SecureString $mailbox.Password -AsPlainText -Force))

        # A pipeline of its own, as the console runs one: Stop() is what Ctrl+C does to it.
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $shell = [powershell]::Create($runspace)
        $null = $shell.AddScript({
            param($Module, $Server, $Credential, $Folder)
            Import-Module $Module
            $null = Connect-Pop3 $Server.HostName -Port $Server.PlainPort -Credential $Credential -CertificateThumbprint $Server.CertificateThumbprint
            Save-Pop3Message -All -Path $Folder -Delete
        }).AddArgument($env:POPSHELL_MODULE_PATH).AddArgument($TestServer).AddArgument($cred).AddArgument($folder.FullName)

        Assert-StoppedAtFirstFile $shell $folder.FullName
        $shell.Dispose()
        $runspace.Dispose()

        Get-ChildItem $folder -Force -Filter '.popshell-*.tmp' | Should -BeNullOrEmpty
        $files = @(Get-ChildItem $folder -Filter *.eml)
        $files.Count | Should -BeGreaterThan 0
        $files.Count | Should -BeLessThan 2000 -Because 'the export was stopped before its end'
        foreach ($file in $files) {
            Get-Sha256Hex ([System.IO.File]::ReadAllBytes($file.FullName)) | Should -BeIn $corpusHashes -Because "$($file.Name) must be a complete message"
        }
        # Messages marked for deletion before the stop stay: the session ended without QUIT.
        (Get-TestServerListing -Mailbox $mailbox) | Should -HaveCount 2000
    }
}

Describe 'Save-Pop3Message names' {
    BeforeAll {
        $mailbox = New-TestMailbox -Server $TestServer
        @(
            (New-TestMessageText -Subject '../../escape attempt')
            (New-TestMessageText -Subject 'CON')
            (New-TestMessageText -Subject 'same subject')
            (New-TestMessageText -Subject 'same subject')
            (New-TestMessageText -Subject "control`tand `u{202E}bidi")
        ) | Add-TestMessage -Mailbox $mailbox
        $session = Connect-TestMailbox $mailbox
    }

    AfterAll { Disconnect-Pop3 -Session $session }

    It 'keeps every file inside -Path under a safe name, and suffixes collisions' {
        $folder = Join-Path $TestDrive 'names'
        $results = Save-Pop3Message -All -Path $folder -FileNameTemplate '{Subject}'
        $results | Should -HaveCount 5
        foreach ($result in $results) {
            Split-Path $result.Path | Should -Be $folder
        }
        (Split-Path $results[0].Path -Leaf) | Should -Be '_.._escape attempt.eml'
        (Split-Path $results[1].Path -Leaf) | Should -Be '_CON.eml'
        (Split-Path $results[2].Path -Leaf) | Should -Be 'same subject.eml'
        (Split-Path $results[3].Path -Leaf) | Should -Be 'same subject (2).eml'
        (Split-Path $results[4].Path -Leaf) | Should -Be "control and bidi.eml"
    }

    It 'never overwrites without -Force, and overwrites with it' {
        $folder = Join-Path $TestDrive 'force'
        $null = Save-Pop3Message -Index 1 -Path $folder -FileNameTemplate 'fixed'
        $again = Save-Pop3Message -Index 2 -Path $folder -FileNameTemplate 'fixed'
        Split-Path $again.Path -Leaf | Should -Be 'fixed (2).eml'
        $forced = Save-Pop3Message -Index 2 -Path $folder -FileNameTemplate 'fixed' -Force
        Split-Path $forced.Path -Leaf | Should -Be 'fixed.eml'
        (Get-Content $forced.Path -Raw) | Should -Match 'Subject: CON'
    }

    It 'rejects an unknown placeholder before anything is saved' {
        $folder = Join-Path $TestDrive 'bad-template'
        { Save-Pop3Message -All -Path $folder -FileNameTemplate '{Sender}' } | Should -Throw -ErrorId 'InvalidFileNameTemplate,*'
        Test-Path $folder | Should -BeFalse
    }

    It '-WhatIf saves nothing' {
        $folder = Join-Path $TestDrive 'whatif'
        $results = Save-Pop3Message -All -Path $folder -WhatIf
        $results | Should -BeNullOrEmpty
        Test-Path $folder | Should -BeFalse
    }
}

Describe 'Save-Pop3Message across sessions' {
    It 'saves messages of two sessions in one pipeline' {
        $a = New-TestMailbox -Server $TestServer
        $b = New-TestMailbox -Server $TestServer
        New-TestMessageText -Subject 'from A' | Add-TestMessage -Mailbox $a
        New-TestMessageText -Subject 'from B' | Add-TestMessage -Mailbox $b
        $sessionA = Connect-TestMailbox $a
        $sessionB = Connect-TestMailbox $b
        try {
            $results = @(Get-Pop3Message -Session $sessionA; Get-Pop3Message -Session $sessionB) | Save-Pop3Message -Path (Join-Path $TestDrive 'two') -FileNameTemplate '{Subject}'
            ($results.Path | ForEach-Object { Split-Path $_ -Leaf } | Sort-Object) | Should -Be ('from A.eml', 'from B.eml')
        }
        finally {
            $sessionA, $sessionB | Disconnect-Pop3
        }
    }

    It 'refuses messages from a closed session with an error naming the UID' {
        $mailbox = New-TestMailbox -Server $TestServer
        New-TestMessageText -Subject 'stale' | Add-TestMessage -Mailbox $mailbox
        $session = Connect-TestMailbox $mailbox
        $message = Get-Pop3Message
        Disconnect-Pop3
        $results = $message | Save-Pop3Message -Path (Join-Path $TestDrive 'stale') -ErrorVariable errors -ErrorAction SilentlyContinue
        $results | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'SessionClosed,*'
        $errors[0].Exception.Message | Should -Match ([regex]::Escape($message.Uid))
    }
}

Describe 'Save-Pop3Message in the shell (issue 14)' {
    BeforeAll {
        $shellBox = New-TestMailbox -Server $TestServer
        1..6 | ForEach-Object { New-TestMessageText -From "w$_@example.org" -Subject "W$_" -Body ('y' * (1000 * $_)) } | Add-TestMessage -Mailbox $shellBox
        $shellTruth = Get-TestServerListing -Mailbox $shellBox
        $shellSession = Connect-TestMailbox $shellBox

        function Get-WhatIfLine([scriptblock] $Script) {
            $transcript = Join-Path $TestDrive "whatif-$([guid]::NewGuid().ToString('N')).txt"
            Start-Transcript -Path $transcript | Out-Null
            try { & $Script } finally { Stop-Transcript | Out-Null }
            @(Select-String -Path $transcript -Pattern '^What if:' | ForEach-Object Line)
        }
    }

    AfterAll { Disconnect-Pop3 -Session $shellSession -Discard }

    It 'takes Uid from CSV rows (point 2)' {
        $csv = Join-Path $TestDrive 'to-save.csv'
        $shellTruth[1], $shellTruth[3] | Select-Object Uid | Export-Csv $csv
        $results = Import-Csv $csv | Save-Pop3Message -Path (Join-Path $TestDrive 'from-csv')
        $results.Uid | Should -Be @($shellTruth[1].Uid, $shellTruth[3].Uid)
        $results | ForEach-Object { Test-Path $_.Path } | Should -Be @($true, $true)
        $results[0].Session | Should -Be $shellSession
    }

    It '-NewOnly -WhatIf proposes only what an earlier run did not save (point 5)' {
        $folder = Join-Path $TestDrive 'newonly-whatif'
        $null = Save-Pop3Message -Index 1, 2, 3 -Path $folder -NewOnly
        $journal = Get-ChildItem $folder -Force -Filter '.popshell-saved-*.log'
        $before = Get-FileHash $journal.FullName
        $lines = Get-WhatIfLine { Save-Pop3Message -Index (1..5) -Path $folder -NewOnly -WhatIf }
        $lines | Should -HaveCount 2
        $lines[0] | Should -Match "UID $([regex]::Escape($shellTruth[3].Uid)) \(index 4\) from 'w4@example.org', subject 'W4'"
        $lines[1] | Should -Match "subject 'W5'"
        (Get-FileHash $journal.FullName).Hash | Should -Be $before.Hash
    }

    It '-All -WhatIf names each message by sender and subject, as Remove-Pop3Message does (point 5)' {
        $lines = Get-WhatIfLine { Save-Pop3Message -All -Path (Join-Path $TestDrive 'all-whatif') -WhatIf }
        $lines | Should -HaveCount 6
        $lines[5] | Should -Match "from 'w6@example.org', subject 'W6'"
    }

    It '-All reports progress with a percentage that reaches 100 (point 6)' {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript(@"
Import-Module '$($env:POPSHELL_MODULE_PATH)'
`$cred = [pscredential]::new('$($shellBox.UserName)', (ConvertTo-SecureString '$($shellBox.Password)' -AsPlainText -Force))
`$null = Connect-Pop3 '$($TestServer.HostName)' -Port $($TestServer.PlainPort) -Credential `$cred -CertificateThumbprint '$($TestServer.CertificateThumbprint)'
`$null = Save-Pop3Message -All -Path '$(Join-Path $TestDrive 'progress')'
Disconnect-Pop3 -Discard
"@).Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
            $saving = @($shell.Streams.Progress | Where-Object { $_.ActivityId -eq 2 -and $_.RecordType -ne 'Completed' })
            $saving.Count | Should -BeGreaterThan 0
            $percentages = $saving.PercentComplete
            $percentages | Where-Object { $_ -lt 0 -or $_ -gt 100 } | Should -BeNullOrEmpty
            $percentages[0] | Should -BeLessThan 100
            $percentages[-1] | Should -Be 100
            ($percentages | Sort-Object) -join ',' | Should -Be ($percentages -join ',')
        }
        finally {
            $shell.Dispose()
        }
    }

    It 'a target it cannot write is WriteFailed, category WriteError, with the path as target (point 4)' {
        $notMbox = Join-Path $TestDrive 'not-an-mbox.txt'
        Set-Content $notMbox 'this is not an mbox'
        $err = { Save-Pop3Message -Index 1 -Path $notMbox -Format Mbox } | Should -Throw -ErrorId 'WriteFailed,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'WriteError'
        $err.TargetObject | Should -Be $notMbox
        $err.Exception | Should -BeOfType ([PopShell.Pop3Exception])
        $err.Exception.Kind | Should -Be 'WriteFailed'
    }
}

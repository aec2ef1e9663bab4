<#
.SYNOPSIS
    Benchmarks PopShell's export, header listing and filtered delete against the limit (a raw
    pipelined client), mpop and a naive MailKit loop, on a private Dovecot over loopback with TLS.

.DESCRIPTION
    Not part of the test suite. Needs root on Debian (it installs dovecot-pop3d, mpop and time
    with apt-get when missing) and a built module (dotnet pwsh ./build.ps1 Build).

    One private Dovecot is started with the test harness (tests/Support/TestSupport.psd1),
    each profile is seeded once into a mailbox of its own (headers and delete share one when their
    counts are equal: the same corpus), and every client re-reads that mailbox each round. Nothing
    is ever deleted: the delete clients mark and then discard (RSET before QUIT). Clients run
    interleaved within a round (A B C D, A B C D, ...), each as a fresh process under
    /usr/bin/time, which gives wall time, user+sys CPU time (including child processes) and peak
    RSS (of the largest single process in the tree).

    Export clients (profiles mix, small and large):
      raw       tests/Bench/RawPop3Client: SslStream, USER/PASS, LIST, all RETR pipelined,
                dot-unstuffed straight into files. No fsync. The limit.
      popshell  fresh pwsh (see -Pwsh): Import-Module, Connect-Pop3 -Security Tls, Save-Pop3Message
                -All -Path <new dir>, Disconnect-Pop3. Start-up counts.
      mpop      mpop, keep on, fresh uidls_file and maildir each round (fetches everything).
      mailkit   fresh pwsh: Add-Type MailKit from the module's dependencies, then
                GetMessage(i).WriteTo(file) for each message. Not run for 'large' (it parses each
                100 MB message into memory: slow, memory-hungry, and says nothing new).
      popshell-connect  the popshell process without the export (import, connect, disconnect):
                how much of popshell's time is start-up.
      pwsh-bare 'pwsh -NoProfile -Command Import-Module <module>' (profile large only): the
                baseline for the memory target, "peak RSS above a bare pwsh process".
    Header listing (profile headers): popshell 'Get-Pop3Message | Measure-Object' in a fresh
    pwsh vs. the raw client sending 'TOP n 0' for every message, pipelined.
    Filtered delete (profile delete): popshell 'Get-Pop3Message -Before <cutoff> |
    Remove-Pop3Message -Confirm:$false', then 'Disconnect-Pop3 -Discard', vs. the raw client with
    --delete-before <cutoff> (TOP n 0 for all, pipelined; parses Date; DELE for the matching ones,
    pipelined; every reply must be +OK; RSET; QUIT). Both discard, so Dovecot's expunge is not
    measured and the mailbox need not be re-seeded between rounds; both must mark the same count.

    Verification (never inside the timed region): after every export round the SHA-256 of each file
    popshell wrote is compared with those the raw client wrote in the same round, as multisets
    (file names differ); in every delete round both clients must mark the expected count. Any
    difference is reported with its profile and round and fails the run (an exception, so a
    non-zero exit) after all tables and the targets are printed. mpop and the MailKit loop store LF
    line ends, so they are only counted, not hashed.

    Many mailboxes (profile many): -ManyAccountCount mailboxes (default 50) of -ManyMessageCount
    mixed messages each (default 200), over TLS, side by side:
      popshell-many  fresh pwsh: one Export-Pop3Mailbox -ThrottleLimit 4 over every account
                (Clients/PopShellMany.ps1).
      mpop-many mpop -a: one mpoprc with every account (mpop fetches them one after another).
      popshell-loop  fresh pwsh: Connect-Pop3, Save-Pop3Message -All -NewOnly, Disconnect-Pop3 per
                account, one after another, as a script without Export-Pop3Mailbox does it.
    popshell-many's files are compared by hash with popshell-loop's (both byte-exact).

    Profiles: mix     -MessageCount messages (default 2,000, as in the issue's targets) from 2 KB to
                      5 MB, mostly small, a few large (about 90 KB on average, ~180 MB per 2,000);
                      one is 5 MB.
              small   -SmallMessageCount messages (default 5,000) of 2-5 KB.
              large   two messages of -LargeMessageMB (default 100) MB each among four of 2-5 KB.
              headers -HeaderMessageCount messages (default 10,000) of 2-5 KB, listing only.
              delete  -DeleteMessageCount messages (default 10,000) of 2-5 KB; the cutoff matches
                      the first 60% of them (their Date headers are one minute apart).
              many    see above.
              all     mix, small, large, headers, delete and many.

    At the end a block states each of the issue's targets with the measured ratio and PASS/MISS
    (a MISS does not fail the run; a verification difference does).

.EXAMPLE
    dotnet pwsh ./tests/Bench/Invoke-Benchmark.ps1 -Profile mix -Rounds 3
.EXAMPLE
    dotnet pwsh ./tests/Bench/Invoke-Benchmark.ps1 -Profile all -ModulePath ./out/PopShell
#>
[CmdletBinding()]
param(
    [ValidateSet('mix', 'small', 'large', 'headers', 'delete', 'many', 'all')]
    [string] $Profile = 'mix',

    # Messages in the 'mix' profile. The issue's export targets are stated for 2,000.
    [ValidateRange(1, 1000000)] [int] $MessageCount = 2000,
    [ValidateRange(1, 1000000)] [int] $SmallMessageCount = 5000,
    [ValidateRange(1, 1000000)] [int] $HeaderMessageCount = 10000,
    [ValidateRange(10, 1000000)] [int] $DeleteMessageCount = 10000,
    # Mailboxes, and mixed messages in each, of the 'many' profile (the issue's target: 50 x 200).
    [ValidateRange(1, 10000)] [int] $ManyAccountCount = 50,
    [ValidateRange(1, 100000)] [int] $ManyMessageCount = 200,
    # Size of each of the two large messages in the 'large' profile.
    [ValidateRange(1, 1024)] [int] $LargeMessageMB = 100,

    # 3 keeps '-Profile all' well under 15 minutes on 2 cores; more rounds for tighter medians.
    [ValidateRange(1, 100)] [int] $Rounds = 3,

    # Which pwsh the PowerShell clients start. ReadyToRun: $PSHOME when it is ReadyToRun (an
    # installed pwsh), else a ReadyToRun copy of it compiled once with crossgen2, as PowerShell's
    # packages ship; Tool: $PSHOME as it is (the IL-only 'dotnet pwsh' tool JIT-compiles PowerShell
    # itself at every start, about 0.5 s more per process here).
    [ValidateSet('ReadyToRun', 'Tool')] [string] $Pwsh = 'ReadyToRun',

    # The built module folder (holds PopShell.psd1 and dependencies/).
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/PopShell'),

    # Which export clients to run (default: all; 'large' never runs mailkit and always adds pwsh-bare).
    # 'popshell-noprogress' (not run by default) is popshell with $ProgressPreference = 'SilentlyContinue'.
    [ValidateSet('raw', 'popshell', 'mpop', 'mailkit', 'popshell-connect', 'popshell-noprogress')]
    [string[]] $Client = @('raw', 'popshell', 'mpop', 'mailkit', 'popshell-connect'),

    # Per client run; a run that takes longer is killed and reported as failed.
    [int] $TimeoutSeconds = 1800,

    # Where the export clients write: the disk (the temp folder) and/or a tmpfs (/dev/shm). On a slow
    # disk, creating a file costs every client about 1 ms of kernel time, which hides what the
    # client itself costs; on the tmpfs that cost is gone. Each destination gets a table of its own.
    [ValidateSet('Disk', 'Tmpfs')] [string[]] $Destination = @('Disk', 'Tmpfs'),

    # Skip the extra, untimed-for-the-table 'Save-Pop3Message -Verbose' run per export profile.
    [switch] $NoVerboseRun,

    # Also write every measurement to the pipeline (the table is always printed).
    [switch] $PassThru
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
$ModulePath = [System.IO.Path]::GetFullPath($ModulePath)
$RawProjectDir = Join-Path $PSScriptRoot 'RawPop3Client'
$RawDll = Join-Path $RawProjectDir 'bin/Release/net10.0/RawPop3Client.dll'
$ClientsDir = Join-Path $PSScriptRoot 'Clients'

# PowerShell for the clients (see Resolve-PwshCommand): set once the setup has run.
$PwshCommand = $null

# What verification found wrong: Kind (hash or count) and Text ("profile, round N: what"). The run
# fails at the end if there is any.
$script:Failures = [System.Collections.Generic.List[object]]::new()
# How many export rounds had their popshell and raw files compared by hash.
$script:HashComparisons = 0
# Per profile: the summary rows of its table (for the targets block).
$script:Tables = @{}
# Largest message of the 'large' profile, in bytes (the memory target's denominator).
$script:LargestMessage = 0L

#region Setup

function Install-BenchTool {
    # mpop and GNU time from Debian, when missing.
    $missing = @(foreach ($pair in @(@('/usr/bin/mpop', 'mpop'), @('/usr/bin/time', 'time'))) {
            if (-not (Test-Path $pair[0])) { $pair[1] } })
    if (-not $missing) { return }
    if (-not (Test-Path /etc/debian_version) -or -not [Environment]::IsPrivilegedProcess) {
        throw "Missing: $($missing -join ', '). Install them (Debian: apt-get install $($missing -join ' '))."
    }
    Write-Host "apt-get install $($missing -join ' ')"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get update -qq | Out-Null
    & apt-get install -y -qq --no-install-recommends @missing | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "apt-get install $($missing -join ' ') failed." }
}

# The command that starts a client's pwsh, the way an installed pwsh starts: its own apphost when
# there is one, else the same pwsh.dll through the dotnet host. Not 'dotnet pwsh', the repo's local
# tool: resolving the tool manifest costs each process about 0.2 s that no installed pwsh pays.
# With -Pwsh ReadyToRun (the default) the folder is a ReadyToRun copy of $PSHOME, as PowerShell's
# packages ship it (New-ReadyToRunPwsh.ps1 says why); with -Pwsh Tool it is $PSHOME as it is.
function Resolve-PwshCommand {
    $folder = if ($Pwsh -eq 'ReadyToRun') { New-ReadyToRunPwsh -CacheRoot (Join-Path $RepoRoot 'out/bench') } else { $PSHOME }
    $apphost = Join-Path $folder 'pwsh'
    $command = @(
        if ((Test-Path $apphost -PathType Leaf) -and (& $apphost -NoProfile -NonInteractive -Command '$true' 2>$null) -eq 'True') { $apphost }
        else { 'dotnet'; Join-Path $folder 'pwsh.dll' })
    $kind = if (Test-ReadyToRunImage (Join-Path $folder 'System.Management.Automation.dll')) { 'ReadyToRun' } else { 'IL only, JIT-compiled at start' }
    Write-Host "PowerShell $($PSVersionTable.PSVersion) on .NET $([Environment]::Version) for the clients: $($command -join ' ') ($kind)"
    , $command
}

function Build-RawClient {
    Write-Host 'Building the raw client (Release)'
    $output = & dotnet build $RawProjectDir -c Release -nologo -v q 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Building $RawProjectDir failed:`n$($output -join "`n")" }
}

#endregion

#region Corpus

# The corpus clock: message i is dated $CorpusStart + i minutes, so a cutoff selects a known count.
$CorpusStart = [DateTimeOffset]::new(2024, 1, 1, 8, 0, 0, [TimeSpan]::FromHours(1))

# A block of base64 text (76-character CRLF lines) to cut message bodies from. Lines that
# started with 'A' start with '.A' instead, so dot-stuffing is exercised (~1 line in 64).
function New-BodyBlock([int] $Bytes, [int] $Seed) {
    $random = [System.Random]::new($Seed)
    $data = [byte[]]::new([int]($Bytes * 3 / 4))
    $random.NextBytes($data)
    [Convert]::ToBase64String($data, [Base64FormattingOptions]::InsertLineBreaks).Replace("`r`nA", "`r`n.A") + "`r`n"
}

# About $Size bytes of whole lines from the block.
function Get-BodySlice([string] $Block, [int] $Size, [System.Random] $Random) {
    $Size = [Math]::Min($Size, $Block.Length - 100)
    $start = $Block.IndexOf("`n", $Random.Next(0, $Block.Length - $Size)) + 1
    $end = $Block.LastIndexOf("`n", [Math]::Min($Block.Length - 1, $start + $Size))
    if ($end -le $start) { return 'x' }
    $Block.Substring($start, $end - $start + 1)
}

# A whole message of about $Size bytes, as bytes: the header from New-TestMessageText, then slices
# of the block laid end to end, each from a random line start in the block's first half to the
# block's end (the last one cut at a line end). Lines stay whole, CRLF and at most 77 characters
# (the '.A' ones), and no 100 MB string is ever built, converted or scanned by a regex.
function New-LargeMessage([string] $Header, [byte[]] $Block, [long] $Size, [System.Random] $Random) {
    $headerBytes = [System.Text.Encoding]::UTF8.GetBytes($Header)
    $stream = [System.IO.MemoryStream]::new([int]($Size + 1KB))
    $stream.Write($headerBytes, 0, $headerBytes.Length)
    while ($Size - $stream.Length -gt 100) {
        $start = [Array]::IndexOf($Block, [byte]10, $Random.Next(0, [int]($Block.Length / 2))) + 1
        $length = [Math]::Min($Block.Length - $start, $Size - $stream.Length)
        $length = [Array]::LastIndexOf($Block, [byte]10, [int]($start + $length - 1)) + 1 - $start
        if ($length -le 0) { break }
        $stream.Write($Block, $start, $length)
    }
    , $stream.ToArray()
}

# Seeds $Count messages of one kind into each mailbox of $Mailbox (the same messages: they are made
# once); returns their count, total and largest size in bytes (of one mailbox).
function Add-BenchCorpus([object[]] $Mailbox, [ValidateSet('mix', 'small', 'large')] [string] $Kind, [int] $Count) {
    $random = [System.Random]::new(20240607)
    $block = New-BodyBlock -Bytes (6MB) -Seed 7
    $blockBytes = $null
    $total = 0L
    $largest = 0L
    for ($i = 1; $i -le $Count; $i++) {
        $sender = $i % 37
        $header = @{
            From    = "Sender $sender <sender$sender@bench.test>"
            Subject = "Bench $Kind message $i"
            Date    = $CorpusStart.AddMinutes($i)
        }
        # 'large': the 2nd and 5th message (of 6) are ~$LargeMessageMB MB each, the rest small.
        if ($Kind -eq 'large' -and $i -in 2, 5) {
            if (-not $blockBytes) { $blockBytes = [System.Text.Encoding]::ASCII.GetBytes($block) }
            $raw = New-LargeMessage -Header (New-TestMessageText @header -Body '') -Block $blockBytes -Size ($LargeMessageMB * 1MB) -Random $random
        }
        else {
            if ($Kind -eq 'mix') {
                $r = $random.NextDouble()
                $size = if ($i -eq [Math]::Max(1, [int]($Count / 2))) { 5MB }
                elseif ($r -lt 0.02) { $random.Next(1MB, 5MB) }
                elseif ($r -lt 0.15) { $random.Next(20KB, 300KB) }
                else { $random.Next(2KB, 20KB) }
            }
            else { $size = $random.Next(2KB, 5KB) }
            $raw = New-TestMessageText @header -Body (Get-BodySlice -Block $block -Size ([Math]::Max(100, $size - 350)) -Random $random)
        }
        # LIST sizes are octets: the text is ASCII, so characters are bytes.
        $length = [long]$raw.Length
        $total += $length
        $largest = [Math]::Max($largest, $length)
        foreach ($box in $Mailbox) { Add-TestMessage -Mailbox $box -Raw $raw }
    }
    [pscustomobject]@{ Count = $Count; Bytes = $total; Largest = $largest }
}

#endregion

#region Running clients

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { return [double]::NaN }
    if ($n % 2) { return [double]$sorted[($n - 1) / 2] }
    ([double]$sorted[$n / 2 - 1] + [double]$sorted[$n / 2]) / 2
}

# The message files a client wrote: everything but PopShell's journal and temporary files.
function Get-MessageFile([string] $Path) {
    if (-not (Test-Path $Path)) { return @() }
    @(Get-ChildItem -LiteralPath $Path -File -Recurse -Force | Where-Object { -not $_.Name.StartsWith('.popshell') })
}

function Get-FolderStat([string] $Path) {
    $files = @(Get-MessageFile $Path)
    $bytes = 0L
    foreach ($file in $files) { $bytes += $file.Length }
    [pscustomobject]@{ Files = $files.Count; Bytes = $bytes }
}

# SHA-256 (hex) of every message file under $Path, sorted: a multiset that ignores file names,
# which differ between clients (n.eml vs. PopShell's naming template).
function Get-FolderHash([string] $Path) {
    $hashes = foreach ($file in Get-MessageFile $Path) {
        $stream = [System.IO.File]::OpenRead($file.FullName)
        try { [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($stream)) }
        finally { $stream.Dispose() }
    }
    [string[]]@($hashes | Sort-Object -CaseSensitive)
}

# Runs one command under /usr/bin/time (inside 'timeout'); returns wall, CPU, RSS and output.
function Invoke-Timed([string] $Name, [string[]] $Command) {
    $timeFile = Join-Path $script:WorkDir "time-$([guid]::NewGuid().ToString('N')).txt"
    $output = & /usr/bin/time -f '%e %U %S %M' -o $timeFile timeout --kill-after=10 $TimeoutSeconds @Command 2>&1
    $exitCode = $LASTEXITCODE
    $fields = if (Test-Path $timeFile) { @((Get-Content $timeFile | Select-Object -Last 1) -split ' ') } else { @() }
    Remove-Item $timeFile -ErrorAction Ignore
    if ($fields.Count -lt 4) { $fields = @('NaN', 'NaN', 'NaN', '0') }
    [pscustomobject]@{
        Client   = $Name
        ExitCode = $exitCode
        Wall     = [double]$fields[0]
        Cpu      = [double]$fields[1] + [double]$fields[2]
        RssMB    = [double]$fields[3] / 1024
        # Without colour escapes, whatever the child's PowerShell thought of the terminal.
        Output   = (($output | ForEach-Object { "$_" }) -join "`n") -replace '\e\[[0-9;]*m', ''
    }
}

# One account 'bench' delivering to $Folder/maildir, or with several mailboxes one account per
# mailbox (named after its user) delivering to $Folder/maildir/<user>, for 'mpop -a'.
function New-MpopConfig([string] $Folder, [object[]] $Mailbox) {
    $fingerprint = ($script:Server.CertificateThumbprint -split '(..)' | Where-Object { $_ }) -join ':'
    $config = @"
defaults
tls on
tls_starttls off
tls_fingerprint $fingerprint
auth user
keep on
only_new on
received_header off
pipelining auto

host 127.0.0.1
port $($script:Server.TlsPort)
"@
    foreach ($box in $Mailbox) {
        $name = if ($Mailbox.Count -eq 1) { 'bench' } else { $box.UserName }
        $maildir = if ($Mailbox.Count -eq 1) { "$Folder/maildir" } else { "$Folder/maildir/$name" }
        foreach ($sub in 'cur', 'new', 'tmp') { $null = New-Item -ItemType Directory -Path "$maildir/$sub" -Force }
        $config += "`n`naccount $name`nuser $($box.UserName)`npassword $($box.Password)`nuidls_file $Folder/uidls-$name`ndelivery maildir $maildir`n"
    }
    $path = "$Folder/mpoprc"
    [System.IO.File]::WriteAllText($path, $config)
    [System.IO.File]::SetUnixFileMode($path, [System.IO.UnixFileMode]'UserRead, UserWrite')
    $path
}

# Clients whose files are byte-exact copies of the messages (CRLF, unstuffed), so their hashes are
# compared with raw's; mpop and MailKit store LF line ends and are only counted.
$HashedClients = @('raw', 'popshell', 'popshell-noprogress', 'popshell-many', 'popshell-loop')
# Clients that write nothing and report a count instead ('raw: N messages', 'listed N', 'marked N').
$CountingClients = @('raw-top', 'popshell-list', 'raw-delete', 'popshell-delete')

# Runs one client once against a mailbox; returns the timing plus what landed on disk (and, for
# the hashed clients, the sorted SHA-256 of each file, computed after the clock stopped).
function Invoke-BenchClient([string] $Name, [object[]] $Mailbox, [int] $Round, [string] $DeleteBefore, [switch] $ShowVerbose) {
    $folder = Join-Path $script:OutputRoot "$Name-$Round-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
    $null = New-Item -ItemType Directory -Path $folder
    $outDir = Join-Path $folder 'out'
    $env:BENCH_USER = $Mailbox[0].UserName
    $env:BENCH_PASS = $Mailbox[0].Password
    $port = [string]$script:Server.TlsPort
    $thumb = $script:Server.CertificateThumbprint
    $pwsh = $PwshCommand + @('-NoProfile', '-NonInteractive', '-File')
    $popshell = $pwsh + @("$ClientsDir/PopShell.ps1", '-ModulePath', $ModulePath, '-Port', $port, '-Thumbprint', $thumb)
    $raw = @('dotnet', $RawDll, '--port', $port, '--user', $Mailbox[0].UserName, '--thumb', $thumb)
    # The many-mailbox clients read the accounts (user names and passwords) from a CSV file.
    $accounts = Join-Path $folder 'accounts.csv'
    if ($Mailbox.Count -gt 1) { $Mailbox | Select-Object UserName, Password | Export-Csv $accounts -NoTypeInformation }
    $many = $pwsh + @("$ClientsDir/PopShellMany.ps1", '-ModulePath', $ModulePath, '-Port', $port, '-Thumbprint', $thumb, '-AccountsPath', $accounts, '-OutDir', $outDir)
    $command = switch ($Name) {
        'raw' { $raw + @('--out', $outDir) }
        'raw-top' { $raw + @('--top') }
        'raw-delete' { $raw + @('--delete-before', $DeleteBefore) }
        'popshell' { $popshell + @('-OutDir', $outDir) + $(if ($ShowVerbose) { @('-ShowVerbose') } else { @() }) }
        'popshell-noprogress' { $popshell + @('-OutDir', $outDir, '-NoProgress') }
        'popshell-list' { $popshell + @('-List') }
        'popshell-delete' { $popshell + @('-DeleteBefore', $DeleteBefore) }
        'popshell-connect' { $popshell + @('-ConnectOnly') }
        # The memory baseline: pwsh with the module loaded, nothing else.
        'pwsh-bare' { $PwshCommand + @('-NoProfile', '-NonInteractive', '-Command', "Import-Module '$ModulePath/PopShell.psd1'") }
        'mailkit' { $pwsh + @("$ClientsDir/MailKitLoop.ps1", '-DependencyPath', (Join-Path $ModulePath 'dependencies'), '-Port', $port, '-Thumbprint', $thumb, '-OutDir', $outDir) }
        'mpop' { $outDir = "$folder/maildir"; @('mpop', '--quiet', '-C', (New-MpopConfig -Folder $folder -Mailbox $Mailbox), 'bench') }
        'mpop-many' { $outDir = "$folder/maildir"; @('mpop', '--quiet', '-C', (New-MpopConfig -Folder $folder -Mailbox $Mailbox), '-a') }
        'popshell-many' { $many }
        'popshell-loop' { $many + @('-Sequential') }
        default { throw "Unknown client $Name" }
    }
    try {
        $result = Invoke-Timed -Name $Name -Command $command
        # Everything below is after the clock: counting and hashing are not measured.
        $stat = Get-FolderStat $outDir
        if ($Name -in $CountingClients) {
            # Nothing is on disk: count what the client says it listed or marked (-1: it did not say).
            $count = if ($result.Output -match '(?:raw: |listed |marked )(\d+)') { [int]$Matches[1] } else { -1 }
            $stat = [pscustomobject]@{ Files = $count; Bytes = 0L }
        }
        $hashes = if ($Name -in $HashedClients) { Get-FolderHash $outDir } else { $null }
        $result | Add-Member -NotePropertyMembers @{ Round = $Round; Files = $stat.Files; Bytes = $stat.Bytes; Hashes = $hashes }
        if ($result.ExitCode -ne 0) {
            Write-Warning "$Name (round $Round) exited with $($result.ExitCode):`n$($result.Output)"
        }
        $result
    }
    finally {
        Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore
        Remove-Item Env:BENCH_PASS, Env:BENCH_USER -ErrorAction Ignore
    }
}

function Show-Summary([string] $Title, [object[]] $Results, [string[]] $Order, [int] $ExpectedFiles) {
    $summary = foreach ($name in $Order) {
        $runs = @($Results | Where-Object { $_.Client -eq $name -and $_.ExitCode -eq 0 })
        $failed = @($Results | Where-Object { $_.Client -eq $name -and $_.ExitCode -ne 0 }).Count
        if (-not $runs) { [pscustomobject]@{ Client = $name; Runs = 0; Failed = $failed }; continue }
        $walls = [double[]]@($runs.Wall)
        $rss = [double[]]@($runs.RssMB)
        [pscustomobject]@{
            Client   = $name
            Runs     = $runs.Count
            Failed   = $failed
            Wall     = Get-Median $walls
            Min      = ($walls | Measure-Object -Minimum).Minimum
            Max      = ($walls | Measure-Object -Maximum).Maximum
            Cpu      = Get-Median ([double[]]@($runs.Cpu))
            RssMB    = Get-Median $rss
            MaxRssMB = ($rss | Measure-Object -Maximum).Maximum
            Files    = ($runs.Files | Sort-Object -Unique) -join '/'
            MB       = (($runs.Bytes | Sort-Object -Unique) | ForEach-Object { '{0:0.0}' -f ($_ / 1MB) }) -join '/'
        }
    }
    $raw = $summary | Where-Object { $_.Client -like 'raw*' -and $_.PSObject.Properties['Wall'] } | Select-Object -First 1
    $mpop = $summary | Where-Object { $_.Client -eq 'mpop' -and $_.PSObject.Properties['Wall'] } | Select-Object -First 1
    Write-Host ''
    Write-Host "== $Title ==" -ForegroundColor Cyan
    $summary | Format-Table -AutoSize @(
        @{ Label = 'Client'; Expression = { $_.Client } }
        @{ Label = 'Runs'; Expression = { if ($_.Failed) { "$($_.Runs) ($($_.Failed) failed)" } else { $_.Runs } }; Align = 'Right' }
        @{ Label = 'Wall s (median)'; Expression = { if ($_.PSObject.Properties['Wall']) { '{0:0.00}' -f $_.Wall } }; Align = 'Right' }
        @{ Label = 'min-max'; Expression = { if ($_.PSObject.Properties['Wall']) { '{0:0.00}-{1:0.00}' -f $_.Min, $_.Max } }; Align = 'Right' }
        @{ Label = 'CPU s'; Expression = { if ($_.PSObject.Properties['Cpu']) { '{0:0.00}' -f $_.Cpu } }; Align = 'Right' }
        @{ Label = 'Peak RSS MB'; Expression = { if ($_.PSObject.Properties['RssMB']) { '{0:0}' -f $_.RssMB } }; Align = 'Right' }
        @{ Label = 'x raw'; Expression = { if ($raw -and $_.PSObject.Properties['Wall']) { '{0:0.00}' -f ($_.Wall / $raw.Wall) } }; Align = 'Right' }
        @{ Label = 'x mpop'; Expression = { if ($mpop -and $_.PSObject.Properties['Wall']) { '{0:0.00}' -f ($_.Wall / $mpop.Wall) } }; Align = 'Right' }
        @{ Label = 'Msgs'; Expression = { if ($_.PSObject.Properties['Files']) { $_.Files } }; Align = 'Right' }
        @{ Label = 'MB on disk'; Expression = { if ($_.PSObject.Properties['MB']) { $_.MB } }; Align = 'Right' }
    ) | Out-String -Width 200 | Write-Host
    if ($ExpectedFiles) {
        foreach ($row in $summary) {
            if ($row.PSObject.Properties['Files'] -and $row.Files -ne '0' -and $row.Files -ne "$ExpectedFiles") {
                Write-Warning "$($row.Client) wrote $($row.Files) files, expected $ExpectedFiles."
            }
        }
    }
    $summary
}

# Checks one round's results: popshell's files against raw's by hash (export), or both delete
# clients' marked counts against the expected count. Records what differs in $script:Failures.
function Test-Round([string] $ProfileName, [int] $Round, [object[]] $Results, [int] $ExpectedMarked) {
    $byName = @{}
    foreach ($result in $Results) { $byName[$result.Client] = $result }
    if ($byName.ContainsKey('raw-delete') -or $byName.ContainsKey('popshell-delete')) {
        # -1: the client did not say how many it marked (it failed).
        $marked = @(foreach ($name in 'raw-delete', 'popshell-delete') { if ($byName.ContainsKey($name)) { $byName[$name].Files } else { -1 } })
        if ($marked[0] -ne $marked[1]) {
            $script:Failures.Add([pscustomobject]@{ Kind = 'count'; Text = "$ProfileName, round $Round`: raw-delete marked $($marked[0]) messages, popshell-delete $($marked[1])." })
        }
        elseif ($marked[0] -ne $ExpectedMarked) {
            $script:Failures.Add([pscustomobject]@{ Kind = 'count'; Text = "$ProfileName, round $Round`: both delete clients marked $($marked[0]) messages, expected $ExpectedMarked." })
        }
        return
    }
    # Export profiles compare with raw; 'many' compares Export-Pop3Mailbox with the sequential loop.
    $referenceName = if ($byName.ContainsKey('raw')) { 'raw' } elseif ($byName.ContainsKey('popshell-loop')) { 'popshell-loop' } else { return }
    $reference = $byName[$referenceName]
    foreach ($name in 'popshell', 'popshell-noprogress', 'popshell-many') {
        if (-not $byName.ContainsKey($name)) { continue }
        $script:HashComparisons++
        $mine = $byName[$name].Hashes
        if ($reference.ExitCode -ne 0 -or $byName[$name].ExitCode -ne 0) {
            $script:Failures.Add([pscustomobject]@{ Kind = 'hash'; Text = "$ProfileName, round $Round`: cannot compare $name with $referenceName, a client failed (exit codes: $referenceName $($reference.ExitCode), $name $($byName[$name].ExitCode))." })
        }
        elseif (($mine -join ',') -cne ($reference.Hashes -join ',')) {
            # Multiset difference: +1 for each of raw's hashes, -1 for each of popshell's.
            $balance = @{}
            foreach ($hash in $reference.Hashes) { $balance[$hash] = 1 + $(if ($balance.ContainsKey($hash)) { $balance[$hash] } else { 0 }) }
            foreach ($hash in $mine) { $balance[$hash] = -1 + $(if ($balance.ContainsKey($hash)) { $balance[$hash] } else { 0 }) }
            $onlyRaw = 0
            $onlyMine = 0
            foreach ($value in $balance.Values) { if ($value -gt 0) { $onlyRaw += $value } else { $onlyMine -= $value } }
            $script:Failures.Add([pscustomobject]@{ Kind = 'hash'; Text = "$ProfileName, round $Round`: $name's $($mine.Count) files differ from $referenceName's $($reference.Hashes.Count) (SHA-256): $onlyRaw only in $referenceName's, $onlyMine only in $name's." })
        }
    }
}

function Invoke-Rounds([string] $ProfileName, [string] $Title, $Mailbox, [string[]] $Clients, [int] $ExpectedFiles, [string] $DeleteBefore) {
    # Warm-up (not measured): Dovecot indexes the mailbox and caches sizes at the first session.
    $warmClient = @(@($Clients | Where-Object { $_ -like 'raw*' }) + $Clients)[0]
    $warm = Invoke-BenchClient -Name $warmClient -Mailbox $Mailbox -Round 0 -DeleteBefore $DeleteBefore
    Write-Host "warm-up: $($warm.Output) ($('{0:0.00}' -f $warm.Wall) s)"
    $results = [System.Collections.Generic.List[object]]::new()
    for ($round = 1; $round -le $Rounds; $round++) {
        $roundResults = foreach ($name in $Clients) {
            $result = Invoke-BenchClient -Name $name -Mailbox $Mailbox -Round $round -DeleteBefore $DeleteBefore
            $results.Add($result)
            Write-Host ('  round {0} {1,-16} {2,7:0.00} s wall {3,7:0.00} s CPU {4,6:0} MB RSS  {5} {6}' -f $round, $name, $result.Wall, $result.Cpu, $result.RssMB, $result.Files,
                $(if ($name -like '*-delete') { 'marked' } elseif ($name -in $CountingClients) { 'listed' } else { 'files' }))
            $result
        }
        Test-Round -ProfileName $ProfileName -Round $round -Results $roundResults -ExpectedMarked $ExpectedFiles
    }
    $script:Tables[$ProfileName] = @(Show-Summary -Title $Title -Results $results -Order $Clients -ExpectedFiles $ExpectedFiles)
    if ($PassThru) {
        $results | ForEach-Object { $_ | Add-Member -NotePropertyName Profile -NotePropertyValue $ProfileName -PassThru }
    }
}

#endregion

#region Targets

# The summary row of one client in one profile's table, or $null if it did not run or always failed.
function Get-TableRow([string] $ProfileName, [string] $ClientName) {
    if (-not $script:Tables.ContainsKey($ProfileName)) { return $null }
    $script:Tables[$ProfileName] | Where-Object { $_.Client -eq $ClientName -and $_.PSObject.Properties['Wall'] } | Select-Object -First 1
}

# The memory target: PopShell's worst peak RSS over the rounds of 'large', minus the median peak RSS
# of pwsh-bare (pwsh with the module imported, nothing else), per byte of the largest message.
function Get-MemoryTarget {
    $large = if ($script:Tables.ContainsKey('large')) { 'large' } else { 'large-tmpfs' }
    $popshell = Get-TableRow $large 'popshell'
    $bare = Get-TableRow $large 'pwsh-bare'
    if (-not $popshell -or -not $bare -or -not $script:LargestMessage) { return $null }
    $aboveMB = $popshell.MaxRssMB - $bare.RssMB
    [pscustomobject]@{
        PopShellMB = $popshell.MaxRssMB
        BareMB     = $bare.RssMB
        AboveMB    = $aboveMB
        MessageMB  = $script:LargestMessage / 1MB
        Ratio      = $aboveMB / ($script:LargestMessage / 1MB)
    }
}

function Show-MemoryTarget {
    $memory = Get-MemoryTarget
    if (-not $memory) { Write-Host 'Memory: popshell or pwsh-bare has no successful run; nothing to compare.'; return }
    Write-Host ('Memory: popshell peak RSS {0:0} MB (worst round) - pwsh-bare {1:0} MB (median) = {2:0} MB above bare, {3:0.00}x the largest message ({4:0.0} MB): {5} 1.5' -f
        $memory.PopShellMB, $memory.BareMB, $memory.AboveMB, $memory.Ratio, $memory.MessageMB, $(if ($memory.Ratio -le 1.5) { 'under' } else { 'NOT under' }))
}

# One line per target of the issue: what was measured and PASS or MISS (n/a when not run).
# A MISS is a finding, not an error: only verification (hashes, delete counts) fails the run.
function Show-Target {
    $lines = [System.Collections.Generic.List[object]]::new()
    function Add-Line([string] $Target, [string] $Measured, [object] $Pass) {
        $verdict = if ($null -eq $Pass) { 'n/a' } elseif ($Pass) { 'PASS' } else { 'MISS' }
        $lines.Add([pscustomobject]@{ Target = $Target; Measured = $Measured; Verdict = $verdict })
    }
    # Ratio of two median wall times, or $null when either client has no successful run.
    function Get-Ratio([string] $ProfileName, [string] $Numerator, [string] $Denominator) {
        $a = Get-TableRow $ProfileName $Numerator
        $b = Get-TableRow $ProfileName $Denominator
        if ($a -and $b -and $b.Wall -gt 0) { $a.Wall / $b.Wall } else { $null }
    }
    function Test-Ratio($Ratio, [double] $Limit, [switch] $AtLeast) {
        if ($null -eq $Ratio) { return $null }
        if ($AtLeast) { $Ratio -ge $Limit } else { $Ratio -le $Limit }
    }
    function Format-Ratio($Ratio, [string] $What) { if ($null -eq $Ratio) { 'not run' } else { '{0:0.00}x {1}' -f $Ratio, $What } }

    $mix = if ($MessageCount -eq 2000) { 'mix 2,000' } else { "mix $MessageCount (targets are for 2,000)" }
    $ratio = Get-Ratio 'mix' 'popshell' 'mpop'
    Add-Line "Export $mix`: PopShell <= 1.3x mpop" (Format-Ratio $ratio 'mpop') (Test-Ratio $ratio 1.3)
    $ratio = Get-Ratio 'mix' 'popshell' 'raw'
    Add-Line "Export $mix`: PopShell <= 1.5x raw" (Format-Ratio $ratio 'raw') (Test-Ratio $ratio 1.5)
    $ratio = Get-Ratio 'mix' 'mailkit' 'popshell'
    Add-Line "Export $mix`: PopShell >= 3x faster than MailKit loop" (Format-Ratio $ratio 'faster') (Test-Ratio $ratio 3 -AtLeast)
    $ratio = Get-Ratio 'headers' 'popshell-list' 'raw-top'
    Add-Line "Header listing $HeaderMessageCount`: PopShell <= 2x raw TOP" (Format-Ratio $ratio 'raw TOP') (Test-Ratio $ratio 2)
    # The wire issue's listing target: PopShell's listing alone (wall minus popshell-connect, its
    # start-up, measured in the same profile) against the raw client's whole run.
    $list = Get-TableRow 'headers' 'popshell-list'
    $connect = Get-TableRow 'headers' 'popshell-connect'
    $rawTop = Get-TableRow 'headers' 'raw-top'
    $ratio = if ($list -and $connect -and $rawTop -and $rawTop.Wall -gt 0) { ($list.Wall - $connect.Wall) / $rawTop.Wall } else { $null }
    Add-Line "Header listing $HeaderMessageCount`: PopShell wall - connect <= 1.0x raw TOP (wire issue)" (Format-Ratio $ratio 'raw TOP') (Test-Ratio $ratio 1.0)

    $many = "Many $ManyAccountCount x $ManyMessageCount"
    $ratio = Get-Ratio 'many' 'popshell-many' 'mpop-many'
    Add-Line "$many`: Export-Pop3Mailbox -ThrottleLimit 4 <= 1x mpop -a" (Format-Ratio $ratio 'mpop -a') (Test-Ratio $ratio 1)
    $ratio = Get-Ratio 'many' 'popshell-loop' 'popshell-many'
    Add-Line "$many`: sequential Connect/Save/Disconnect loop >= 1.5x slower" (Format-Ratio $ratio 'slower') (Test-Ratio $ratio 1.5 -AtLeast)

    $memory = Get-MemoryTarget
    $measured = if ($memory) { '{0:0.00}x ({1:0} MB above bare)' -f $memory.Ratio, $memory.AboveMB } else { 'not run' }
    Add-Line "Large $LargeMessageMB MB: PopShell RSS above bare pwsh <= 1.5x message" $measured $(if ($memory) { $memory.Ratio -le 1.5 })
    Add-Line "Large $LargeMessageMB MB: PopShell RSS above bare pwsh <= 32 MB (wire issue)" $measured $(if ($memory) { $memory.AboveMB -le 32 })

    # The wire issue's targets: the whole process to disk against mpop; to tmpfs, PopShell's export
    # phase (wall minus popshell-connect, its start-up) against the raw client's whole run, and its
    # CPU beyond start-up against mpop's.
    foreach ($name in 'mix', 'small', 'large') {
        $ratio = Get-Ratio $name 'popshell' 'mpop'
        Add-Line "Export $name to disk: PopShell <= 1.0x mpop (wire issue)" (Format-Ratio $ratio 'mpop') (Test-Ratio $ratio 1.0)
    }
    $popshell = Get-TableRow 'mix-tmpfs' 'popshell'
    $connect = Get-TableRow 'mix-tmpfs' 'popshell-connect'
    $raw = Get-TableRow 'mix-tmpfs' 'raw'
    $mpop = Get-TableRow 'mix-tmpfs' 'mpop'
    $ratio = if ($popshell -and $connect -and $raw) { ($popshell.Wall - $connect.Wall) / $raw.Wall } else { $null }
    Add-Line "Export $mix to tmpfs: PopShell wall - connect <= 1.2x raw" (Format-Ratio $ratio 'raw') (Test-Ratio $ratio 1.2)
    $ratio = if ($popshell -and $connect -and $mpop -and $mpop.Cpu -gt 0) { ($popshell.Cpu - $connect.Cpu) / $mpop.Cpu } else { $null }
    Add-Line "Export $mix to tmpfs: PopShell CPU - connect CPU <= 1.5x mpop CPU" (Format-Ratio $ratio 'mpop CPU') (Test-Ratio $ratio 1.5)

    $hashFailures = @($script:Failures | Where-Object Kind -EQ 'hash')
    $measured = if ($script:HashComparisons) { "$($script:HashComparisons) run(s) compared, $($hashFailures.Count) differ" } else { 'not run (needs raw and popshell exports)' }
    Add-Line 'Byte-exact (SHA-256) in every run: PopShell = raw' $measured $(if ($script:HashComparisons) { $hashFailures.Count -eq 0 })

    # Not a target with a number in the issue, but measured and verified: shown for the record.
    if ($script:Tables.ContainsKey('delete')) {
        $ratio = Get-Ratio 'delete' 'popshell-delete' 'raw-delete'
        $countFailures = @($script:Failures | Where-Object Kind -EQ 'count')
        Add-Line "Filtered delete $DeleteMessageCount`: same count marked (no ratio target)" `
            ("$(Format-Ratio $ratio 'raw'), $($countFailures.Count) round(s) off") ($countFailures.Count -eq 0)
    }

    Write-Host ''
    Write-Host '== Targets (performance issue, deliverable 1) ==' -ForegroundColor Cyan
    $lines | Format-Table -AutoSize Target, Measured, Verdict | Out-String -Width 200 | Write-Host
}

#endregion

$benchTimer = [System.Diagnostics.Stopwatch]::StartNew()
if (-not (Test-Path (Join-Path $ModulePath 'PopShell.psd1'))) {
    throw "No module at $ModulePath. Build it first: dotnet pwsh ./build.ps1 Build"
}
Import-Module (Join-Path $RepoRoot 'tests/Support/TestSupport.psd1') -Force
Import-Module (Join-Path $RepoRoot 'tools/ReadyToRun.psm1') -Force
. (Join-Path $PSScriptRoot 'New-ReadyToRunPwsh.ps1')
Install-BenchTool
Install-TestDovecot
Build-RawClient

$profiles = if ($Profile -eq 'all') { @('mix', 'small', 'large', 'headers', 'delete', 'many') } else { @($Profile) }
$script:WorkDir = Join-Path ([System.IO.Path]::GetTempPath()) "popshell-bench-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
$null = New-Item -ItemType Directory -Path $script:WorkDir
$script:OutputRoot = $script:WorkDir
$script:TmpfsDir = $null
if ($Destination -contains 'Tmpfs') {
    if (-not (Test-Path /dev/shm)) { throw 'No tmpfs at /dev/shm; run with -Destination Disk.' }
    $script:TmpfsDir = Join-Path /dev/shm "popshell-bench-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $null = New-Item -ItemType Directory -Path $script:TmpfsDir
}
$script:Server = $null
$PwshCommand = Resolve-PwshCommand
# Seeded mailboxes by corpus ("kind/count"): headers and delete read the same 10,000 messages, and
# no client deletes anything, so one seeding serves both.
$seeded = @{}
# 'dotnet pwsh' finds its tool manifest from the current folder.
Push-Location $RepoRoot
try {
    $script:Server = Start-TestDovecot
    Write-Host "Dovecot on 127.0.0.1:$($script:Server.TlsPort) (TLS); work folder $script:WorkDir"
    Write-Host "Module: $ModulePath; $Rounds round(s); $([Environment]::ProcessorCount) CPU(s)"

    foreach ($name in $profiles) {
        $kind, $count = switch ($name) {
            'mix' { 'mix', $MessageCount }
            'small' { 'small', $SmallMessageCount }
            # Two large messages among four small ones (see Add-BenchCorpus).
            'large' { 'large', 6 }
            'headers' { 'small', $HeaderMessageCount }
            'delete' { 'small', $DeleteMessageCount }
            'many' { 'mix', $ManyMessageCount }
        }
        Write-Host ''
        if ($name -ne 'many' -and $seeded.ContainsKey("$kind/$count")) {
            $entry = $seeded["$kind/$count"]
            Write-Host ("Profile {0}: reusing the mailbox of profile {1} ({2} messages, {3:0.0} MB)" -f $name, $entry.Profile, $count, ($entry.Corpus.Bytes / 1MB))
        }
        else {
            $seedTimer = [System.Diagnostics.Stopwatch]::StartNew()
            $mailbox = if ($name -eq 'many') { @(1..$ManyAccountCount | ForEach-Object { New-TestMailbox -Server $script:Server -UserName "bench-many-$_" }) }
            else { New-TestMailbox -Server $script:Server -UserName "bench-$name" }
            $entry = [pscustomobject]@{ Profile = $name; Mailbox = $mailbox; Corpus = (Add-BenchCorpus -Mailbox $mailbox -Kind $kind -Count $count) }
            $seeded["$kind/$count"] = $entry
            $largest = if ($entry.Corpus.Largest -ge 1MB) { '{0:0.0} MB' -f ($entry.Corpus.Largest / 1MB) } else { '{0:0.0} KB' -f ($entry.Corpus.Largest / 1KB) }
            Write-Host ("Profile {0}: seeded {1} messages, {2:0.0} MB (largest {3}) in {4:0.0} s" -f $name, $count, ($entry.Corpus.Bytes / 1MB), $largest, $seedTimer.Elapsed.TotalSeconds)
        }
        $mailbox = $entry.Mailbox
        $bytes = $entry.Corpus.Bytes

        if ($name -eq 'many') {
            $total = $ManyAccountCount * $count
            Invoke-Rounds -ProfileName $name -Title ("many: export {0} mailboxes x {1} messages ({2:0.0} MB)" -f $ManyAccountCount, $count, ($ManyAccountCount * $bytes / 1MB)) `
                -Mailbox $mailbox -Clients @('popshell-many', 'mpop-many', 'popshell-loop') -ExpectedFiles $total
        }
        elseif ($name -eq 'headers') {
            Invoke-Rounds -ProfileName $name -Title "headers: list $count messages (TOP n 0)" -Mailbox $mailbox -Clients @('raw-top', 'popshell-list', 'popshell-connect') -ExpectedFiles $count
        }
        elseif ($name -eq 'delete') {
            # Message i is dated $CorpusStart + i minutes: a cutoff half a minute after message
            # $marked matches exactly messages 1..$marked, with no tie at the boundary.
            $marked = [int][Math]::Floor($count * 0.6)
            $cutoff = $CorpusStart.AddMinutes($marked + 0.5).ToString('yyyy-MM-ddTHH:mm:sszzz', [cultureinfo]::InvariantCulture)
            Invoke-Rounds -ProfileName $name -Title "delete: mark the $marked of $count messages dated before $cutoff, then discard (RSET)" `
                -Mailbox $mailbox -Clients @('raw-delete', 'popshell-delete') -ExpectedFiles $marked -DeleteBefore $cutoff
        }
        else {
            $clients = @('raw', 'popshell', 'popshell-noprogress', 'mpop', 'mailkit', 'popshell-connect') | Where-Object { $_ -in $Client }
            if ($name -eq 'large') {
                # MailKit parses each 100 MB message into memory: minutes and gigabytes, no insight.
                $clients = @($clients | Where-Object { $_ -ne 'mailkit' }) + 'pwsh-bare'
                $script:LargestMessage = $entry.Corpus.Largest
            }
            foreach ($where in $Destination) {
                # The disk's table keeps the profile's name; the tmpfs one is '<profile>-tmpfs'.
                $script:OutputRoot = if ($where -eq 'Tmpfs') { $script:TmpfsDir } else { $script:WorkDir }
                $table = if ($where -eq 'Tmpfs') { "$name-tmpfs" } else { $name }
                Invoke-Rounds -ProfileName $table -Title "$name`: export $count messages ($('{0:0.0}' -f ($bytes / 1MB)) MB) to $($where.ToLowerInvariant()) ($script:OutputRoot)" -Mailbox $mailbox -Clients $clients -ExpectedFiles $count
            }
            $script:OutputRoot = $script:WorkDir
            if ($name -eq 'large') { Show-MemoryTarget }
            if (-not $NoVerboseRun -and $Client -contains 'popshell') {
                $verbose = Invoke-BenchClient -Name 'popshell' -Mailbox $mailbox -Round 99 -ShowVerbose
                Write-Host ("PopShell -Verbose run ({0:0.00} s wall, {1:0.00} s CPU):" -f $verbose.Wall, $verbose.Cpu)
                $verbose.Output -split "`n" | Where-Object { $_ -match 'VERBOSE: Sav(ed|ing from)' } | ForEach-Object { Write-Host "  $_" }
            }
        }
    }
}
finally {
    Pop-Location
    if ($script:Server) { Stop-TestDovecot -Server $script:Server }
    Remove-Item -LiteralPath $script:WorkDir -Recurse -Force -ErrorAction Ignore
    if ($script:TmpfsDir) { Remove-Item -LiteralPath $script:TmpfsDir -Recurse -Force -ErrorAction Ignore }
}

Show-Target
Write-Host ('Bench took {0:mm\:ss} (profiles: {1}; {2} round(s)).' -f $benchTimer.Elapsed, ($profiles -join ', '), $Rounds)
if ($script:Failures.Count) {
    throw "Verification failed ($($script:Failures.Count)):`n$(($script:Failures | ForEach-Object { " - $($_.Text)" }) -join "`n")"
}

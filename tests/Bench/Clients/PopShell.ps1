<#
    Benchmark client (a): PopShell in a fresh process. Exports every message with
    Save-Pop3Message -All, or with -List only lists them (Get-Pop3Message | Measure-Object),
    or with -DeleteBefore marks every message dated earlier than that for deletion
    (Get-Pop3Message -Before | Remove-Pop3Message) and then keeps them all (Disconnect-Pop3 -Discard),
    or with -ConnectOnly only imports, connects and disconnects (start-up cost).
    -NoProgress hides progress records (to see what WriteProgress per message costs).
    The user name and password come from BENCH_USER and BENCH_PASS.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [int] $Port,
    [Parameter(Mandatory)] [string] $Thumbprint,
    [string] $OutDir,
    [switch] $List,
    # ISO 8601 with an offset (2024-01-05T08:00:00+01:00): a point in time, whatever this machine's zone.
    [string] $DeleteBefore,
    [switch] $ConnectOnly,
    [switch] $ShowVerbose,
    # Diagnostic: hide progress records ($ProgressPreference = 'SilentlyContinue').
    [switch] $NoProgress
)
$ErrorActionPreference = 'Stop'
if ($NoProgress) { $ProgressPreference = 'SilentlyContinue' }
Import-Module (Join-Path $ModulePath 'PopShell.psd1')
$cred = [pscredential]::new($env:BENCH_USER, (ConvertTo-SecureString $env:BENCH_PASS -AsPlainText -Force))
Connect-Pop3 127.0.0.1 -Port $Port -Security Tls -Credential $cred -CertificateThumbprint $Thumbprint | Out-Null
$discard = $false
try {
    if ($List) { "listed $((Get-Pop3Message | Measure-Object).Count)" }
    elseif ($DeleteBefore) {
        # -Before takes a DateTime; a UTC one is the same instant on any machine.
        $cutoff = [DateTimeOffset]::Parse($DeleteBefore, [cultureinfo]::InvariantCulture).UtcDateTime
        $discard = $true
        Get-Pop3Message -Before $cutoff | Remove-Pop3Message -Confirm:$false
    }
    elseif (-not $ConnectOnly) { "saved $((Save-Pop3Message -All -Path $OutDir -Verbose:$ShowVerbose | Measure-Object).Count)" }
}
finally {
    if ($discard) {
        # RSET before QUIT: nothing is deleted, so the mailbox is the same next round. Disconnect-Pop3
        # reports how many marks it discarded ('Kept N message(s) ...') on the information stream:
        # the session's own count of what Remove-Pop3Message marked.
        $said = @(Disconnect-Pop3 -Discard 6>&1 | ForEach-Object { "$_" })
        $kept = @($said | ForEach-Object { if ($_ -match '^Kept (\d+) message') { [int]$Matches[1] } })
        "marked $(if ($kept) { $kept[0] } else { 0 })"
    }
    else { Disconnect-Pop3 }
}

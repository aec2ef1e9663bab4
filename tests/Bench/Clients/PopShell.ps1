<#
    Benchmark client (a): PopShell in a fresh process. Exports every message with
    Save-Pop3Message -All, or with -List only lists them (Get-Pop3Message | Measure-Object),
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
try {
    if ($List) { "listed $((Get-Pop3Message | Measure-Object).Count)" }
    elseif (-not $ConnectOnly) { "saved $((Save-Pop3Message -All -Path $OutDir -Verbose:$ShowVerbose | Measure-Object).Count)" }
}
finally { Disconnect-Pop3 }

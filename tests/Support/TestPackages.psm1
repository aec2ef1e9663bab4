<#
    Debian packages for the test servers, installed with apt-get without ever starting a service:
    while apt-get runs, /usr/sbin/policy-rc.d answers 101 ("action forbidden"), so a package's
    install scripts cannot start the machine's own Dovecot (or any other daemon). A policy-rc.d
    that already exists is left exactly as it is; one created here is removed afterwards.
#>
Set-StrictMode -Version 3.0
# Every failure inside this module is a broken test environment: stop at the first one.
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'TestHost.psm1')

$script:PolicyRcPath = '/usr/sbin/policy-rc.d'

function Assert-DebianAsRoot {
    # apt-get and the servers' private mount namespaces need both; -Why says what cannot be done otherwise.
    param([Parameter(Mandatory)] [string] $Why)
    if (-not [System.IO.File]::Exists('/etc/debian_version')) {
        throw "$Why This is not a Debian system, so it cannot be done automatically."
    }
    if (-not [Environment]::IsPrivilegedProcess) {
        throw "$Why It needs root."
    }
}

function Invoke-AptGet {
    <#
    .SYNOPSIS
        Runs apt-get in -WorkingDirectory with no service allowed to start; when it fails, runs
        'apt-get update' once and tries again, as a machine that never ran it has no package lists yet.
    #>
    param([Parameter(Mandatory)] [string[]] $ArgumentList, [string] $WorkingDirectory = '/', [int] $TimeoutSeconds = 900)
    $environment = @{ DEBIAN_FRONTEND = 'noninteractive' }
    $command = @('-c', 'cd "$1" && shift && exec apt-get "$@"', 'sh', $WorkingDirectory) + $ArgumentList
    $createdPolicy = $false
    if (-not [System.IO.File]::Exists($script:PolicyRcPath)) {
        $policy = "#!/bin/sh`n# Written by PopShell's test harness (TestPackages.psm1) while apt-get runs, and removed afterwards:`n" +
            "# 101 tells the package scripts not to start any service.`nexit 101`n"
        [System.IO.File]::WriteAllText($script:PolicyRcPath, $policy)
        Set-UnixPermission -Path $script:PolicyRcPath -Octal '0755'
        $createdPolicy = $true
    }
    try {
        Write-Verbose "apt-get $($ArgumentList -join ' ')"
        $result = Invoke-NativeCommand -FilePath '/bin/sh' -ArgumentList $command -Environment $environment -TimeoutSeconds $TimeoutSeconds
        if ($result.ExitCode -ne 0) {
            Write-Verbose 'apt-get update'
            $null = Invoke-CheckedCommand -FilePath 'apt-get' -ArgumentList 'update' -Environment $environment -TimeoutSeconds $TimeoutSeconds
            $null = Invoke-CheckedCommand -FilePath '/bin/sh' -ArgumentList $command -Environment $environment -TimeoutSeconds $TimeoutSeconds
        }
    }
    finally {
        if ($createdPolicy) { [System.IO.File]::Delete($script:PolicyRcPath) }
    }
}

Export-ModuleMember -Function @(
    'Assert-DebianAsRoot'
    'Invoke-AptGet'
)

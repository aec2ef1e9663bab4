<#
.SYNOPSIS
    Builds PopShell's help into a built module folder, from two sources that each say what only
    they know: the compiled cmdlets and the Markdown in help/<culture>/.

.DESCRIPTION
    The built module's cmdlets (Get-Command's metadata) give the syntax and each parameter's type,
    parameter sets, position, mandatory, pipeline input, aliases, accepted values, wildcard support
    and, where the code can tell, its default value. help/<culture>/<Cmdlet>.md gives the prose:
    synopsis, description, examples, each parameter's description (and a 'Default value:' line
    where the code cannot tell it), inputs, outputs, notes and related links. Together they become
    <ModuleDirectory>/<culture>/PopShell.dll-Help.xml (MAML), which Get-Help reads; about_<Topic>.md
    becomes about_<Topic>.help.txt.

    A cmdlet without a Markdown file, a parameter without a description, a description of a
    parameter the cmdlet lacks, or anything in a file this script does not understand stops the
    build with the file and line, rather than writing help that silently lacks a part.

    Run it in a PowerShell process of its own (build.ps1 does): it imports the module it documents,
    and a process cannot unload an older PopShell.dll it has loaded before.

    The pieces are in help/build/: Markdown.ps1 (reading Markdown), CommandProse.ps1 (a cmdlet's
    prose), CommandMetadata.ps1 (the cmdlet's facts, joined to the prose), Maml.ps1 (writing MAML)
    and AboutTopic.ps1.

.PARAMETER ModuleDirectory
    The built module folder, e.g. out/PopShell: its manifest is imported, its help written there.

.PARAMETER SourceDirectory
    The folder of the culture folders (en-US, ...); default: this script's folder, help/.

.PARAMETER OutputDirectory
    Where the culture folders of the built help go; default: ModuleDirectory.

.EXAMPLE
    dotnet pwsh -NoProfile -File ./help/Build-Help.ps1 -ModuleDirectory ./out/PopShell
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleDirectory,
    [string] $SourceDirectory = $PSScriptRoot,
    [string] $OutputDirectory = $ModuleDirectory
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

foreach ($piece in 'Markdown', 'CommandProse', 'CommandMetadata', 'Maml', 'AboutTopic') {
    . (Join-Path $PSScriptRoot "build/$piece.ps1")
}

function Get-DisplayPath([string] $Path) {
    # File names in messages start at help/, as a maintainer at the repository's root would type them.
    [System.IO.Path]::GetRelativePath((Split-Path $sourceRoot), $Path)
}

function Build-CultureHelp {
    # One culture folder (help/en-US) into <OutputDirectory>/en-US.
    param([Parameter(Mandatory)] [System.IO.DirectoryInfo] $Source, [Parameter(Mandatory)] [string] $Destination, [Parameter(Mandatory)] [object[]] $Cmdlets)
    $null = New-Item -ItemType Directory -Path $Destination -Force

    $files = @{}
    foreach ($file in Get-ChildItem -LiteralPath $Source.FullName -Filter '*.md' | Where-Object Name -NotLike 'about_*') {
        if ($file.BaseName -notin $Cmdlets.Name) {
            Stop-HelpBuild (Get-DisplayPath $file.FullName) 0 "the module has no cmdlet '$($file.BaseName)' (it has: $($Cmdlets.Name -join ', '))"
        }
        $files[$file.BaseName] = $file
    }
    $commands = foreach ($cmdlet in $Cmdlets) {
        if (-not $files.ContainsKey($cmdlet.Name)) {
            Stop-HelpBuild (Get-DisplayPath (Join-Path $Source.FullName "$($cmdlet.Name).md")) 0 "$($cmdlet.Name) has no help; write this file"
        }
        $prose = Read-CommandProse -Path $files[$cmdlet.Name] -DisplayPath (Get-DisplayPath $files[$cmdlet.Name].FullName)
        Join-CommandHelp -Prose $prose -Command $cmdlet
    }
    foreach ($group in $commands | Group-Object HelpFile) {
        $path = Join-Path $Destination $group.Name
        Write-MamlHelpFile -Path $path -Command $group.Group
        Write-Verbose "Wrote $path ($($group.Count) cmdlets)."
    }

    foreach ($about in Get-ChildItem -LiteralPath $Source.FullName -Filter 'about_*.md') {
        $path = Join-Path $Destination "$($about.BaseName).help.txt"
        Convert-AboutTopic -Path $about -DisplayPath (Get-DisplayPath $about.FullName) -Destination $path
        Write-Verbose "Wrote $path."
    }
}

try {
    $resolve = { param($path) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($path) }
    $sourceRoot = & $resolve $SourceDirectory
    $outputRoot = & $resolve $OutputDirectory
    $manifest = Join-Path (& $resolve $ModuleDirectory) 'PopShell.psd1'
    if (Get-Module PopShell) { throw 'Build-Help: PopShell is already loaded in this process; run this script in a pwsh of its own.' }
    $module = Import-Module $manifest -PassThru
    $cmdlets = @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)
    if (-not $cmdlets.Count) { throw "Build-Help: $manifest exports no cmdlets." }

    $cultures = @(Get-ChildItem -LiteralPath $sourceRoot -Directory | Where-Object Name -Match '^[a-z]{2}(-[A-Z]{2})?$')
    if (-not $cultures.Count) { throw "Build-Help: no culture folder (such as en-US) in $sourceRoot." }
    foreach ($culture in $cultures) {
        Build-CultureHelp -Source $culture -Destination (Join-Path $outputRoot $culture.Name) -Cmdlets $cmdlets
    }
}
catch {
    # A fault in the help is one line naming the file and line; a fault in this script keeps its stack.
    $text = if ($_.Exception.Message -like 'Build-Help: *') { $_.Exception.Message } else { $_ | Out-String }
    [Console]::Error.WriteLine($text)
    exit 1
}

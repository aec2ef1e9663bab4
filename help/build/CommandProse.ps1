# Reading one cmdlet's Markdown (help/<culture>/<Cmdlet>.md): the prose only. Syntax, parameter
# types, sets, positions, pipeline input, aliases, accepted values and wildcards are not written
# there; they come from the compiled cmdlet (CommandMetadata.ps1).
# Dot-sourced by help/Build-Help.ps1, after Markdown.ps1.

# The sections of a cmdlet's Markdown, in platyPS's order. RELATED LINKS is the only optional one.
$CommandSections = 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'

# A parameter's last paragraph may be this one line, for a default the code cannot tell (see
# Resolve-DefaultValue in CommandMetadata.ps1).
$DefaultValuePattern = '^Default value:\s*(?<text>\S.*)$'

function Read-ParameterProse {
    # '### -Name' sections: the description paragraphs, and the 'Default value:' line if there is one.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] $Section)
    $split = Split-MarkdownHeading -Lines $Section.Body -Level 3
    if (@($split.Preamble | Where-Object { $_.Text.Trim() }).Count) {
        Stop-HelpBuild $File $Section.Line 'PARAMETERS has text before its first ### -Name'
    }
    foreach ($entry in $split.Sections) {
        if ($entry.Title -notmatch '^-(?<name>[A-Za-z][A-Za-z0-9]*)$') {
            Stop-HelpBuild $File $entry.Line "a parameter heading must be '### -Name', not '### $($entry.Title)' (Get-Help adds the common parameters itself)"
        }
        $name = $Matches.name
        $blocks = @(Get-MarkdownBlock -File $File -Lines $entry.Body)
        $code = @($blocks | Where-Object Kind -eq 'Code')
        if ($code.Count) {
            Stop-HelpBuild $File $code[0].Line "-$name has a code block; its type, sets, position and pipeline input come from the cmdlet, so only its description is written here"
        }
        $defaultValue = $null
        if ($blocks.Count -and $blocks[-1].Lines.Count -eq 1 -and $blocks[-1].Lines[0].Text -match $DefaultValuePattern) {
            $defaultValue = [pscustomobject]@{ Text = $Matches.text; Line = $blocks[-1].Line }
            $blocks = @($blocks | Select-Object -SkipLast 1)
        }
        $stray = @($blocks.Lines | Where-Object { $_.Text -match '^Default value:' })
        if ($stray.Count) { Stop-HelpBuild $File $stray[0].Number "-$name's 'Default value:' line must be its last paragraph, a line of its own" }
        $description = @(ConvertTo-HelpParagraph -File $File -Lines @($blocks.Lines) -What "-$name")
        if (-not $description.Count) { Stop-HelpBuild $File $entry.Line "-$name has no description" }
        [pscustomobject]@{ Name = $name; Line = $entry.Line; Description = $description; DefaultValue = $defaultValue }
    }
}

function Read-ExampleHelp {
    # '### Example N: Title', one code block, then the explanation.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] $Section)
    $split = Split-MarkdownHeading -Lines $Section.Body -Level 3
    $number = 0
    foreach ($entry in $split.Sections) {
        $number++
        if ($entry.Title -notmatch "^Example $($number): \S") {
            Stop-HelpBuild $File $entry.Line "example headings must be '### Example $($number): Title', not '### $($entry.Title)'"
        }
        $blocks = @(Get-MarkdownBlock -File $File -Lines $entry.Body)
        if (-not $blocks.Count -or $blocks[0].Kind -ne 'Code' -or $blocks[0].Language -ne 'powershell') {
            Stop-HelpBuild $File $entry.Line "example $number must start with a powershell code block"
        }
        if (@($blocks | Where-Object Kind -eq 'Code').Count -ne 1) { Stop-HelpBuild $File $entry.Line "example $number has more than one code block" }
        $remarks = @(ConvertTo-HelpParagraph -File $File -Lines ($blocks | Select-Object -Skip 1 | ForEach-Object Lines) -What "example $number")
        if (-not $remarks.Count) { Stop-HelpBuild $File $entry.Line "example $number does not say what it does" }
        [pscustomobject]@{
            Title   = $entry.Title
            # Kept verbatim, comments included: a '# not runnable in tests: ...' line is meant for the tests.
            Code    = ($blocks[0].Lines.Text -join "`n")
            Remarks = $remarks
        }
    }
}

function Read-TypeHelp {
    # INPUTS and OUTPUTS: '### TypeName' followed by what it is.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] $Section)
    $split = Split-MarkdownHeading -Lines $Section.Body -Level 3
    if (-not $split.Sections.Count) { Stop-HelpBuild $File $Section.Line "$($Section.Title) needs a '### TypeName' heading (or '### None')" }
    foreach ($entry in $split.Sections) {
        [pscustomobject]@{ Name = $entry.Title; Description = @(ConvertTo-HelpParagraph -File $File -Lines $entry.Body -What $entry.Title) }
    }
}

function Read-RelatedLink {
    # '[text](url)' lines; links to sibling .md files are other help topics, with no URI.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] $Section)
    foreach ($line in $Section.Body | Where-Object { $_.Text.Trim() }) {
        if ($line.Text.Trim() -notmatch '^\[(?<text>[^\]]+)\]\((?<url>[^)]*)\)$') {
            Stop-HelpBuild $File $line.Number "RELATED LINKS lines must be '[text](url)', not '$($line.Text)'"
        }
        [pscustomobject]@{ Text = $Matches.text; Uri = if ($Matches.url -match '\.md$') { '' } else { $Matches.url } }
    }
}

function Read-CommandProse {
    # One cmdlet's Markdown file, read and checked: everything Get-Help shows that only a writer knows.
    param([Parameter(Mandatory)] [System.IO.FileInfo] $Path, [Parameter(Mandatory)] [string] $DisplayPath)
    $file = $DisplayPath
    $lines = @(Read-MarkdownLine -Path $Path.FullName)
    if (-not $lines.Count) { Stop-HelpBuild $file 0 'the file is empty' }
    Assert-MarkdownFence -File $file -Lines $lines

    $top = Split-MarkdownHeading -Lines $lines -Level 1
    if (@($top.Preamble | Where-Object { $_.Text.Trim() }).Count -or $top.Sections.Count -ne 1 -or $top.Sections[0].Title -ne $Path.BaseName) {
        Stop-HelpBuild $file 1 "the file must start with its one title, '# $($Path.BaseName)'"
    }

    $sections = @{}
    $expected = 0
    foreach ($section in (Split-MarkdownHeading -Lines $top.Sections[0].Body -Level 2).Sections) {
        if ($section.Title -eq 'SYNTAX') { Stop-HelpBuild $file $section.Line 'the syntax comes from the cmdlet itself; remove this section' }
        $position = [array]::IndexOf($CommandSections, $section.Title)
        if ($position -lt 0) { Stop-HelpBuild $file $section.Line "unknown section '## $($section.Title)' (known: $($CommandSections -join ', '))" }
        if ($position -lt $expected) { Stop-HelpBuild $file $section.Line "'## $($section.Title)' is out of order; the order is $($CommandSections -join ', ')" }
        $expected = $position + 1
        $sections[$section.Title] = $section
    }
    foreach ($title in $CommandSections | Where-Object { $_ -ne 'RELATED LINKS' }) {
        if (-not $sections.ContainsKey($title)) { Stop-HelpBuild $file 0 "the '## $title' section is missing" }
    }

    $synopsis = @(ConvertTo-HelpParagraph -File $file -Lines $sections['SYNOPSIS'].Body -What 'SYNOPSIS')
    if ($synopsis.Count -ne 1) { Stop-HelpBuild $file $sections['SYNOPSIS'].Line 'SYNOPSIS must be one paragraph' }
    $description = @(ConvertTo-HelpParagraph -File $file -Lines $sections['DESCRIPTION'].Body -What 'DESCRIPTION')
    if (-not $description.Count) { Stop-HelpBuild $file $sections['DESCRIPTION'].Line 'DESCRIPTION is empty' }
    $examples = @(Read-ExampleHelp -File $file -Section $sections['EXAMPLES'])
    if (-not $examples.Count) { Stop-HelpBuild $file $sections['EXAMPLES'].Line 'EXAMPLES has no example' }

    [pscustomobject]@{
        File           = $file
        Name           = $Path.BaseName
        Synopsis       = $synopsis[0]
        Description    = $description
        Examples       = $examples
        ParametersLine = $sections['PARAMETERS'].Line
        Parameters     = @(Read-ParameterProse -File $file -Section $sections['PARAMETERS'])
        Inputs         = @(Read-TypeHelp -File $file -Section $sections['INPUTS'])
        Outputs        = @(Read-TypeHelp -File $file -Section $sections['OUTPUTS'])
        Notes          = @(ConvertTo-HelpParagraph -File $file -Lines $sections['NOTES'].Body -What 'NOTES')
        RelatedLinks   = @(if ($sections.ContainsKey('RELATED LINKS')) { Read-RelatedLink -File $file -Section $sections['RELATED LINKS'] })
    }
}

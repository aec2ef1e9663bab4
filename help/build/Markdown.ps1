# Reading the Markdown of PopShell's help: lines with their numbers, headings, paragraphs and code
# blocks. Only what PopShell's help files use; anything else stops the build at its line.
# Dot-sourced by help/Build-Help.ps1.

function Stop-HelpBuild {
    # Every complaint names the file and line, so a malformed help file is found at once.
    param([Parameter(Mandatory)] [string] $File, [int] $Line, [Parameter(Mandatory)] [string] $Message)
    $where = if ($Line -gt 0) { "${File}:$Line" } else { $File }
    throw "Build-Help: ${where}: $Message"
}

function Read-MarkdownLine {
    # Lines with their numbers, so every later complaint can point at the source line.
    param([Parameter(Mandatory)] [string] $Path)
    $number = 0
    foreach ($text in [System.IO.File]::ReadAllLines($Path)) {
        $number++
        [pscustomobject]@{ Number = $number; Text = $text.TrimEnd() }
    }
}

function Assert-MarkdownFence {
    # An unclosed fence would hide every heading after it; say so, instead of 'section missing'.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] [object[]] $Lines)
    $opened = $null
    foreach ($line in $Lines) {
        if ($line.Text.StartsWith('```')) { $opened = if ($opened) { $null } else { $line } }
    }
    if ($opened) { Stop-HelpBuild $File $opened.Number 'this code fence is never closed' }
}

function Split-MarkdownHeading {
    <#
        Splits lines at headings of one level ('## ' or '### '), ignoring '#' lines inside code
        fences (a PowerShell comment is not a heading). Returns the text before the first heading
        and one entry per heading with its title, line number and body lines.
    #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Lines, [Parameter(Mandatory)] [int] $Level)
    $marker = ('#' * $Level) + ' '
    $preamble = [System.Collections.Generic.List[object]]::new()
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line.Text.StartsWith('```')) { $inFence = -not $inFence }
        if (-not $inFence -and $line.Text.StartsWith($marker)) {
            $current = [pscustomobject]@{
                Title = $line.Text.Substring($marker.Length).Trim()
                Line  = $line.Number
                Body  = [System.Collections.Generic.List[object]]::new()
            }
            $sections.Add($current)
        }
        elseif ($current) { $current.Body.Add($line) }
        else { $preamble.Add($line) }
    }
    [pscustomobject]@{ Preamble = $preamble.ToArray(); Sections = $sections.ToArray() }
}

function Get-MarkdownBlock {
    <#
        Cuts body lines into blocks: 'Code' (a fenced block, with its language) and 'Text' (lines
        between blank lines). Nothing else exists in PopShell's help, which keeps this small.
    #>
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Lines)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $text = [System.Collections.Generic.List[object]]::new()
    $code = $null
    foreach ($line in $Lines) {
        if ($code) {
            if ($line.Text -eq '```') {
                $blocks.Add($code)
                $code = $null
            }
            else { $code.Lines.Add($line) }
            continue
        }
        if ($line.Text.StartsWith('```')) {
            if ($text.Count) { $blocks.Add([pscustomobject]@{ Kind = 'Text'; Line = $text[0].Number; Lines = $text.ToArray() }); $text.Clear() }
            $code = [pscustomobject]@{
                Kind     = 'Code'
                Line     = $line.Number
                Language = $line.Text.Substring(3).Trim()
                Lines    = [System.Collections.Generic.List[object]]::new()
            }
            continue
        }
        if ($line.Text.Trim() -eq '') {
            if ($text.Count) { $blocks.Add([pscustomobject]@{ Kind = 'Text'; Line = $text[0].Number; Lines = $text.ToArray() }); $text.Clear() }
            continue
        }
        $text.Add($line)
    }
    if ($code) { Stop-HelpBuild $File $code.Line 'code fence is never closed' }
    if ($text.Count) { $blocks.Add([pscustomobject]@{ Kind = 'Text'; Line = $text[0].Number; Lines = $text.ToArray() }) }
    $blocks.ToArray()
}

function ConvertFrom-InlineMarkdown {
    # Console help has no fonts or links: `code` and **bold** lose their marks, [text](url) keeps its text.
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Text)
    $Text = [regex]::Replace($Text, '\[(?<text>[^\]]+)\]\((?<url>[^)]*)\)', '${text}')
    $Text = [regex]::Replace($Text, '\*\*(?<text>[^*]+)\*\*', '${text}')
    [regex]::Replace($Text, '`(?<text>[^`]+)`', '${text}')
}

function ConvertTo-HelpParagraph {
    <#
        The paragraphs of a text section, as plain strings. Lines of one paragraph are joined with
        spaces, because Get-Help wraps paragraphs to the console width itself. A paragraph of '- '
        items becomes one string per item, so each item starts on a line of its own.
    #>
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Lines, [string] $What)
    foreach ($block in Get-MarkdownBlock -File $File -Lines $Lines) {
        if ($block.Kind -eq 'Code') {
            Stop-HelpBuild $File $block.Line "$What has a code block; only EXAMPLES may hold code"
        }
        $item = $null
        $isList = $block.Lines[0].Text.StartsWith('- ')
        foreach ($line in $block.Lines) {
            $text = ConvertFrom-InlineMarkdown $line.Text.Trim()
            if ($isList -and $line.Text.StartsWith('- ')) {
                if ($null -ne $item) { $item }
                $item = $text
            }
            elseif ($null -eq $item) { $item = $text }
            else { $item = "$item $text" }
        }
        $item
    }
}

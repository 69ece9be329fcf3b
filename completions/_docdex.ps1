
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'docdex' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'docdex'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'docdex' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this configuration instead of docdex.toml at the repository root')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Compare the committed pages with the pages their documents generate')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the page docdex expects for a document (its keyword page) or a page path')
            [CompletionResult]::new('install-hook', 'install-hook', [CompletionResultType]::ParameterValue, 'Install docdex as this repository''s git pre-commit (or pre-push) hook')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Manage the page cache docdex keeps in the git directory')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, elvish, fish, powershell or zsh)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) of docdex or of one of its subcommands')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'docdex;check' {
            [CompletionResult]::new('--base', '--base', [CompletionResultType]::ParameterName, 'Check only the pages that depend on what changed between merge-base(REV, head) and head, reading the head commit (for CI on branches and pull requests)')
            [CompletionResult]::new('--head', '--head', [CompletionResultType]::ParameterName, 'The head commit for --base')
            [CompletionResult]::new('--rev', '--rev', [CompletionResultType]::ParameterName, 'Check every page of one commit''s tree')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Which findings the human report shows a diff for')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: github when GITHUB_ACTIONS=true, otherwise human]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output (whole, then renamed into place: a reader never sees half of it; a FIFO or device is written through, a symlink followed; `-` is standard output)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output (whole, then renamed into place: a reader never sees half of it; a FIFO or device is written through, a symlink followed; `-` is standard output)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Check only shard K of N (1 ≤ K ≤ N): a stable 1/N of the pages by a hash of their path, so a CI matrix of N jobs covers every page exactly once')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this configuration instead of docdex.toml at the repository root')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]')
            [CompletionResult]::new('--staged', '--staged', [CompletionResultType]::ParameterName, 'Read documents and pages from the index and check only the pages that depend on what is staged against HEAD (for pre-commit hooks)')
            [CompletionResult]::new('--pre-commit', '--pre-commit', [CompletionResultType]::ParameterName, 'Run as the pre-commit framework''s hook: a commit checks what is staged, a ref range (pre-push, --from-ref/--to-ref) what it changed, and --all-files, the manual stage or a run with nothing staged every page of the working tree')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Write every stale or missing page and delete every orphaned one in the working tree')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'With --staged --fix: also write the fixed pages into the index')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'With --fix: overwrite pages even when they carry unstaged edits')
            [CompletionResult]::new('--no-diff', '--no-diff', [CompletionResultType]::ParameterName, 'Same as --diff none: a header and a line of words for every finding, no diffs')
            [CompletionResult]::new('--exit-zero', '--exit-zero', [CompletionResultType]::ParameterName, 'Exit 0 even when pages need an update, as a step that uploads the report wants (errors still exit 2)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor update the page cache in the git directory: render every page. The cache never changes a verdict; this is for measuring, or for doubt')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'docdex;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this configuration instead of docdex.toml at the repository root')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'docdex;install-hook' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this configuration instead of docdex.toml at the repository root')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]')
            [CompletionResult]::new('--pre-push', '--pre-push', [CompletionResultType]::ParameterName, 'Install the pre-push hook (`docdex check --base @{upstream}`) instead of pre-commit')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing hook that docdex did not write')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'docdex;cache' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this configuration instead of docdex.toml at the repository root')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove the cache (the next check renders every page and writes it again)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'docdex;cache;clear' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this configuration instead of docdex.toml at the repository root')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'docdex;cache;help' {
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove the cache (the next check renders every page and writes it again)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'docdex;cache;help;clear' {
            break
        }
        'docdex;cache;help;help' {
            break
        }
        'docdex;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this configuration instead of docdex.toml at the repository root')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'docdex;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write every page (docdex.1 and docdex-SUBCOMMAND.1) into DIR instead')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this configuration instead of docdex.toml at the repository root')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors: the exit code tells the verdict')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: with --fix, a `wrote` or `deleted` line for every page')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'docdex;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Compare the committed pages with the pages their documents generate')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the page docdex expects for a document (its keyword page) or a page path')
            [CompletionResult]::new('install-hook', 'install-hook', [CompletionResultType]::ParameterValue, 'Install docdex as this repository''s git pre-commit (or pre-push) hook')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Manage the page cache docdex keeps in the git directory')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, elvish, fish, powershell or zsh)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) of docdex or of one of its subcommands')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'docdex;help;check' {
            break
        }
        'docdex;help;show' {
            break
        }
        'docdex;help;install-hook' {
            break
        }
        'docdex;help;cache' {
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove the cache (the next check renders every page and writes it again)')
            break
        }
        'docdex;help;cache;clear' {
            break
        }
        'docdex;help;completions' {
            break
        }
        'docdex;help;man' {
            break
        }
        'docdex;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}


use builtin;
use str;

set edit:completion:arg-completer[docdex] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'docdex'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'docdex'= {
            cand --config 'Read this configuration instead of docdex.toml at the repository root'
            cand --color 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]'
            cand -q 'Print nothing but errors: the exit code tells the verdict'
            cand --quiet 'Print nothing but errors: the exit code tells the verdict'
            cand -v 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand --verbose 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand check 'Compare the committed pages with the pages their documents generate'
            cand show 'Print the page docdex expects for a document (its keyword page) or a page path'
            cand install-hook 'Install docdex as this repository''s git pre-commit (or pre-push) hook'
            cand cache 'Manage the page cache docdex keeps in the git directory'
            cand completions 'Print a shell completion script (bash, elvish, fish, powershell or zsh)'
            cand man 'Print the man page (roff) of docdex or of one of its subcommands'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'docdex;check'= {
            cand --base 'Check only the pages that depend on what changed between merge-base(REV, head) and head, reading the head commit (for CI on branches and pull requests)'
            cand --head 'The head commit for --base'
            cand --rev 'Check every page of one commit''s tree'
            cand --diff 'Which findings the human report shows a diff for'
            cand --format 'Output format [default: github when GITHUB_ACTIONS=true, otherwise human]'
            cand -o 'Write the report to FILE instead of standard output (whole, then renamed into place: a reader never sees half of it; a FIFO or device is written through, a symlink followed; `-` is standard output)'
            cand --output 'Write the report to FILE instead of standard output (whole, then renamed into place: a reader never sees half of it; a FIFO or device is written through, a symlink followed; `-` is standard output)'
            cand --shard 'Check only shard K of N (1 ≤ K ≤ N): a stable 1/N of the pages by a hash of their path, so a CI matrix of N jobs covers every page exactly once'
            cand --config 'Read this configuration instead of docdex.toml at the repository root'
            cand --color 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]'
            cand --staged 'Read documents and pages from the index and check only the pages that depend on what is staged against HEAD (for pre-commit hooks)'
            cand --pre-commit 'Run as the pre-commit framework''s hook: a commit checks what is staged, a ref range (pre-push, --from-ref/--to-ref) what it changed, and --all-files, the manual stage or a run with nothing staged every page of the working tree'
            cand --fix 'Write every stale or missing page and delete every orphaned one in the working tree'
            cand --stage 'With --staged --fix: also write the fixed pages into the index'
            cand --force 'With --fix: overwrite pages even when they carry unstaged edits'
            cand --no-diff 'Same as --diff none: a header and a line of words for every finding, no diffs'
            cand --exit-zero 'Exit 0 even when pages need an update, as a step that uploads the report wants (errors still exit 2)'
            cand --no-cache 'Neither read nor update the page cache in the git directory: render every page. The cache never changes a verdict; this is for measuring, or for doubt'
            cand -q 'Print nothing but errors: the exit code tells the verdict'
            cand --quiet 'Print nothing but errors: the exit code tells the verdict'
            cand -v 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand --verbose 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'docdex;show'= {
            cand --config 'Read this configuration instead of docdex.toml at the repository root'
            cand --color 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]'
            cand -q 'Print nothing but errors: the exit code tells the verdict'
            cand --quiet 'Print nothing but errors: the exit code tells the verdict'
            cand -v 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand --verbose 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'docdex;install-hook'= {
            cand --config 'Read this configuration instead of docdex.toml at the repository root'
            cand --color 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]'
            cand --pre-push 'Install the pre-push hook (`docdex check --base @{upstream}`) instead of pre-commit'
            cand --force 'Replace an existing hook that docdex did not write'
            cand -q 'Print nothing but errors: the exit code tells the verdict'
            cand --quiet 'Print nothing but errors: the exit code tells the verdict'
            cand -v 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand --verbose 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'docdex;cache'= {
            cand --config 'Read this configuration instead of docdex.toml at the repository root'
            cand --color 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]'
            cand -q 'Print nothing but errors: the exit code tells the verdict'
            cand --quiet 'Print nothing but errors: the exit code tells the verdict'
            cand -v 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand --verbose 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand clear 'Remove the cache (the next check renders every page and writes it again)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'docdex;cache;clear'= {
            cand --config 'Read this configuration instead of docdex.toml at the repository root'
            cand --color 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]'
            cand -q 'Print nothing but errors: the exit code tells the verdict'
            cand --quiet 'Print nothing but errors: the exit code tells the verdict'
            cand -v 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand --verbose 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'docdex;cache;help'= {
            cand clear 'Remove the cache (the next check renders every page and writes it again)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'docdex;cache;help;clear'= {
        }
        &'docdex;cache;help;help'= {
        }
        &'docdex;completions'= {
            cand --config 'Read this configuration instead of docdex.toml at the repository root'
            cand --color 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]'
            cand -q 'Print nothing but errors: the exit code tells the verdict'
            cand --quiet 'Print nothing but errors: the exit code tells the verdict'
            cand -v 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand --verbose 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'docdex;man'= {
            cand --dir 'Write every page (docdex.1 and docdex-SUBCOMMAND.1) into DIR instead'
            cand --config 'Read this configuration instead of docdex.toml at the repository root'
            cand --color 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]'
            cand -q 'Print nothing but errors: the exit code tells the verdict'
            cand --quiet 'Print nothing but errors: the exit code tells the verdict'
            cand -v 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand --verbose 'Say more: with --fix, a `wrote` or `deleted` line for every page'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'docdex;help'= {
            cand check 'Compare the committed pages with the pages their documents generate'
            cand show 'Print the page docdex expects for a document (its keyword page) or a page path'
            cand install-hook 'Install docdex as this repository''s git pre-commit (or pre-push) hook'
            cand cache 'Manage the page cache docdex keeps in the git directory'
            cand completions 'Print a shell completion script (bash, elvish, fish, powershell or zsh)'
            cand man 'Print the man page (roff) of docdex or of one of its subcommands'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'docdex;help;check'= {
        }
        &'docdex;help;show'= {
        }
        &'docdex;help;install-hook'= {
        }
        &'docdex;help;cache'= {
            cand clear 'Remove the cache (the next check renders every page and writes it again)'
        }
        &'docdex;help;cache;clear'= {
        }
        &'docdex;help;completions'= {
        }
        &'docdex;help;man'= {
        }
        &'docdex;help;help'= {
        }
    ]
    $completions[$command]
}

# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_docdex_global_optspecs
    string join \n config= color= q/quiet v/verbose h/help V/version
end

function __fish_docdex_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_docdex_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_docdex_using_subcommand
    set -l cmd (__fish_docdex_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c docdex -n "__fish_docdex_needs_command" -l config -d 'Read this configuration instead of docdex.toml at the repository root' -r -F
complete -c docdex -n "__fish_docdex_needs_command" -l color -d 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]' -r -f -a "auto\t'Colour when stdout is a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb'
always\t'Always colour'
never\t'Never colour'"
complete -c docdex -n "__fish_docdex_needs_command" -s q -l quiet -d 'Print nothing but errors: the exit code tells the verdict'
complete -c docdex -n "__fish_docdex_needs_command" -s v -l verbose -d 'Say more: with --fix, a `wrote` or `deleted` line for every page'
complete -c docdex -n "__fish_docdex_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c docdex -n "__fish_docdex_needs_command" -s V -l version -d 'Print version'
complete -c docdex -n "__fish_docdex_needs_command" -f -a "check" -d 'Compare the committed pages with the pages their documents generate'
complete -c docdex -n "__fish_docdex_needs_command" -f -a "show" -d 'Print the page docdex expects for a document (its keyword page) or a page path'
complete -c docdex -n "__fish_docdex_needs_command" -f -a "install-hook" -d 'Install docdex as this repository\'s git pre-commit (or pre-push) hook'
complete -c docdex -n "__fish_docdex_needs_command" -f -a "cache" -d 'Manage the page cache docdex keeps in the git directory'
complete -c docdex -n "__fish_docdex_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, elvish, fish, powershell or zsh)'
complete -c docdex -n "__fish_docdex_needs_command" -f -a "man" -d 'Print the man page (roff) of docdex or of one of its subcommands'
complete -c docdex -n "__fish_docdex_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c docdex -n "__fish_docdex_using_subcommand check" -l base -d 'Check only the pages that depend on what changed between merge-base(REV, head) and head, reading the head commit (for CI on branches and pull requests)' -r
complete -c docdex -n "__fish_docdex_using_subcommand check" -l head -d 'The head commit for --base' -r
complete -c docdex -n "__fish_docdex_using_subcommand check" -l rev -d 'Check every page of one commit\'s tree' -r
complete -c docdex -n "__fish_docdex_using_subcommand check" -l diff -d 'Which findings the human report shows a diff for' -r -f -a "stale\t'The first 20 stale pages; every other finding one line (at most 10 per kind and status, then a count), and a table of counts: a screen or two at any scale'
all\t'A diff for every finding, a missing page\'s whole content included'
none\t'No diffs: a header and a line of words for every finding'"
complete -c docdex -n "__fish_docdex_using_subcommand check" -l format -d 'Output format [default: github when GITHUB_ACTIONS=true, otherwise human]' -r -f -a "human\t'Headers, words and coloured diffs for people'
json\t'One JSON document (schema in the README)'
github\t'GitHub Actions annotations, the human report, and a job summary'
sarif\t'SARIF 2.1.0 for code-scanning uploads'"
complete -c docdex -n "__fish_docdex_using_subcommand check" -s o -l output -d 'Write the report to FILE instead of standard output (whole, then renamed into place: a reader never sees half of it; a FIFO or device is written through, a symlink followed; `-` is standard output)' -r -F
complete -c docdex -n "__fish_docdex_using_subcommand check" -l shard -d 'Check only shard K of N (1 ≤ K ≤ N): a stable 1/N of the pages by a hash of their path, so a CI matrix of N jobs covers every page exactly once' -r
complete -c docdex -n "__fish_docdex_using_subcommand check" -l config -d 'Read this configuration instead of docdex.toml at the repository root' -r -F
complete -c docdex -n "__fish_docdex_using_subcommand check" -l color -d 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]' -r -f -a "auto\t'Colour when stdout is a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb'
always\t'Always colour'
never\t'Never colour'"
complete -c docdex -n "__fish_docdex_using_subcommand check" -l staged -d 'Read documents and pages from the index and check only the pages that depend on what is staged against HEAD (for pre-commit hooks)'
complete -c docdex -n "__fish_docdex_using_subcommand check" -l pre-commit -d 'Run as the pre-commit framework\'s hook: a commit checks what is staged, a ref range (pre-push, --from-ref/--to-ref) what it changed, and --all-files, the manual stage or a run with nothing staged every page of the working tree'
complete -c docdex -n "__fish_docdex_using_subcommand check" -l fix -d 'Write every stale or missing page and delete every orphaned one in the working tree'
complete -c docdex -n "__fish_docdex_using_subcommand check" -l stage -d 'With --staged --fix: also write the fixed pages into the index'
complete -c docdex -n "__fish_docdex_using_subcommand check" -l force -d 'With --fix: overwrite pages even when they carry unstaged edits'
complete -c docdex -n "__fish_docdex_using_subcommand check" -l no-diff -d 'Same as --diff none: a header and a line of words for every finding, no diffs'
complete -c docdex -n "__fish_docdex_using_subcommand check" -l exit-zero -d 'Exit 0 even when pages need an update, as a step that uploads the report wants (errors still exit 2)'
complete -c docdex -n "__fish_docdex_using_subcommand check" -l no-cache -d 'Neither read nor update the page cache in the git directory: render every page. The cache never changes a verdict; this is for measuring, or for doubt'
complete -c docdex -n "__fish_docdex_using_subcommand check" -s q -l quiet -d 'Print nothing but errors: the exit code tells the verdict'
complete -c docdex -n "__fish_docdex_using_subcommand check" -s v -l verbose -d 'Say more: with --fix, a `wrote` or `deleted` line for every page'
complete -c docdex -n "__fish_docdex_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c docdex -n "__fish_docdex_using_subcommand show" -l config -d 'Read this configuration instead of docdex.toml at the repository root' -r -F
complete -c docdex -n "__fish_docdex_using_subcommand show" -l color -d 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]' -r -f -a "auto\t'Colour when stdout is a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb'
always\t'Always colour'
never\t'Never colour'"
complete -c docdex -n "__fish_docdex_using_subcommand show" -s q -l quiet -d 'Print nothing but errors: the exit code tells the verdict'
complete -c docdex -n "__fish_docdex_using_subcommand show" -s v -l verbose -d 'Say more: with --fix, a `wrote` or `deleted` line for every page'
complete -c docdex -n "__fish_docdex_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c docdex -n "__fish_docdex_using_subcommand install-hook" -l config -d 'Read this configuration instead of docdex.toml at the repository root' -r -F
complete -c docdex -n "__fish_docdex_using_subcommand install-hook" -l color -d 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]' -r -f -a "auto\t'Colour when stdout is a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb'
always\t'Always colour'
never\t'Never colour'"
complete -c docdex -n "__fish_docdex_using_subcommand install-hook" -l pre-push -d 'Install the pre-push hook (`docdex check --base @{upstream}`) instead of pre-commit'
complete -c docdex -n "__fish_docdex_using_subcommand install-hook" -l force -d 'Replace an existing hook that docdex did not write'
complete -c docdex -n "__fish_docdex_using_subcommand install-hook" -s q -l quiet -d 'Print nothing but errors: the exit code tells the verdict'
complete -c docdex -n "__fish_docdex_using_subcommand install-hook" -s v -l verbose -d 'Say more: with --fix, a `wrote` or `deleted` line for every page'
complete -c docdex -n "__fish_docdex_using_subcommand install-hook" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c docdex -n "__fish_docdex_using_subcommand cache; and not __fish_seen_subcommand_from clear help" -l config -d 'Read this configuration instead of docdex.toml at the repository root' -r -F
complete -c docdex -n "__fish_docdex_using_subcommand cache; and not __fish_seen_subcommand_from clear help" -l color -d 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]' -r -f -a "auto\t'Colour when stdout is a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb'
always\t'Always colour'
never\t'Never colour'"
complete -c docdex -n "__fish_docdex_using_subcommand cache; and not __fish_seen_subcommand_from clear help" -s q -l quiet -d 'Print nothing but errors: the exit code tells the verdict'
complete -c docdex -n "__fish_docdex_using_subcommand cache; and not __fish_seen_subcommand_from clear help" -s v -l verbose -d 'Say more: with --fix, a `wrote` or `deleted` line for every page'
complete -c docdex -n "__fish_docdex_using_subcommand cache; and not __fish_seen_subcommand_from clear help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c docdex -n "__fish_docdex_using_subcommand cache; and not __fish_seen_subcommand_from clear help" -f -a "clear" -d 'Remove the cache (the next check renders every page and writes it again)'
complete -c docdex -n "__fish_docdex_using_subcommand cache; and not __fish_seen_subcommand_from clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c docdex -n "__fish_docdex_using_subcommand cache; and __fish_seen_subcommand_from clear" -l config -d 'Read this configuration instead of docdex.toml at the repository root' -r -F
complete -c docdex -n "__fish_docdex_using_subcommand cache; and __fish_seen_subcommand_from clear" -l color -d 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]' -r -f -a "auto\t'Colour when stdout is a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb'
always\t'Always colour'
never\t'Never colour'"
complete -c docdex -n "__fish_docdex_using_subcommand cache; and __fish_seen_subcommand_from clear" -s q -l quiet -d 'Print nothing but errors: the exit code tells the verdict'
complete -c docdex -n "__fish_docdex_using_subcommand cache; and __fish_seen_subcommand_from clear" -s v -l verbose -d 'Say more: with --fix, a `wrote` or `deleted` line for every page'
complete -c docdex -n "__fish_docdex_using_subcommand cache; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c docdex -n "__fish_docdex_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Remove the cache (the next check renders every page and writes it again)'
complete -c docdex -n "__fish_docdex_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c docdex -n "__fish_docdex_using_subcommand completions" -l config -d 'Read this configuration instead of docdex.toml at the repository root' -r -F
complete -c docdex -n "__fish_docdex_using_subcommand completions" -l color -d 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]' -r -f -a "auto\t'Colour when stdout is a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb'
always\t'Always colour'
never\t'Never colour'"
complete -c docdex -n "__fish_docdex_using_subcommand completions" -s q -l quiet -d 'Print nothing but errors: the exit code tells the verdict'
complete -c docdex -n "__fish_docdex_using_subcommand completions" -s v -l verbose -d 'Say more: with --fix, a `wrote` or `deleted` line for every page'
complete -c docdex -n "__fish_docdex_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c docdex -n "__fish_docdex_using_subcommand man" -l dir -d 'Write every page (docdex.1 and docdex-SUBCOMMAND.1) into DIR instead' -r -F
complete -c docdex -n "__fish_docdex_using_subcommand man" -l config -d 'Read this configuration instead of docdex.toml at the repository root' -r -F
complete -c docdex -n "__fish_docdex_using_subcommand man" -l color -d 'When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it]' -r -f -a "auto\t'Colour when stdout is a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb'
always\t'Always colour'
never\t'Never colour'"
complete -c docdex -n "__fish_docdex_using_subcommand man" -s q -l quiet -d 'Print nothing but errors: the exit code tells the verdict'
complete -c docdex -n "__fish_docdex_using_subcommand man" -s v -l verbose -d 'Say more: with --fix, a `wrote` or `deleted` line for every page'
complete -c docdex -n "__fish_docdex_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c docdex -n "__fish_docdex_using_subcommand help; and not __fish_seen_subcommand_from check show install-hook cache completions man help" -f -a "check" -d 'Compare the committed pages with the pages their documents generate'
complete -c docdex -n "__fish_docdex_using_subcommand help; and not __fish_seen_subcommand_from check show install-hook cache completions man help" -f -a "show" -d 'Print the page docdex expects for a document (its keyword page) or a page path'
complete -c docdex -n "__fish_docdex_using_subcommand help; and not __fish_seen_subcommand_from check show install-hook cache completions man help" -f -a "install-hook" -d 'Install docdex as this repository\'s git pre-commit (or pre-push) hook'
complete -c docdex -n "__fish_docdex_using_subcommand help; and not __fish_seen_subcommand_from check show install-hook cache completions man help" -f -a "cache" -d 'Manage the page cache docdex keeps in the git directory'
complete -c docdex -n "__fish_docdex_using_subcommand help; and not __fish_seen_subcommand_from check show install-hook cache completions man help" -f -a "completions" -d 'Print a shell completion script (bash, elvish, fish, powershell or zsh)'
complete -c docdex -n "__fish_docdex_using_subcommand help; and not __fish_seen_subcommand_from check show install-hook cache completions man help" -f -a "man" -d 'Print the man page (roff) of docdex or of one of its subcommands'
complete -c docdex -n "__fish_docdex_using_subcommand help; and not __fish_seen_subcommand_from check show install-hook cache completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c docdex -n "__fish_docdex_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "clear" -d 'Remove the cache (the next check renders every page and writes it again)'

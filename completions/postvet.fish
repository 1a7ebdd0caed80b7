# fish completion for postvet(1): commands, each command's options with their
# values, rule IDs for --select/--ignore/explain (from `postvet rules`, so
# never stale), file names for paths. Installed as
# share/fish/vendor_completions.d/postvet.fish.
# tests/completion_test.py checks the option lists against `postvet CMD --help`.

# The command the line runs: the first word if it is a command, else check
# (`postvet PATH` is `postvet check PATH`, src/cli/cli.cpp). Nothing while
# the first word is being typed.
function __postvet_command
    set -l words (commandline -opc)
    test (count $words) -ge 2; or return 1
    if contains -- $words[2] check show query parse rules explain diff probe tune
        echo $words[2]
    else
        echo check
    end
end

function __postvet_using
    set -l cmd (__postvet_command); and test "$cmd" = "$argv[1]"
end

function __postvet_first_word
    test (count (commandline -opc)) -eq 1
end

# Rule IDs and slugs (with their summary) from the postvet being completed.
function __postvet_rules
    set -l bin (commandline -opc)[1]
    string match -q -- '*/*' $bin; and test -x $bin; or set bin postvet
    $bin rules 2>/dev/null | string match -r '^PV\S+\s+\S+.*' | while read -l id slug severity fix summary
        printf '%s\t%s\n' $id $summary
        printf '%s\t%s\n' $slug $id
    end
end

# --select/--ignore take comma-separated lists: complete after the last comma.
function __postvet_rule_list
    set -l token (commandline -ct | string replace -r '^--(select|ignore)=' '')
    set -l head (string match -r '^.*,' -- $token)
    for rule in (__postvet_rules)
        printf '%s%s\n' "$head" $rule
    end
end

complete -c postvet -f
complete -c postvet -s h -l help -d 'Print help'
complete -c postvet -n __postvet_first_word -l version -d 'Print the version and git revision'
complete -c postvet -n __postvet_first_word -F -d 'Config dir or file (check)'
complete -c postvet -n __postvet_first_word -a check -d 'Lint config dirs or files (the default command)'
complete -c postvet -n __postvet_first_word -a show -d 'Print a file as Postfix reads it'
complete -c postvet -n __postvet_first_word -a query -d 'Look a string up in a regexp/pcre table'
complete -c postvet -n __postvet_first_word -a parse -d "Print a file's syntax tree"
complete -c postvet -n __postvet_first_word -a rules -d 'List every rule'
complete -c postvet -n __postvet_first_word -a explain -d "Show a rule's documentation"
complete -c postvet -n __postvet_first_word -a diff -d 'Review a change between two config versions'
complete -c postvet -n __postvet_first_word -a probe -d 'Live DNSBL health of the lists a config uses'
complete -c postvet -n __postvet_first_word -a tune -d 'Process limits, stress behaviour and memory advice'

# check (also while the first word is typed: `postvet --select ...` is a check)
set -l c '__postvet_using check; or __postvet_first_word'
complete -c postvet -n $c -F
complete -c postvet -n $c -l format -x -a 'auto text gcc json sarif github gitlab checkstyle' -d 'Report format'
complete -c postvet -n $c -l output -r -F -d 'Write the report to FILE'
complete -c postvet -n $c -l select -x -a '(__postvet_rule_list)' -d 'Only these rules'
complete -c postvet -n $c -l ignore -x -a '(__postvet_rule_list)' -d 'Skip these rules'
complete -c postvet -n $c -l fail-on -x -a 'error warning info' -d 'Lowest severity that makes the exit code 1'
complete -c postvet -n $c -l postfix-version -x -d 'Target Postfix version'
complete -c postvet -n $c -l diff -d 'Print the fixes as a unified diff'
complete -c postvet -n $c -l fix -d 'Apply the safe fixes'
complete -c postvet -n $c -l unsafe-fixes -d 'Also apply fixes that change behaviour'
complete -c postvet -n $c -l config -r -F -d 'Use this .postvet.cf'
complete -c postvet -n $c -l root -r -a '(__fish_complete_directories)' -d 'Root for absolute table paths'
complete -c postvet -n $c -l type -x -a 'main master regexp pcre' -d 'Kind of a lone file'
complete -c postvet -n $c -l template -x -a 'auto none jinja erb go' -d 'Which files are templates'
complete -c postvet -n $c -l vars -r -F -d 'JSON or YAML file of template variables'
complete -c postvet -n $c -l color -x -a 'auto always never' -d 'Colour the output'
complete -c postvet -n $c -l baseline -r -F -d 'Report only findings this baseline does not list'
complete -c postvet -n $c -l generate-baseline -r -F -d 'Record the findings in FILE'
complete -c postvet -n $c -l baseline-report -d 'List stale baseline entries'
complete -c postvet -n $c -l probe -d 'Also query the DNS lists live'
complete -c postvet -n $c -l resolver -x -d 'DNS server for the probe: IP[:PORT]'
complete -c postvet -n $c -l timeout -x -d 'Per-try query timeout (ms)'
complete -c postvet -n $c -l slow -x -d 'p95 answer time above which a list is slow (ms)'
complete -c postvet -n $c -l statistics -d 'Count the findings per rule'
complete -c postvet -n $c -l show-settings -d 'Print the effective .postvet.cf settings and their origin'
complete -c postvet -n $c -l stdin-filename -r -F -d 'Name of standard input (path -)'
complete -c postvet -n $c -s j -l jobs -x -d 'Lint this many config dirs at once'

# show
set -l c '__postvet_using show'
complete -c postvet -n $c -F
complete -c postvet -n $c -s x -l expand -d 'main.cf values after $-expansion'
complete -c postvet -n $c -l fields -d 'master.cf as postconf -F prints it'
complete -c postvet -n $c -l params -d 'master.cf -o overrides as postconf -P prints them'
complete -c postvet -n $c -l entries -d 'master.cf as postconf -M prints it'
complete -c postvet -n $c -l postfix-version -x -d 'Target Postfix version'

# query
set -l c '__postvet_using query'
complete -c postvet -n $c -F
complete -c postvet -n $c -l type -x -a 'regexp pcre' -d 'Table type'
complete -c postvet -n $c -l postfix-version -x -d 'Target Postfix version'

# parse
set -l c '__postvet_using parse'
complete -c postvet -n $c -F
complete -c postvet -n $c -l type -x -a 'main master regexp pcre' -d 'File type'
complete -c postvet -n $c -l echo -d 'Print the file back from the syntax tree'
complete -c postvet -n $c -l tree -d 'Print the syntax tree'

# rules
complete -c postvet -n '__postvet_using rules' -l format -x -a 'text json' -d 'Output format'

# explain
complete -c postvet -n '__postvet_using explain' -x -a '(__postvet_rules)'

# diff
set -l c '__postvet_using diff'
complete -c postvet -n $c -F
complete -c postvet -n $c -l git -x -d 'Compare PATH as of this git revision'
complete -c postvet -n $c -l format -x -a 'text json sarif github gitlab checkstyle gcc' -d 'Report format'
complete -c postvet -n $c -l fail-on -x -a 'error warning info' -d 'Lowest severity of a new finding that fails'
complete -c postvet -n $c -l config -r -F -d 'Use this .postvet.cf'

# probe
set -l c '__postvet_using probe'
complete -c postvet -n $c -F
complete -c postvet -n $c -l resolver -x -d 'DNS server for the probe: IP[:PORT]'
complete -c postvet -n $c -l timeout -x -d 'Per-try query timeout (ms)'
complete -c postvet -n $c -l slow -x -d 'p95 answer time above which a list is slow (ms)'
complete -c postvet -n $c -l tries -x -d 'Tries per query and server'
complete -c postvet -n $c -l deadline -x -d 'The whole probe ends after this many ms'
complete -c postvet -n $c -l samples -x -d 'Random not-listed names asked per zone'
complete -c postvet -n $c -l concurrency -x -d 'Queries in flight at once'
complete -c postvet -n $c -l format -x -a 'text gcc json sarif github gitlab checkstyle' -d 'Report format'
complete -c postvet -n $c -l fail-on -x -a 'error warning info' -d 'Lowest severity that makes the exit code 1'
complete -c postvet -n $c -l config -r -F -d 'Use this .postvet.cf'
complete -c postvet -n $c -l root -r -a '(__fish_complete_directories)' -d 'Root for absolute table paths'
complete -c postvet -n $c -l color -x -a 'auto always never' -d 'Colour the output'

# tune
set -l c '__postvet_using tune'
complete -c postvet -n $c -a '(__fish_complete_directories)'
complete -c postvet -n $c -l log -r -F -d 'Mail log to read (plain, gzip, xz or zstd; - for stdin)'
complete -c postvet -n $c -l memory -x -a auto -d 'Memory of the machine (4G, 512M) or auto'
complete -c postvet -n $c -l peak-clients -x -d 'Expected peak of concurrent SMTP clients'
complete -c postvet -n $c -l diff -d 'Print the suggested changes as a unified diff'
complete -c postvet -n $c -l format -x -a 'text json' -d 'Report format'
complete -c postvet -n $c -l config -r -F -d 'Use this .postvet.cf'
complete -c postvet -n $c -l root -r -a '(__fish_complete_directories)' -d 'Root for absolute table paths'
complete -c postvet -n $c -l postfix-version -x -d 'Target Postfix version'

# bash completion for postvet(1).
# Commands, each command's options, the values of --format/--fail-on/--color/
# --type, rule IDs and slugs for --select/--ignore/explain (asked of the
# postvet being completed, `postvet rules`, so they are never stale), and
# file names for paths. Needs no bash-completion helpers; installed as
# share/bash-completion/completions/postvet.
# tests/completion_test.py checks the option lists against `postvet CMD --help`.

_postvet_options() {
  case $1 in
    check) echo "--format --output --select --ignore --fail-on --postfix-version --diff --fix
      --unsafe-fixes --config --root --type --template --vars --color --baseline --generate-baseline --baseline-report
      --probe --resolver --timeout --slow --statistics --show-settings --stdin-filename --jobs -j --help -h" ;;
    show) echo "--expand -x --fields --params --entries --postfix-version --help -h" ;;
    query) echo "--type --postfix-version --help -h" ;;
    parse) echo "--type --echo --tree --help -h" ;;
    rules) echo "--format --help -h" ;;
    explain) echo "--help -h" ;;
    diff) echo "--git --format --fail-on --config --help -h" ;;
    probe) echo "--resolver --timeout --slow --tries --deadline --samples --concurrency --format
      --fail-on --config --root --color --help -h" ;;
    tune) echo "--log --memory --peak-clients --diff --format --config --root --postfix-version --help -h" ;;
  esac
}

# Rule IDs and slugs, from the postvet on the command line (or on PATH).
_postvet_rules() {
  local bin=${COMP_WORDS[0]} IFS=$' \t\n' id slug _
  [[ $bin == */* && -x $bin ]] || bin=postvet
  "$bin" rules 2>/dev/null | while read -r id slug _; do
    [[ $id == PV* ]] && printf '%s\n%s\n' "$id" "$slug"
  done
}

# File names (one a line, so blanks in names survive).
_postvet_files() {
  compopt -o filenames 2>/dev/null
  mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$1")
}

_postvet() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev="" cmd=""
  local commands="check show query parse rules explain diff probe tune"
  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  # `--select=PV1`: bash splits at '=' (COMP_WORDBREAKS).
  if [[ $cur == "=" ]]; then
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    cur=""
  elif [[ $prev == "=" ]] && ((COMP_CWORD > 1)); then
    prev=${COMP_WORDS[COMP_CWORD - 2]}
  fi
  # As postvet reads its arguments: a first word that is not a command
  # makes the whole line a `check` (src/cli/cli.cpp).
  if ((COMP_CWORD > 1)); then
    cmd=check
    [[ " $commands " == *" ${COMP_WORDS[1]} "* ]] && cmd=${COMP_WORDS[1]}
  fi

  case $prev in
    --select | --ignore)
      # A comma-separated list: complete the part after the last comma.
      local head="" tail=$cur
      if [[ $cur == *,* ]]; then
        head=${cur%,*},
        tail=${cur##*,}
      fi
      local IFS=$'\n'
      COMPREPLY=($(compgen -P "$head" -W "$(_postvet_rules)" -- "$tail"))
      return
      ;;
    --format)
      local formats="text gcc json sarif github gitlab checkstyle"
      [[ $cmd == check ]] && formats="auto $formats"
      COMPREPLY=($(compgen -W "$formats" -- "$cur"))
      return
      ;;
    --fail-on)
      COMPREPLY=($(compgen -W "error warning info" -- "$cur"))
      return
      ;;
    --color)
      COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
      return
      ;;
    --template)
      COMPREPLY=($(compgen -W "auto none jinja erb go" -- "$cur"))
      return
      ;;
    --type)
      if [[ $cmd == query ]]; then
        COMPREPLY=($(compgen -W "regexp pcre" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "main master regexp pcre" -- "$cur"))
      fi
      return
      ;;
    --memory)
      COMPREPLY=($(compgen -W "auto" -- "$cur"))
      return
      ;;
    --postfix-version | --timeout | --slow | --tries | --deadline | --samples | --concurrency | --jobs | -j | \
      --peak-clients | --resolver | --git)
      COMPREPLY=()
      return
      ;;
    --output | --config | --root | --baseline | --generate-baseline | --log)
      COMPREPLY=()
      _postvet_files "$cur"
      return
      ;;
  esac

  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then
      # `postvet -...` is `postvet check -...` (check is the default command).
      COMPREPLY=($(compgen -W "--version $(_postvet_options check)" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$commands" -- "$cur"))
      _postvet_files "$cur"
    fi
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_postvet_options "$cmd")" -- "$cur"))
  elif [[ $cmd == explain ]]; then
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$(_postvet_rules)" -- "$cur"))
  elif [[ $cmd != rules ]]; then
    COMPREPLY=()
    _postvet_files "$cur"
  fi
}

complete -F _postvet postvet

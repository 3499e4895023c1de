# Process supervision for host components. Sourced, never run.
# Each component has, under $TB:
#   etc/NAME.args     its command line, one argument a line (edit it, then `restart NAME`)
#   run/NAME.pid      the pid of the running process
#   run/NAME.sup.pid  the pid of its supervisor loop (restarts the process when it exits)
#   logs/NAME.log     everything it printed
# Processes are stopped by these pids only, never by name.

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

read_pid() { [ -f "$1" ] && cat "$1" 2>/dev/null || true; }

component_pid() { read_pid "$TB/run/$1.pid"; }

# One testbed runs on a host at a time: every checkout shares its addresses, ports and $TB_RUN
# (containerd's socket, netns mounts). $TB_RUN/owner names the state folder of the checkout
# whose testbed is up, so another checkout's up or down leaves it alone.
TB_OWNER_FILE=$TB_RUN/owner

# foreign_testbed: prints the other checkout's state folder while any of its processes lives.
foreign_testbed() {
  local owner pidfile
  owner=$(cat "$TB_OWNER_FILE" 2>/dev/null) || return 1
  [ -n "$owner" ] && [ "$owner" != "$TB" ] || return 1
  for pidfile in "$owner"/run/*.pid; do
    pid_alive "$(read_pid "$pidfile")" && { printf '%s\n' "$owner"; return 0; }
  done
  return 1
}

# refuse_foreign_testbed: stops with one sentence when another checkout's testbed is up.
refuse_foreign_testbed() {
  local other
  if other=$(foreign_testbed); then
    die "" "another checkout's testbed is up on this host (its state is in $other); run 'npm run testbed:down' in that checkout first"
  fi
}

# claim_testbed: makes this checkout the owner, or stops when another checkout's testbed is up.
claim_testbed() {
  refuse_foreign_testbed
  mkdir -p "$TB_RUN"
  printf '%s\n' "$TB" >"$TB_OWNER_FILE"
}

component_running() {
  local pid; pid=$(component_pid "$1")
  pid_alive "$pid"
}

# start_supervised NAME: runs the args file's command under a restart loop, in its own session so
# a Ctrl-C in the caller's terminal does not reach it.
start_supervised() {
  local name=$1 argsfile="$TB/etc/$1.args"
  [ -f "$argsfile" ] || die "$name" "no command line at $argsfile"
  mkdir -p "$TB/run" "$TB/logs"
  if pid_alive "$(read_pid "$TB/run/$name.sup.pid")" && component_running "$name"; then
    return 0
  fi
  stop_supervised "$name" quiet
  rm -f "$TB/run/$name.stop"
  setsid bash -c '
    name=$1 argsfile=$2 run=$3 log=$4
    echo $$ > "$run/$name.sup.pid"
    restarts=0
    while [ ! -e "$run/$name.stop" ]; do
      mapfile -t args < "$argsfile"
      echo "--- $(date -u +%FT%TZ) start: ${args[*]}" >> "$log"
      "${args[@]}" >> "$log" 2>&1 < /dev/null &
      child=$!
      echo "$child" > "$run/$name.pid"
      wait "$child"
      code=$?
      echo "--- $(date -u +%FT%TZ) exit $code" >> "$log"
      [ -e "$run/$name.stop" ] && break
      restarts=$((restarts + 1))
      # back off a little so a crash loop does not spin the CPU
      sleep $(( restarts < 5 ? 1 : 3 ))
    done
    rm -f "$run/$name.pid" "$run/$name.sup.pid"
  ' supervise "$name" "$argsfile" "$TB/run" "$TB/logs/$name.log" </dev/null >/dev/null 2>&1 &
  # wait until the supervisor has written the child pid
  wait_until 10 "$name pid" test -s "$TB/run/$name.pid" || die "$name" "did not start"
}

# stop_supervised NAME [quiet]: stops supervisor then process by pid, TERM then KILL.
stop_supervised() {
  local name=$1 sup pid
  mkdir -p "$TB/run"
  touch "$TB/run/$name.stop"
  sup=$(read_pid "$TB/run/$name.sup.pid")
  pid=$(read_pid "$TB/run/$name.pid")
  pid_alive "$pid" && kill -TERM "$pid" 2>/dev/null
  if pid_alive "$pid" && ! wait_until 20 "$name exit" bash -c "! kill -0 $pid"; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  if pid_alive "$sup"; then
    kill -TERM "$sup" 2>/dev/null
    wait_until 5 "$name supervisor exit" bash -c "! kill -0 $sup 2>/dev/null" || kill -KILL "$sup" 2>/dev/null || true
  fi
  rm -f "$TB/run/$name.pid" "$TB/run/$name.sup.pid"
  [ "${2:-}" = quiet ] || log "stopped $name"
}

# since PID: the start time of a process, for status lines.
process_since() { ps -o lstart= -p "$1" 2>/dev/null | sed 's/  */ /g;s/^ //'; }

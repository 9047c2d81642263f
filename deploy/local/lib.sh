# shellcheck shell=bash
# Shared by cluster.sh and sites.sh: messages, and background processes with pid files in
# $RUN_DIR. The caller sets RUN_DIR and LOG_PREFIX before sourcing this file.

say() { echo "$LOG_PREFIX: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

pid_of() {
  local pid_file="$RUN_DIR/$1.pid"
  [ -f "$pid_file" ] || return 1
  local pid
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    echo "$pid"
  else
    rm -f "$pid_file"
    return 1
  fi
}

# start NAME COMMAND...: runs the command in the background, in a session of its own so that it
# outlives this script and the caller's terminal, with its output in NAME.out.
start() {
  local name="$1"
  shift
  if pid_of "$name" >/dev/null; then
    say "$name already runs (pid $(pid_of "$name"))"
    return
  fi
  setsid nohup "$@" >"$RUN_DIR/$name.out" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
  say "$name started (pid $!, output $RUN_DIR/$name.out)"
}

# stop NAME: TERM, then KILL when the process has not exited after 30 s.
stop() {
  local name="$1" pid
  pid="$(pid_of "$name")" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name (pid $pid) did not stop in 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN_DIR/$name.pid"
  say "$name stopped"
}


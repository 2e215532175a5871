#!/usr/bin/env bash
# Stops the nodes that start-cluster.sh started, with SIGTERM: each drains (clients get
# close 1001), leaves the cluster and exits.
#
#   cluster-config/bin/stop-cluster.sh [--force]
#
# Waits up to ROOMCAST_STOP_TIMEOUT seconds (default 30) for every node to exit. A node
# still running then is reported, and with --force killed (SIGKILL). Logs are kept.
#
# Environment:
#   ROOMCAST_RUN_DIR      where start-cluster.sh wrote its pid files
#                         (default cluster-config/target/cluster-run)
#   ROOMCAST_STOP_TIMEOUT seconds to wait for the nodes to exit (default 30)
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(cd "$script_dir/../.." && pwd)
run_dir=${ROOMCAST_RUN_DIR:-$repo_dir/cluster-config/target/cluster-run}
stop_timeout=${ROOMCAST_STOP_TIMEOUT:-30}

die() {
  echo "stop-cluster: $*" >&2
  exit 1
}

force=false
case "${1:-}" in
  '') ;;
  --force) force=true ;;
  *)
    echo "usage: $0 [--force]" >&2
    exit 2
    ;;
esac
case "$stop_timeout" in
  '' | *[!0-9]*) die "ROOMCAST_STOP_TIMEOUT must be a number of seconds, not '$stop_timeout'" ;;
esac

# is_our_node PID PORT MANAGEMENT_PORT: the process runs and is the node recorded, not another that got its
# pid since. An exited node whose parent has not reaped it yet (a zombie) no longer counts.
is_our_node() {
  local args state
  state=$(ps -p "$1" -o stat= 2>/dev/null) || return 1
  case "$state" in
    *Z*) return 1 ;;
  esac
  args=$(ps -ww -p "$1" -o args= 2>/dev/null) || return 1
  case "$args" in
    *"--port $2 "*"--management-port $3"*) return 0 ;;
    *) return 1 ;;
  esac
}

pid_files=()
for pid_file in "$run_dir"/node-*.pid; do
  [ -e "$pid_file" ] && pid_files+=("$pid_file")
done
if [ ${#pid_files[@]} -eq 0 ]; then
  echo "stop-cluster: no nodes recorded in $run_dir; nothing to stop"
  exit 0
fi

running=()
for pid_file in "${pid_files[@]}"; do
  read -r pid port management_port < "$pid_file" || true
  node=$(basename "$pid_file" .pid)
  if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null && is_our_node "$pid" "$port" "$management_port"; then
    echo "stop-cluster: $node (pid $pid, ws=$port): SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
    running+=("$pid_file")
  else
    echo "stop-cluster: $node (pid ${pid:-?}) is not running"
    rm -f "$pid_file"
  fi
done

deadline=$((SECONDS + stop_timeout))
while [ ${#running[@]} -gt 0 ]; do
  still=()
  for pid_file in "${running[@]}"; do
    read -r pid port management_port < "$pid_file" || true
    if kill -0 "$pid" 2>/dev/null && is_our_node "$pid" "$port" "$management_port"; then
      still+=("$pid_file")
    else
      echo "stop-cluster: $(basename "$pid_file" .pid) (pid $pid) stopped"
      rm -f "$pid_file"
    fi
  done
  running=(${still[@]+"${still[@]}"})
  [ ${#running[@]} -gt 0 ] || break
  if [ "$SECONDS" -ge "$deadline" ]; then
    for pid_file in "${running[@]}"; do
      read -r pid _ < "$pid_file" || true
      if $force; then
        echo "stop-cluster: $(basename "$pid_file" .pid) (pid $pid) still running after $stop_timeout s: SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$pid_file"
      else
        echo "stop-cluster: $(basename "$pid_file" .pid) (pid $pid) still running after $stop_timeout s" \
          "(run again with --force to kill it)" >&2
      fi
    done
    $force || exit 1
    break
  fi
  sleep 0.2
done
echo "stop-cluster: done; logs kept in $run_dir"

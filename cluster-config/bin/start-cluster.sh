#!/usr/bin/env bash
# Starts N Roomcast gateway nodes on this machine as one cluster (the "loopback"
# cluster configuration), one after the other, each once the previous one is ready.
#
#   cluster-config/bin/start-cluster.sh N [BASE_PORT] [-- NODE_FLAG...]
#
# Node i (1..N) serves WebSocket on BASE_PORT+i-1 (default 8080, 8081, ...) and its
# management API on BASE_PORT+1000+i-1 (9080, 9081, ...). Flags after "--" go to every
# node, e.g. "-- --cluster-config /path/to/cluster.xml".
#
# Environment:
#   ROOMCAST_JAR            the node jar (default gateway/target/roomcast-gateway.jar)
#   ROOMCAST_RUN_DIR        logs and pid files (default cluster-config/target/cluster-run)
#   ROOMCAST_JAVA_OPTS      JVM options for every node, split on spaces
#                           (e.g. "-Xmx256m -Droomcast.cluster.config=/path/cluster.xml")
#   ROOMCAST_READY_TIMEOUT  seconds to wait for each node's ready line (default 60)
#   JAVA_HOME               the Java to use (default: java on PATH)
#
# Stop the nodes with cluster-config/bin/stop-cluster.sh (same ROOMCAST_RUN_DIR).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(cd "$script_dir/../.." && pwd)

jar=${ROOMCAST_JAR:-$repo_dir/gateway/target/roomcast-gateway.jar}
run_dir=${ROOMCAST_RUN_DIR:-$repo_dir/cluster-config/target/cluster-run}
ready_timeout=${ROOMCAST_READY_TIMEOUT:-60}
if [ -n "${JAVA_HOME:-}" ]; then
  java_bin="$JAVA_HOME/bin/java"
else
  java_bin=java
fi

die() {
  echo "start-cluster: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 N [BASE_PORT] [-- NODE_FLAG...]   (N nodes, 1..20; BASE_PORT default 8080)" >&2
  exit 2
}

is_number() {
  case "$1" in
    '' | *[!0-9]*) return 1 ;;
    *) return 0 ;;
  esac
}

# port_in_use PORT: something accepts connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

[ $# -ge 1 ] || usage
count=$1
shift
base_port=8080
if [ $# -ge 1 ] && [ "$1" != "--" ]; then
  base_port=$1
  shift
fi
node_flags=()
if [ $# -ge 1 ]; then
  [ "$1" = "--" ] || usage
  shift
  node_flags=("$@")
fi

is_number "$count" || usage
is_number "$base_port" || usage
is_number "$ready_timeout" || die "ROOMCAST_READY_TIMEOUT must be a number of seconds, not '$ready_timeout'"
# The loopback configuration gives members ports 5701-5720: no more than 20 nodes find each other.
[ "$count" -ge 1 ] && [ "$count" -le 20 ] || die "N must be between 1 and 20 (the loopback configuration's port range), not $count"
[ "$base_port" -ge 1 ] && [ $((base_port + 1000 + count - 1)) -le 65535 ] \
  || die "BASE_PORT $base_port leaves no room for $count WebSocket ports and $count management ports (BASE_PORT+1000...)"

[ -f "$jar" ] || die "no node jar at $jar
build it with: ./mvnw -B package -pl gateway -am -DskipTests   (or set ROOMCAST_JAR)"
command -v "$java_bin" >/dev/null 2>&1 || die "no java found (looked for '$java_bin'; set JAVA_HOME or put java on PATH)"

mkdir -p "$run_dir"
# A node recorded here and still alive means a cluster from this directory runs already.
for pid_file in "$run_dir"/node-*.pid; do
  [ -e "$pid_file" ] || continue
  read -r pid _ < "$pid_file" || true
  if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; then
    die "a node started from $run_dir still runs (pid $pid, $pid_file); stop it with $script_dir/stop-cluster.sh"
  fi
  rm -f "$pid_file"
done
rm -f "$run_dir"/node-*.log

for i in $(seq 1 "$count"); do
  for port in $((base_port + i - 1)) $((base_port + 1000 + i - 1)); do
    if port_in_use "$port"; then
      die "port $port is already in use on 127.0.0.1; choose another BASE_PORT"
    fi
  done
done

java_opts=()
if [ -n "${ROOMCAST_JAVA_OPTS:-}" ]; then
  # Deliberately split on spaces, the way JAVA_OPTS usually is.
  read -r -a java_opts <<< "$ROOMCAST_JAVA_OPTS"
fi

started=()
# On any failure, stop the nodes this run started, so that no half cluster is left behind.
cleanup_on_failure() {
  local status=$?
  if [ "$status" -ne 0 ] && [ ${#started[@]} -gt 0 ]; then
    for pid in "${started[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then
        echo "start-cluster: stopping pid $pid, started by this run" >&2
        kill -TERM "$pid" 2>/dev/null || true
      fi
    done
  fi
}
trap cleanup_on_failure EXIT

echo "start-cluster: $count node(s) from $jar; logs and pids in $run_dir"
for i in $(seq 1 "$count"); do
  port=$((base_port + i - 1))
  management_port=$((base_port + 1000 + i - 1))
  log="$run_dir/node-$i.log"
  # nohup: the nodes outlive the terminal that started them; stdin from /dev/null so none waits on it.
  nohup "$java_bin" ${java_opts[@]+"${java_opts[@]}"} -jar "$jar" --cluster --port "$port" \
    --management-port "$management_port" ${node_flags[@]+"${node_flags[@]}"} \
    < /dev/null > "$log" 2>&1 &
  pid=$!
  started+=("$pid")
  # pid, then the ports that identify the process for stop-cluster.sh.
  echo "$pid $port $management_port" > "$run_dir/node-$i.pid"

  deadline=$((SECONDS + ready_timeout))
  ready=""
  while :; do
    ready=$(sed -n 's/^roomcast ready \(.*\)$/\1/p' "$log" | head -n 1)
    [ -z "$ready" ] || break
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "start-cluster: node $i (pid $pid) exited before it was ready; the end of $log:" >&2
      tail -n 20 "$log" >&2 || true
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "start-cluster: node $i (pid $pid) not ready after $ready_timeout s; the end of $log:" >&2
      tail -n 20 "$log" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
  echo "node $i: pid $pid, $ready, log $log"
done

trap - EXIT
echo "start-cluster: $count node(s) ready; stop them with $script_dir/stop-cluster.sh"

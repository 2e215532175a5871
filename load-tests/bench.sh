#!/usr/bin/env bash
# Reproduces docs/BENCHMARKS.md: builds the gateway and the harness, installs the two peers
# (Node ws, Socket.IO) into load-tests/target/peers, then for each mode runs each server in turn
# pinned to core 0 with the harness pinned to core 1, and writes the table and the plots.
#
#   load-tests/bench.sh
#
# Environment (all optional):
#   BENCH_MODES    modes to run, default "idle connect fresh fanout100 fanout1000 crossnode"; also
#                  "churn" (fresh-room joins on 1, 3 and 5 nodes) and "storm" (a reconnect storm),
#                  which start their own nodes from CHURN_JARS and never touch the table or plots:
#                  their results and tables go to load-tests/target/bench/churn (see below);
#                  "history" (fan-out in rooms of 100 on one clustered node, rooms without and
#                  with history, and publishes/s into one history room) and "builds" (fan-out in
#                  rooms of 100 on one node, once per jar of CHURN_JARS), whose results go to
#                  load-tests/target/bench/side and whose figures the harness logs print
#   BENCH_SERVERS  servers to run, default "roomcast ws socketio" (crossnode is Roomcast only)
#   BENCH_QUICK=1  short steps and small counts: checks the pipeline in a few minutes, not figures
#   BENCH_BUILD=0  skips the build and uses the jars already built (e.g. built offline)
#   BENCH_JFR=1    also profiles Roomcast under fan-out (rooms of 100) with JFR, in a run of its own
#                  after the measured ones (a recording costs CPU: it never touches the table)
#   BENCH_DOCS     where the table and plots go, default docs (the Markdown is BENCH_DOCS/BENCHMARKS.md)
#   SERVER_CORE, GENERATOR_CORE   the cores to pin to, default 0 and 1
#   ROOMCAST_JAVA_OPTS   JVM options of the gateway nodes, default "-Xms64m -Xmx512m
#                        -XX:+UseShenandoahGC" (without the last where the JVM lacks it), as
#                        docs/OPERATIONS.md advises for production: a collector without long young
#                        pauses (the default's copying pauses are what limits connect storms), and
#                        a small -Xms so that it gives back the memory it no longer uses
#   CHURN_JARS     churn, storm and builds: the gateway jars to compare, comma-separated (default the one
#                  just built); e.g. "/path/to/old.jar,gateway/target/roomcast-gateway.jar"
#   CHURN_LABELS   their names in the tables, comma-separated (default each jar's file name)
#   CHURN_NODES    churn: the node counts, default "1,3,5"
#   CHURN_CPUS     churn and storm: the cores of every node (taskset -c), default SERVER_CORE
#                  ("all" for every core); the harness stays on GENERATOR_CORE
#   STORM_CLIENTS  storm: the clients, default 10000 (3 nodes, each client in 3 rooms)
#
# Raw results (JSON), logs and recordings stay in load-tests/target/bench. Every server this script
# starts is stopped when it exits, whatever the reason; every harness run has a time limit.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"

modes=${BENCH_MODES:-idle connect fresh fanout100 fanout1000 crossnode}
servers=${BENCH_SERVERS:-roomcast ws socketio}
quick=${BENCH_QUICK:-0}
jfr=${BENCH_JFR:-0}
docs=${BENCH_DOCS:-docs}
server_core=${SERVER_CORE:-0}
generator_core=${GENERATOR_CORE:-1}
default_java_opts="-Xms64m -Xmx512m"
if java -XX:+UseShenandoahGC -version > /dev/null 2>&1; then
  default_java_opts+=" -XX:+UseShenandoahGC"
fi
roomcast_java_opts=${ROOMCAST_JAVA_OPTS:-$default_java_opts}
out=$here/target/bench
results=$out/results
churn_results=$out/churn
side_results=$out/side
logs=$out/logs
bench_jar=$here/target/roomcast-bench.jar
gateway_jar=$repo/gateway/target/roomcast-gateway.jar
peers=$here/target/peers
churn_jars=${CHURN_JARS:-$gateway_jar}
churn_labels=${CHURN_LABELS:-}
churn_nodes=${CHURN_NODES:-1,3,5}
churn_cpus=${CHURN_CPUS:-$server_core}
storm_clients=${STORM_CLIENTS:-10000}

# churn and storm write results of their own; the other modes make the table and plots.
tabled=0
for mode in $modes; do
  case "$mode" in
    churn|storm|history|builds) ;;
    *) tabled=1 ;;
  esac
done

say() { echo "bench: $*"; }
die() { echo "bench: $*" >&2; exit 1; }

started=()
stop_servers() {
  local pid
  for pid in ${started[@]+"${started[@]}"}; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in ${started[@]+"${started[@]}"}; do
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  started=()
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

for tool in java node npm taskset timeout; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is needed"
done
[ "$(nproc --all)" -ge 2 ] || die "two cores are needed (server on one, generator on the other)"

# The harness holds up to ~20k sockets, as does each server (the storm: its clients, and those of
# the killed node twice for a moment): raise the soft limit to the hard one.
ulimit -n "$(ulimit -Hn)" || true
say "open files limit $(ulimit -n); load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "${BENCH_BUILD:-1}" = 0 ]; then
  [ -f "$bench_jar" ] && [ -f "$gateway_jar" ] || die "BENCH_BUILD=0 but $bench_jar or $gateway_jar is missing"
else
  say "building the gateway and the harness"
  ./mvnw -B -q package -DskipTests
fi

if [ "$tabled" = 1 ]; then
  say "installing the peers into $peers"
  mkdir -p "$peers"
  cp "$here"/peers/package.json "$here"/peers/.npmrc "$here"/peers/*.js "$peers"/
  (cd "$peers" && npm install --no-package-lock --no-audit --no-fund --loglevel=error >/dev/null)
  rm -f "$peers/package-lock.json" "$peers/node_modules/.package-lock.json"
  rm -rf "$results"
fi

rm -rf "$logs"
mkdir -p "$results" "$logs" "$churn_results" "$side_results"

# ready_port LOG PID: waits for a "... ready ws=PORT" line and prints PORT.
ready_port() {
  local log=$1 pid=$2 port
  for _ in $(seq 1 600); do
    port=$(sed -n 's/.* ready ws=\([0-9]*\).*/\1/p' "$log" | head -n 1)
    if [ -n "$port" ]; then
      echo "$port"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$log" >&2; die "the server (pid $pid) exited before it was ready"; }
    sleep 0.1
  done
  tail -n 20 "$log" >&2
  die "the server (pid $pid) was not ready in 60 s"
}

# A cluster configuration of our own: the shipped loopback one under a name no other cluster
# on this machine uses.
cluster_config=$out/cluster.xml
sed "s#<cluster-name>roomcast</cluster-name>#<cluster-name>roomcast-bench-$$</cluster-name>#" \
  cluster-config/src/main/resources/roomcast/cluster/loopback.xml > "$cluster_config"

# start_server KIND NAME [extra gateway flags...]: starts a server pinned to the server core and
# sets url and pid. The pid is the server process itself (taskset and nohup exec it).
start_server() {
  local kind=$1 name=$2
  shift 2
  local log=$logs/$name.log pid port
  case "$kind" in
    roomcast)
      read -r -a java_opts <<< "$roomcast_java_opts"
      # GC pauses go to a log of their own: they are the first suspect of a latency spike.
      nohup taskset -c "$server_core" java "${java_opts[@]}" "-Xlog:gc:file=$logs/$name-gc.log:uptime" \
        ${jfr_opts[@]+"${jfr_opts[@]}"} -jar "${server_jar:-$gateway_jar}" \
        --host 127.0.0.1 --port 0 --management-port 0 --conf "${server_conf:-$here/conf/bench-gateway.json}" "$@" \
        < /dev/null > "$log" 2>&1 &
      ;;
    ws)
      nohup taskset -c "$server_core" node --expose-gc "$peers/ws-peer.js" --port 0 < /dev/null > "$log" 2>&1 &
      ;;
    socketio)
      nohup taskset -c "$server_core" node --expose-gc "$peers/socketio-peer.js" --port 0 < /dev/null > "$log" 2>&1 &
      ;;
  esac
  pid=$!
  started+=("$pid")
  port=$(ready_port "$log" "$pid")
  pid_list+=("$pid")
  if [ "$kind" = socketio ]; then
    url_list+=("ws://127.0.0.1:$port/socket.io/?EIO=4&transport=websocket")
  else
    url_list+=("ws://127.0.0.1:$port/ws")
  fi
}

# harness MODE SERVER OUT [flags...]: runs the harness pinned to the generator core, bounded in time.
harness() {
  local mode=$1 server=$2 name=$3
  shift 3
  local urls pids
  urls=$(IFS=,; echo "${url_list[*]}")
  pids=$(IFS=,; echo "${pid_list[*]}")
  local file=${result_dir:-$results}/$name.json
  # A failed run leaves its row empty in the table; the other runs go on.
  timeout --kill-after=10 1800 taskset -c "$generator_core" java -Xms256m -Xmx1g "${generator_gc:--XX:+UseSerialGC}" -jar "$bench_jar" "$mode" \
    --server "$server" --url "$urls" --pid "$pids" --out "$file" "$@" 2>&1 | tee "$logs/$name-harness.log" \
    || say "the $mode run against $server failed: see $logs/$name-harness.log"
}

# nodes_harness MODE NAME [flags...]: runs a mode that starts its own nodes from each jar of
# CHURN_JARS (churn, storm), pinned to CHURN_CPUS, with the harness on the generator core, bounded
# in time. The harness stops its nodes when it ends, whatever the reason (a shutdown hook covers
# the time limit's SIGTERM).
nodes_harness() {
  local mode=$1 name=$2
  shift 2
  local build_flags=(--jar "$churn_jars" --node-java-opts "$roomcast_java_opts" --conf "$here/conf/bench-gateway.json")
  [ -z "$churn_labels" ] || build_flags+=(--labels "$churn_labels")
  [ "$churn_cpus" = all ] || build_flags+=(--cpus "$churn_cpus")
  timeout --kill-after=30 3600 taskset -c "$generator_core" java -Xms256m -Xmx1g -XX:+UseSerialGC -jar "$bench_jar" "$mode" \
    "${build_flags[@]}" --out "$churn_results/$name.json" --logs "$logs/$name-nodes" "$@" 2>&1 | tee "$logs/$name-harness.log" \
    || say "the $mode run failed: see $logs/$name-harness.log"
}

if [ "$quick" = 1 ]; then
  idle_flags=(--counts 1000,2000 --settle 1)
  connect_flags=(--warmup 500 --rates 500,1000,2000 --step-seconds 1 --refinements 0)
  fanout_flags=(--step-seconds 2 --warmup-seconds 1 --max-steps 4 --drain-seconds 2)
  fresh_flags=(--steps 3 --step-seconds 2 --generator-warmup-steps 1 --drain-seconds 2)
  churn_flags=(--nodes 1,2 --clients 20 --rooms-per-client 2 --idle-seconds 0.5)
  storm_flags=(--clients 300 --shared-rooms 20)
else
  idle_flags=(--counts 2500,5000,10000,15000,19500 --settle 3)
  connect_flags=(--warmup 2000 --rates 500,1000,2000,3000,4000,6000,8000,12000,16000,24000,32000 --step-seconds 3 --max-per-step 15000)
  fanout_flags=(--step-seconds 5 --warmup-seconds 5 --max-steps 14)
  fresh_flags=(--steps 12 --step-seconds 5 --generator-warmup-steps 4)
  churn_flags=(--nodes "$churn_nodes" --clients 200 --rooms-per-client 10 --in-flight 64)
  storm_flags=(--nodes 3 --clients "$storm_clients" --shared-rooms 100)
fi

run_mode() {
  local mode=$1 server=$2
  local name=$server-$mode
  url_list=()
  pid_list=()
  jfr_opts=()
  case "$mode" in
    idle)
      start_server "$server" "$name"
      harness idle "$server" "$name" "${idle_flags[@]}"
      ;;
    connect)
      # A ws peer on the generator's core warms the harness first: the fresh server's first
      # connects then measure the server, not a generator that has not compiled its own paths.
      local warm_log=$logs/$name-generator-warmup.log warm_pid warm_port
      nohup taskset -c "$generator_core" node "$peers/ws-peer.js" --port 0 < /dev/null > "$warm_log" 2>&1 &
      warm_pid=$!
      started+=("$warm_pid")
      warm_port=$(ready_port "$warm_log" "$warm_pid")
      start_server "$server" "$name"
      # Serial's young pauses in the generator, which holds up to 15,000 connections a step,
      # took 46-114 ms and were the p99 that ended the search for every server: Shenandoah here.
      generator_gc=-XX:+UseShenandoahGC harness connect "$server" "$name" "${connect_flags[@]}" \
        --generator-warmup-url "ws://127.0.0.1:$warm_port/ws"
      ;;
    fresh)
      # Fan-out through a fresh server's first minute. The harness warms up on a ws peer of its own
      # first; the server starts only once it has, and the harness learns it from a file.
      local warm_log=$logs/$name-generator-warmup.log warm_pid warm_port harness_pid
      local url_file=$out/$name.url
      rm -f "$url_file" "$url_file.tmp"
      nohup taskset -c "$generator_core" node "$peers/ws-peer.js" --port 0 < /dev/null > "$warm_log" 2>&1 &
      warm_pid=$!
      started+=("$warm_pid")
      warm_port=$(ready_port "$warm_log" "$warm_pid")
      timeout --kill-after=10 900 taskset -c "$generator_core" java -Xms256m -Xmx1g -XX:+UseSerialGC -jar "$bench_jar" fresh \
        --server "$server" --out "$results/$name.json" --url-file "$url_file" \
        --generator-warmup-url "ws://127.0.0.1:$warm_port/ws" --generator-warmup-pid "$warm_pid" \
        --rooms 10 --members 100 --start-rate 40000 --warmup-seconds 0 --second-try 0 "${fresh_flags[@]}" \
        > "$logs/$name-harness.log" 2>&1 &
      harness_pid=$!
      until grep -q "generator warm;" "$logs/$name-harness.log" 2>/dev/null; do
        kill -0 "$harness_pid" 2>/dev/null || break
        sleep 0.2
      done
      kill -TERM "$warm_pid" 2>/dev/null || true
      start_server "$server" "$name"
      printf '%s\n%s\n' "${url_list[0]}" "${pid_list[0]}" > "$url_file.tmp"
      mv "$url_file.tmp" "$url_file"
      wait "$harness_pid" || say "the fresh run against $server failed: see $logs/$name-harness.log"
      grep -E "^fresh|^fanout" "$logs/$name-harness.log" || true
      ;;
    fanout100)
      start_server "$server" "$name"
      harness fanout "$server" "$name" --rooms 10 --members 100 --start-rate 20000 --reference-rate 10000 \
        --reference-seconds 10 "${fanout_flags[@]}"
      ;;
    fanout1000)
      start_server "$server" "$name"
      harness fanout "$server" "$name" --rooms 2 --members 1000 --start-rate 20000 "${fanout_flags[@]}"
      ;;
    crossnode)
      [ "$server" = roomcast ] || return 0
      start_server roomcast "$name-1" --cluster --cluster-config "$cluster_config"
      start_server roomcast "$name-2" --cluster --cluster-config "$cluster_config"
      harness crossnode roomcast "$name" --rooms 10 --members 100 --start-rate 20000 --reference-rate 10000 \
        --reference-seconds 10 "${fanout_flags[@]}"
      ;;
    churn)
      [ "$server" = roomcast ] || return 0
      nodes_harness churn churn "${churn_flags[@]}"
      ;;
    storm)
      [ "$server" = roomcast ] || return 0
      nodes_harness storm storm "${storm_flags[@]}"
      ;;
    history)
      # One clustered node, so that history lives in Hazelcast as in production: the same rooms
      # without history, then with it (conf/bench-history.json keeps history in hist-* rooms).
      [ "$server" = roomcast ] || return 0
      start_server roomcast "$name-plain" --cluster --cluster-config "$cluster_config"
      result_dir=$side_results harness fanout roomcast history-plain --rooms 10 --members 100 --start-rate 20000 \
        "${fanout_flags[@]}"
      stop_servers
      url_list=()
      pid_list=()
      server_conf=$here/conf/bench-history.json start_server roomcast "$name-kept" --cluster --cluster-config "$cluster_config"
      result_dir=$side_results harness fanout roomcast history-kept --room-prefix hist- --rooms 10 --members 100 \
        --start-rate 20000 "${fanout_flags[@]}"
      # Publishes/s into one history room: one publisher, one member, so deliveries are publishes.
      result_dir=$side_results harness fanout roomcast history-one-room --room-prefix hist-one- --rooms 1 --members 2 \
        --start-rate 2000 "${fanout_flags[@]}"
      ;;
    builds)
      [ "$server" = roomcast ] || return 0
      local jars labels i label
      IFS=, read -r -a jars <<< "$churn_jars"
      IFS=, read -r -a labels <<< "${churn_labels:-}"
      for i in "${!jars[@]}"; do
        label=${labels[$i]:-$(basename "${jars[$i]}" .jar)}
        url_list=()
        pid_list=()
        server_jar=${jars[$i]} start_server roomcast "$name-$label"
        result_dir=$side_results harness fanout roomcast "builds-$label" --rooms 10 --members 100 --start-rate 20000 \
          "${fanout_flags[@]}"
        stop_servers
      done
      ;;
    *)
      die "unknown mode $mode"
      ;;
  esac
  stop_servers
}

for mode in $modes; do
  for server in $servers; do
    case "$mode" in
      crossnode|churn|storm|history|builds) [ "$server" = roomcast ] || continue ;;
    esac
    say "$mode against $server (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    run_mode "$mode" "$server"
  done
done

if [ "$jfr" = 1 ]; then
  say "profiling Roomcast under fan-out with JFR"
  recording=$out/profile/roomcast-fanout100.jfr
  mkdir -p "$out/profile"
  url_list=()
  pid_list=()
  jfr_opts=(-XX:StartFlightRecording=filename=$recording,settings=profile,dumponexit=true)
  start_server roomcast roomcast-profile
  result_dir=$out/profile harness fanout roomcast roomcast-profile --rooms 10 --members 100 \
    --start-rate "${BENCH_JFR_RATE:-60000}" --growth 1.25 "${fanout_flags[@]}"
  stop_servers
  jfr_opts=()
  java -jar "$bench_jar" jfr --file "$recording" --out "$out/profile/roomcast-fanout100-jfr.md" > /dev/null
  say "JFR summary in $out/profile/roomcast-fanout100-jfr.md (recording $recording)"
fi

if [ "$tabled" = 1 ]; then
  java -jar "$bench_jar" report --results "$results" --docs "$docs" --markdown "$docs/BENCHMARKS.md"
  say "done: $docs/BENCHMARKS.md, raw results in $results"
else
  say "done: results in $churn_results and $side_results (their figures are in the harness logs above)"
fi

#!/usr/bin/env bash
# A real local cluster from Maven artifacts: a single-node Kafka (KRaft) and a Flink standalone
# session cluster (JobManager and TaskManager), each its own JVM process, every listener on
# 127.0.0.1.
#
#   deploy/local/cluster.sh up        start Kafka, create the topics, start Flink, submit the jobs
#                                     when the jobs jar is built (see deploy/README.md), and start
#                                     the simulated sites of sites.sh (ARGOSY_SITES="" for none)
#   deploy/local/cluster.sh status    what runs, the Flink overview and the Kafka topics
#   deploy/local/cluster.sh submit JAR ENTRY-CLASS [ARGS...]   run a job through the REST API
#   deploy/local/cluster.sh down      stop everything (TERM, then KILL after a grace period)
#
# Settings (environment): ARGOSY_RUN_DIR (pid files, logs, data; default deploy/local/run),
# ARGOSY_KAFKA_PORT (9092), ARGOSY_KAFKA_CONTROLLER_PORT (9093), ARGOSY_FLINK_REST_PORT (8081),
# ARGOSY_FLINK_RPC_PORT (6123), ARGOSY_JOBS_JAR (argosy-cli/target/argosy-jobs.jar),
# ARGOSY_MVN_OPTS (extra Maven options, e.g. -o).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUN_DIR="${ARGOSY_RUN_DIR:-$HERE/run}"
KAFKA_PORT="${ARGOSY_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${ARGOSY_KAFKA_CONTROLLER_PORT:-9093}"
FLINK_REST_PORT="${ARGOSY_FLINK_REST_PORT:-8081}"
FLINK_RPC_PORT="${ARGOSY_FLINK_RPC_PORT:-6123}"
JOBS_JAR="${ARGOSY_JOBS_JAR:-$ROOT/argosy-cli/target/argosy-jobs.jar}"
JOB_PARALLELISM="$(sed -n 's/^parallelism.default: *\([0-9][0-9]*\).*/\1/p' "$HERE/conf/flink-config.yaml")"
HOST=127.0.0.1
# shellcheck disable=SC2034 # read by lib.sh
LOG_PREFIX=cluster
LOG_CONFIG="-Dlog4j2.configurationFile=$HERE/conf/log4j2.properties"
BOOTSTRAP="$HOST:$KAFKA_PORT"
REST="http://$HOST:$FLINK_REST_PORT"
# JobManager and TaskManager stop in this order's reverse, after the jobs that use Kafka
COMPONENTS=(kafka jobmanager taskmanager)

# Flink (Kryo, closures) needs these on Java 17, as in the project's ./argosy launcher.
JAVA_OPENS=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED)

# shellcheck source=deploy/local/lib.sh
. "$HERE/lib.sh"

# The class path of one profile of deploy/local/pom.xml (flink or kafka), resolved once.
classpath() {
  local file="$RUN_DIR/$1.classpath"
  if [ ! -s "$file" ] || [ "$HERE/pom.xml" -nt "$file" ] || [ "$ROOT/pom.xml" -nt "$file" ]; then
    say "resolving the $1 class path with Maven ..."
    # shellcheck disable=SC2086 # ARGOSY_MVN_OPTS is a list of options
    mvn -B -q ${ARGOSY_MVN_OPTS:-} -f "$HERE/pom.xml" -P "$1" dependency:build-classpath \
      -Dmdep.outputFile="$file" >"$RUN_DIR/maven-$1.log" 2>&1 ||
      fail "Maven could not resolve the $1 class path; see $RUN_DIR/maven-$1.log"
  fi
  cat "$file"
}

# await DESCRIPTION SECONDS COMMAND...: retries the command every half second.
await() {
  local what="$1" seconds="$2"
  shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  fail "$what not ready after $seconds s; logs in $RUN_DIR"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

kafka_tool() {
  java -Xmx256m -Dlog4j2.configurationFile="$HERE/conf/log4j2-tools.properties" \
    -cp "$(classpath kafka)" "$@"
}

kafka_up() {
  local dir="$RUN_DIR/kafka" cp
  mkdir -p "$dir"
  cp="$(classpath kafka)"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@DATA_DIR@|$dir/data|g" "$HERE/conf/server.properties" >"$dir/server.properties"
  if [ ! -f "$dir/data/meta.properties" ]; then
    kafka_tool kafka.tools.StorageTool format --cluster-id "$(kafka_tool kafka.tools.StorageTool random-uuid)" \
      --config "$dir/server.properties" --ignore-formatted >"$RUN_DIR/kafka-format.log" 2>&1 ||
      fail "formatting Kafka's storage failed; see $RUN_DIR/kafka-format.log"
  fi
  start kafka java "$LOG_CONFIG" -Xmx1g -Dlog.file="$RUN_DIR/kafka.log" -cp "$cp" kafka.Kafka "$dir/server.properties"
  await "Kafka on $BOOTSTRAP" 90 kafka_tool org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$BOOTSTRAP" --list
}

# The topics of topics.txt (one line each: name partitions config...), created when missing.
topics_up() {
  local name partitions configs args
  while read -r name partitions configs; do
    case "$name" in '' | '#'*) continue ;; esac
    args=()
    for c in $configs; do args+=(--config "$c"); done
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create \
      --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor 1 "${args[@]}" \
      >>"$RUN_DIR/topics.log" 2>&1 || fail "creating topic $name failed; see $RUN_DIR/topics.log"
  done <"$HERE/topics.txt"
  say "topics: $(grep -cv '^#' "$HERE/topics.txt") from topics.txt"
}

flink_conf() {
  local conf="$RUN_DIR/flink/conf"
  mkdir -p "$conf" "$RUN_DIR/flink/tmp" "$RUN_DIR/flink/uploads"
  sed -e "s|@FLINK_REST_PORT@|$FLINK_REST_PORT|g" -e "s|@FLINK_RPC_PORT@|$FLINK_RPC_PORT|g" \
    -e "s|@FLINK_DIR@|$RUN_DIR/flink|g" "$HERE/conf/flink-config.yaml" >"$conf/config.yaml"
  echo "$conf"
}

# Heap and memory settings the way Flink's own start scripts compute them (BashJavaUtils):
# line 1 the JVM options, line 2 the dynamic properties.
flink_resources() {
  java -cp "$(classpath flink)" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" \
    --configDir "$2" 2>/dev/null | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

flink_up() {
  local conf cp jm tm
  conf="$(flink_conf)"
  cp="$(classpath flink)"
  mapfile -t jm < <(flink_resources GET_JM_RESOURCE_PARAMS "$conf")
  mapfile -t tm < <(flink_resources GET_TM_RESOURCE_PARAMS "$conf")
  if [ ${#jm[@]} -ne 2 ] || [ ${#tm[@]} -ne 2 ]; then
    fail "Flink's memory settings could not be computed"
  fi
  # shellcheck disable=SC2086 # the computed options are lists of words
  start jobmanager java "$LOG_CONFIG" ${jm[0]} "${JAVA_OPENS[@]}" -Dlog.file="$RUN_DIR/jobmanager.log" \
    -cp "$cp" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    --configDir "$conf" ${jm[1]}
  await "Flink REST API on $REST" 90 curl -sf "$REST/overview"
  # shellcheck disable=SC2086
  start taskmanager java "$LOG_CONFIG" ${tm[0]} "${JAVA_OPENS[@]}" -Dlog.file="$RUN_DIR/taskmanager.log" \
    -cp "$cp" org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$conf" ${tm[1]}
  await "a registered TaskManager" 90 taskmanager_registered
  say "Flink web UI: $REST"
}

taskmanager_registered() {
  curl -sf "$REST/overview" | grep -q '"taskmanagers":[1-9]'
}

# submit JAR ENTRY-CLASS ARGS...: upload the jar and run it; prints the job id.
submit() {
  local jar="$1" entry_class="$2" upload jar_id args
  shift 2
  [ -f "$jar" ] || fail "no such jar: $jar"
  upload="$(curl -sf -X POST -H "Expect:" -F "jarfile=@$jar" "$REST/jars/upload")" ||
    fail "uploading $jar to $REST failed"
  jar_id="$(sed -n 's|.*"filename":"[^"]*/\([^"/]*\)".*|\1|p' <<<"$upload")"
  [ -n "$jar_id" ] || fail "unexpected upload answer: $upload"
  args="$(printf '%s\n' "$@" | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/' | paste -sd, -)"
  # A REST run request without a parallelism runs the job at 1, not at parallelism.default.
  curl -sf -X POST -H "Content-Type: application/json" \
    -d "{\"entryClass\":\"$entry_class\",\"parallelism\":$JOB_PARALLELISM,\"programArgsList\":[${args}]}" \
    "$REST/jars/$jar_id/run" | sed -n 's/.*"jobid":"\([0-9a-f]*\)".*/\1/p' | grep . ||
    fail "running $entry_class from $jar failed; see $RUN_DIR/jobmanager.out and jobmanager.log"
}

# The report and alert jobs with the arguments of k8s/base/flink/*-job.yaml, on the local Kafka.
jobs_up() {
  if [ ! -f "$JOBS_JAR" ]; then
    say "no jobs jar at $JOBS_JAR: the cluster runs without jobs (build it, then run up again)"
    return
  fi
  local files="$ROOT/k8s/base/flink/files"
  say "report job: $(submit "$JOBS_JAR" org.argosy.cli.Argosy jobs --reports "$files/daily-reports.yaml" --bootstrap "$BOOTSTRAP")"
  say "alert job: $(submit "$JOBS_JAR" org.argosy.cli.Argosy jobs --alerts "$files/alert-rules.yaml" --bootstrap "$BOOTSTRAP" --group argosy-alerts)"
}

up() {
  command -v java >/dev/null || fail "java not found: install a Java 17 JDK"
  command -v mvn >/dev/null || fail "Maven not found: apt-get install maven"
  command -v curl >/dev/null || fail "curl not found: apt-get install curl"
  mkdir -p "$RUN_DIR"
  kafka_up
  topics_up
  flink_up
  jobs_up
  if [ -n "${ARGOSY_SITES-site-a site-b}" ]; then
    "$HERE/sites.sh" up
  fi
}

down() {
  local i
  # sensors first: they drain to Kafka before it stops
  "$HERE/sites.sh" down
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    stop "${COMPONENTS[i]}"
  done
}

status() {
  local name pid running=0
  for name in "${COMPONENTS[@]}"; do
    if pid="$(pid_of "$name")"; then
      echo "$name: running (pid $pid)"
      running=$((running + 1))
    else
      echo "$name: stopped"
    fi
  done
  if pid_of jobmanager >/dev/null; then
    echo "flink overview: $(curl -sf "$REST/overview" || echo unreachable)"
  fi
  if [ -n "${ARGOSY_SITES-site-a site-b}" ]; then
    "$HERE/sites.sh" status || true
  fi
  if pid_of kafka >/dev/null; then
    echo "kafka topics: $(kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --list 2>/dev/null | paste -sd' ' -)"
  fi
  # exit status: 0 all running, 3 none (as init scripts do), 1 some
  [ "$running" -eq "${#COMPONENTS[@]}" ] && return 0
  [ "$running" -eq 0 ] && return 3
  return 1
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  submit)
    shift
    [ $# -ge 2 ] || fail "usage: $0 submit JAR ENTRY-CLASS [ARGS...]"
    submit "$@"
    ;;
  *)
    echo "usage: $0 up|down|status|submit JAR ENTRY-CLASS [ARGS...]" >&2
    exit 2
    ;;
esac

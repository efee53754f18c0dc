#!/usr/bin/env bash
# A throw-away Slurm 22.05 cluster on loopback, for the Slurm source's tests.
#
#   scripts/slurm-cluster.sh up DIR [PORT] [--accounting]
#                                             start it under DIR (emptied first)
#   scripts/slurm-cluster.sh down DIR         stop what `up` started (by recorded PID)
#   scripts/slurm-cluster.sh ctld-stop DIR    stop only slurmctld (the controller "goes away")
#   scripts/slurm-cluster.sh ctld-start DIR   start slurmctld again
#
# PORT (default 17817) is the controller's port; the cluster uses PORT..PORT+9:
# PORT+1 slurmd's default, PORT+2..PORT+6 one per node, PORT+7 MariaDB and
# PORT+8 slurmdbd (with --accounting), PORT+9 slurmrestd.
#
# --accounting adds Slurm's accounting: MariaDB (datadir DIR/mariadb) and
# slurmdbd on loopback, the cluster registered in it, gres/gpu as a tracked
# TRES and limits enforced (AccountingStorageEnforce=associations,limits,safe):
# jobs need an association, and a job whose GPU-minutes would pass its
# account's GrpTRESMins stays pending. Needs Debian's slurmdbd and
# mariadb-server too (./kairr test installs them).
#   scripts/slurm-cluster.sh dbd-stop DIR / dbd-start DIR   stop / start slurmdbd only
#
# Layout: partition `gpu` = g1, g2 (8 x a100 each), g3 (4 untyped GPUs), g4
# (8 x a100, no slurmd: it turns NOT_RESPONDING); partition `cpu` = c1. GPUs are
# fake character devices (gres/gpu drops GPUs without File=). Runs as root, no
# systemd: munged on a private socket, slurmctld, one slurmd per node (-N),
# slurmrestd over TCP with JWT (SLURM_JWT=daemon, auth/jwt as AuthAltTypes).
# Writes DIR/env (SLURM_CONF=…), DIR/jwt.token (2 h token), DIR/restd.url.
# Needs Debian's slurm-wlm slurmctld slurmd slurmrestd slurm-client munge
# slurm-wlm-jwt-plugin (./kairr test installs them).
set -uo pipefail

die() { printf 'slurm-cluster: %s\n' "$*" >&2; exit 1; }
alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

start_ctld() {
  local base="$1"
  setsid slurmctld -D -i -f "$base/etc/slurm.conf" >>"$base/log/slurmctld.out" 2>&1 </dev/null &
  echo $! >"$base/pids/slurmctld.pid"
  local i
  for i in $(seq 150); do
    alive "$(cat "$base/pids/slurmctld.pid")" || { cat "$base/log/slurmctld.out" >&2; die "slurmctld died"; }
    # Bounded: with the controller down every client call retries for 10 s or more.
    timeout 2 sinfo -h >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "slurmctld does not answer (see $base/log/slurmctld.log)"
}

# stop_pids FILE...: TERM the recorded processes, wait up to 10 s each, then KILL.
stop_pids() {
  local pids=() f p i
  for f in "$@"; do
    [ -f "$f" ] || continue
    p="$(cat "$f")"
    kill "$p" 2>/dev/null && pids+=("$p")
    rm -f "$f"
  done
  for p in "${pids[@]}"; do
    for i in $(seq 100); do alive "$p" || break; sleep 0.1; done
    alive "$p" && kill -9 "$p" 2>/dev/null
  done
  return 0
}

write_config() {
  local base="$1" port="$2" accounting="$3" host acct
  host="$(hostname -s)"
  acct="AccountingStorageType=accounting_storage/none"
  if [ "$accounting" = 1 ]; then
    # AccountingStoragePass is where clients find munge for slurmdbd (AuthInfo is not used for it).
    acct="AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$((port + 8))
AccountingStoragePass=$base/munge/munge.sock
AccountingStorageTRES=gres/gpu
AccountingStorageEnforce=associations,limits,safe
PriorityType=priority/multifactor
PriorityDecayHalfLife=0
PriorityUsageResetPeriod=NONE"
    cat >"$base/etc/slurmdbd.conf" <<EOF
AuthType=auth/munge
AuthInfo=socket=$base/munge/munge.sock
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=$((port + 8))
SlurmUser=root
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$((port + 7))
StorageUser=slurm
StoragePass=kairr-test
StorageLoc=slurm_acct_db
PidFile=$base/state/slurmdbd.pid
LogFile=$base/log/slurmdbd.log
DebugLevel=info
EOF
    chmod 600 "$base/etc/slurmdbd.conf"
  fi
  cat >"$base/etc/slurm.conf" <<EOF
ClusterName=kairrtest
SlurmctldHost=${host}(127.0.0.1)
SlurmctldPort=${port}
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$base/munge/munge.sock
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$base/state/jwt_hs256.key
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool/%n
SlurmctldPidFile=$base/state/slurmctld.pid
SlurmdPidFile=$base/spool/slurmd-%n.pid
SlurmctldLogFile=$base/log/slurmctld.log
SlurmdLogFile=$base/log/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
$acct
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=1,sched_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
GresTypes=gpu
SlurmdParameters=config_overrides
ReturnToService=2
SlurmdTimeout=6
InactiveLimit=0
MinJobAge=300
KillWait=2
Waittime=0
NodeName=g1 NodeHostname=${host} NodeAddr=127.0.0.1 Port=$((port + 2)) CPUs=64 RealMemory=512000 Gres=gpu:a100:8 State=UNKNOWN
NodeName=g2 NodeHostname=${host} NodeAddr=127.0.0.1 Port=$((port + 3)) CPUs=64 RealMemory=512000 Gres=gpu:a100:8 State=UNKNOWN
NodeName=g3 NodeHostname=${host} NodeAddr=127.0.0.1 Port=$((port + 4)) CPUs=32 RealMemory=256000 Gres=gpu:4 State=UNKNOWN
NodeName=g4 NodeHostname=${host} NodeAddr=127.0.0.1 Port=$((port + 5)) CPUs=64 RealMemory=512000 Gres=gpu:a100:8 State=UNKNOWN
NodeName=c1 NodeHostname=${host} NodeAddr=127.0.0.1 Port=$((port + 6)) CPUs=32 RealMemory=128000 State=UNKNOWN
PartitionName=gpu Nodes=g[1-4] MaxTime=2-00:00:00 State=UP
PartitionName=cpu Nodes=c1 Default=YES MaxTime=INFINITE State=UP
EOF
  cat >"$base/etc/gres.conf" <<EOF
AutoDetect=off
NodeName=g[1-2],g4 Name=gpu Type=a100 File=$base/fakedev/nvidia[0-7]
NodeName=g3 Name=gpu File=$base/fakedev/nvidia[0-3]
EOF
}

# start_accounting BASE PORT: MariaDB and slurmdbd, with the cluster registered.
start_accounting() {
  local base="$1" port="$2" i
  mkdir -p "$base/mariadb"
  mariadb-install-db --user=root --datadir="$base/mariadb/data" --skip-test-db >"$base/log/mariadb-install.out" 2>&1 ||
    { cat "$base/log/mariadb-install.out" >&2; die "mariadb-install-db failed"; }
  setsid mariadbd --user=root --datadir="$base/mariadb/data" --socket="$base/mariadb/mysql.sock" \
    --port=$((port + 7)) --bind-address=127.0.0.1 --pid-file="$base/mariadb/mariadb.pid" \
    --log-error="$base/log/mariadb.log" --skip-name-resolve --innodb-buffer-pool-size=64M \
    >"$base/log/mariadb.out" 2>&1 </dev/null &
  echo $! >"$base/pids/mariadb.pid"
  for i in $(seq 100); do
    mariadb -S "$base/mariadb/mysql.sock" -e 'select 1' >/dev/null 2>&1 && break
    alive "$(cat "$base/pids/mariadb.pid")" || { cat "$base/log/mariadb.log" >&2; die "mariadbd died"; }
    sleep 0.1
  done
  mariadb -S "$base/mariadb/mysql.sock" -e "create user 'slurm'@'127.0.0.1' identified by 'kairr-test';
    grant all on slurm_acct_db.* to 'slurm'@'127.0.0.1';" || die "MariaDB did not answer"
  start_dbd "$base"
  timeout 10 sacctmgr -i add cluster kairrtest >/dev/null || die "sacctmgr add cluster failed (see $base/log/slurmdbd.log)"
}

start_dbd() {
  local base="$1" i
  SLURM_CONF="$base/etc/slurm.conf" setsid slurmdbd -D >>"$base/log/slurmdbd.out" 2>&1 </dev/null &
  echo $! >"$base/pids/slurmdbd.pid"
  for i in $(seq 150); do
    timeout 3 sacctmgr -n -P show cluster >/dev/null 2>&1 && return 0
    alive "$(cat "$base/pids/slurmdbd.pid")" || { cat "$base/log/slurmdbd.out" "$base/log/slurmdbd.log" >&2; die "slurmdbd died"; }
    sleep 0.2
  done
  die "slurmdbd does not answer (see $base/log/slurmdbd.log)"
}

cmd_up() {
  local base="$1" port="${2:-17817}" accounting=0 n i
  [ "${3:-}" = "--accounting" ] && accounting=1
  if [ "$accounting" = 1 ]; then
    for n in slurmdbd mariadbd mariadb-install-db sacctmgr; do
      command -v "$n" >/dev/null 2>&1 || die "$n not found: install Debian's slurmdbd and mariadb-server (./kairr test does)"
    done
  fi
  for n in munged slurmctld slurmd slurmrestd sinfo squeue sbatch scontrol mungekey; do
    command -v "$n" >/dev/null 2>&1 || die "$n not found: install Debian's slurm-wlm slurmctld slurmd slurmrestd slurm-client munge slurm-wlm-jwt-plugin (./kairr test does)"
  done
  [ -n "$(find /usr/lib -name auth_jwt.so -print -quit 2>/dev/null)" ] ||
    die "auth_jwt.so not found: install Debian's slurm-wlm-jwt-plugin"
  rm -rf "$base"
  mkdir -p "$base"/{etc,state,spool,log,pids,munge,fakedev} || die "cannot create $base"
  chmod 755 "$base" "$base/munge" # munged: socket dir a+x, key dir not g/o-writable

  mungekey --create --keyfile="$base/munge/munge.key" --force >/dev/null 2>&1 || die "mungekey failed"
  chmod 400 "$base/munge/munge.key"
  setsid munged --foreground --socket="$base/munge/munge.sock" --key-file="$base/munge/munge.key" \
    --pid-file="$base/munge/munged.pid" --log-file="$base/munge/munged.log" \
    --seed-file="$base/munge/munged.seed" >"$base/log/munged.out" 2>&1 </dev/null &
  echo $! >"$base/pids/munged.pid"
  for i in $(seq 50); do [ -S "$base/munge/munge.sock" ] && break; sleep 0.1; done
  [ -S "$base/munge/munge.sock" ] || die "munged did not start (see $base/log/munged.out)"

  for i in 0 1 2 3 4 5 6 7; do mknod "$base/fakedev/nvidia$i" c 1 3 || die "mknod failed (needs root)"; done
  dd if=/dev/urandom of="$base/state/jwt_hs256.key" bs=32 count=1 status=none
  chmod 600 "$base/state/jwt_hs256.key"
  for n in g1 g2 g3 c1; do mkdir -p "$base/spool/$n"; done
  write_config "$base" "$port" "$accounting"
  export SLURM_CONF="$base/etc/slurm.conf"
  printf 'SLURM_CONF=%s\n' "$SLURM_CONF" >"$base/env"
  if [ "$accounting" = 1 ]; then start_accounting "$base" "$port"; fi

  start_ctld "$base"
  for n in g1 g2 g3 c1; do # g4 deliberately has no slurmd
    setsid slurmd -D -N "$n" -f "$SLURM_CONF" >"$base/log/slurmd-$n.out" 2>&1 </dev/null &
    echo $! >"$base/pids/slurmd-$n.pid"
  done
  for i in $(seq 200); do
    [ "$(timeout 2 sinfo -h -N -t idle -o '%N' | sort -u | wc -l)" -ge 4 ] && break
    sleep 0.1
  done
  [ "$(timeout 2 sinfo -h -N -t idle -o '%N' | sort -u | wc -l)" -ge 4 ] || die "slurmd nodes not idle: $(sinfo -N)"

  SLURM_JWT=daemon SLURMRESTD_SECURITY=disable_user_check setsid slurmrestd -f "$SLURM_CONF" \
    -a rest_auth/jwt -s openapi/v0.0.36,openapi/v0.0.37,openapi/v0.0.38 \
    "127.0.0.1:$((port + 9))" >"$base/log/slurmrestd.out" 2>&1 </dev/null &
  echo $! >"$base/pids/slurmrestd.pid"
  for i in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$((port + 9))") 2>/dev/null && break
    sleep 0.1
  done
  alive "$(cat "$base/pids/slurmrestd.pid")" || { cat "$base/log/slurmrestd.out" >&2; die "slurmrestd died"; }
  printf 'http://127.0.0.1:%s\n' "$((port + 9))" >"$base/restd.url"
  timeout 10 scontrol token lifespan=7200 | sed 's/^SLURM_JWT=//' >"$base/jwt.token"
  chmod 600 "$base/jwt.token"
  [ -s "$base/jwt.token" ] || die "scontrol token failed"
  echo "slurm-cluster: up in $base (controller :$port, slurmrestd $(cat "$base/restd.url"))"
}

cmd_down() {
  local base="$1" ids i
  [ -d "$base/pids" ] || return 0
  export SLURM_CONF="$base/etc/slurm.conf"
  # Cancel jobs first so their processes (re-parented to init) go away too.
  if [ -f "$base/pids/slurmctld.pid" ] && alive "$(cat "$base/pids/slurmctld.pid")"; then
    ids="$(timeout 3 squeue -h -o %i 2>/dev/null | tr '\n' ' ')"
    if [ -n "${ids// /}" ]; then
      # shellcheck disable=SC2086
      timeout 3 scancel $ids 2>/dev/null
      for i in $(seq 30); do [ -z "$(timeout 2 squeue -h -t R,CG 2>/dev/null)" ] && break; sleep 0.2; done
    fi
  fi
  stop_pids "$base"/pids/slurmrestd*.pid "$base"/pids/slurmd-*.pid
  stop_pids "$base"/pids/slurmctld.pid
  stop_pids "$base"/pids/slurmdbd.pid
  stop_pids "$base"/pids/mariadb.pid
  stop_pids "$base"/pids/munged.pid
}

case "${1:-}" in
  up) [ -n "${2:-}" ] || die "usage: $0 up DIR [PORT] [--accounting]"; cmd_up "$2" "${3:-17817}" "${4:-}" ;;
  dbd-stop) [ -n "${2:-}" ] || die "usage: $0 dbd-stop DIR"; stop_pids "$2/pids/slurmdbd.pid" ;;
  dbd-start)
    [ -n "${2:-}" ] || die "usage: $0 dbd-start DIR"
    export SLURM_CONF="$2/etc/slurm.conf"
    start_dbd "$2"
    ;;
  down) [ -n "${2:-}" ] || die "usage: $0 down DIR"; cmd_down "$2" ;;
  ctld-stop) [ -n "${2:-}" ] || die "usage: $0 ctld-stop DIR"; stop_pids "$2/pids/slurmctld.pid" ;;
  ctld-start)
    [ -n "${2:-}" ] || die "usage: $0 ctld-start DIR"
    export SLURM_CONF="$2/etc/slurm.conf"
    start_ctld "$2"
    ;;
  *) die "usage: $0 up DIR [PORT] [--accounting] | down DIR | ctld-stop DIR | ctld-start DIR | dbd-stop DIR | dbd-start DIR" ;;
esac

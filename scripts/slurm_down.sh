#!/usr/bin/env bash
# Stop the single-node SLURM cluster started by scripts/slurm_up.sh: cancel its jobs, then stop
# each daemon that script started, by the PID in its pid file, newest first (slurmd, slurmctld,
# munged).  Safe to run twice, or when nothing is running.  Exit 0 once no daemon is left.
set -uo pipefail
S=${SLURM_CI_DIR:-/tmp/ros1trace-slurm}
[ -s "$S/started" ] || exit 0

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Jobs first: their slurmstepd processes outlive slurmd.  Wait (bounded) until the queue is empty.
if alive "$S/run/slurmctld.pid"; then
  timeout 10 scancel --full --user=root 2>/dev/null || true
  for _ in $(seq 40); do
    [ -z "$(timeout 5 squeue -h -t PENDING,RUNNING,COMPLETING -o %i 2>/dev/null)" ] && break
    sleep 0.25
  done
fi

stop() {  # stop <pidfile>: SIGTERM, wait up to 10 s, then SIGKILL
  alive "$1" || return 0
  local pid; pid=$(cat "$1")
  kill "$pid" 2>/dev/null
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  echo "slurm_down: $1 (pid $pid) ignored SIGTERM; killing" >&2
  kill -9 "$pid" 2>/dev/null || true
}

status=0
for pidfile in $(tac "$S/started"); do
  stop "$pidfile"
  if alive "$pidfile"; then status=1; else rm -f "$pidfile"; fi
done
[ "$status" = 0 ] && : >"$S/started"
exit "$status"

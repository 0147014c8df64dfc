#!/usr/bin/env bash
# Stop the single-node SLURM cluster started by scripts/slurm_up.sh: cancel its jobs, then stop
# each daemon that script started, by the PID in its pid file, newest first (slurmd, slurmctld,
# munged).  Safe to run twice, or when nothing is running.  Exit 0 once no daemon is left.
# Then it removes the /etc/slurm/slurm.conf slurm_up.sh wrote: with a config whose controller is
# down, `scontrol show config` waits ~9 s, and the SLURM executor plugin runs it whenever snakemake
# starts, so every later snakemake call, local ones included, would be 9 s slower.
set -uo pipefail
S=${SLURM_CI_DIR:-/tmp/ros1trace-slurm}
MARK="# written by ros1trace scripts/slurm_up.sh"

# alive <pidfile>: its process exists and is not a zombie (PID 1 here may be slow to reap them)
alive() {
  [ -s "$1" ] || return 1
  local pid; pid=$(cat "$1")
  [ -r "/proc/$pid/stat" ] && [ "$(cut -d' ' -f3 "/proc/$pid/stat")" != Z ]
}

stop() {  # stop <pidfile>: SIGTERM, wait up to 10 s, then SIGKILL
  alive "$1" || return 0
  local pid; pid=$(cat "$1")
  kill "$pid" 2>/dev/null
  for _ in $(seq 40); do alive "$1" || return 0; sleep 0.25; done
  echo "slurm_down: $1 (pid $pid) ignored SIGTERM; killing" >&2
  kill -9 "$pid" 2>/dev/null || true
  for _ in $(seq 20); do alive "$1" || return 0; sleep 0.1; done
}

# Jobs first: their slurmstepd processes outlive slurmd.  Wait (bounded) until the queue is empty.
if alive "$S/run/slurmctld.pid"; then
  timeout 10 scancel --full --user=root 2>/dev/null || true
  for _ in $(seq 40); do
    [ -z "$(timeout 5 squeue -h -t PENDING,RUNNING,COMPLETING -o %i 2>/dev/null)" ] && break
    sleep 0.25
  done
fi

status=0
for pidfile in $(tac "$S/started" 2>/dev/null); do
  stop "$pidfile"
  if alive "$pidfile"; then status=1; else rm -f "$pidfile"; fi
done
[ "$status" = 0 ] || exit 1
[ -e "$S/started" ] && : >"$S/started"
if grep -qF "$MARK" /etc/slurm/slurm.conf 2>/dev/null; then rm -f /etc/slurm/slurm.conf; fi

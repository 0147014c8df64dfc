#!/usr/bin/env bash
# Start a single-node SLURM cluster on this machine, for CI and for trying the slurm profile:
#     sudo scripts/slurm_up.sh   ...   sudo scripts/slurm_down.sh
# Needs root and Debian (slurm-wlm + munge come from apt; installed here when missing).
# No systemd: every daemon is started by hand.  No slurmdbd: run Snakemake with
# `--slurm-status-command squeue` (finished jobs stay in squeue for MinJobAge=300 s).
# cgroups do not work in containers like this one: proctrack/linuxproc + task/none
# (SLURM schedules CPUs but does not enforce --mem).
#
# State, logs and pid files go to $SLURM_CI_DIR (default /tmp/ros1trace-slurm).  The pid files of
# the daemons this script started are listed in $SLURM_CI_DIR/started, which is all
# slurm_down.sh stops.  Exit codes: 0 cluster up (node idle), 3 SLURM cannot be installed
# here (not root / no apt), 4 a foreign /etc/slurm/slurm.conf is in the way, 1 anything else.
set -euo pipefail
S=${SLURM_CI_DIR:-/tmp/ros1trace-slurm}
HERE=$(cd "$(dirname "$0")" && pwd)
MARK="# written by ros1trace scripts/slurm_up.sh"

[ "$(id -u)" = 0 ] || { echo "slurm_up: needs root" >&2; exit 3; }

# --- packages (the Makefile's debian target normally installed them already)
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  command -v apt-get >/dev/null || { echo "slurm_up: slurm-wlm/munge missing and no apt-get" >&2; exit 3; }
  export DEBIAN_FRONTEND=noninteractive
  { timeout 300 apt-get update -qq && timeout 600 apt-get install -y -qq --no-install-recommends \
      slurm-wlm munge >/dev/null; } || { echo "slurm_up: apt-get could not install slurm-wlm munge" >&2; exit 3; }
fi

# --- never overwrite a slurm.conf this script did not write (a real cluster's config)
if [ -e /etc/slurm/slurm.conf ] && ! grep -qF "$MARK" /etc/slurm/slurm.conf; then
  echo "slurm_up: /etc/slurm/slurm.conf exists and is not ours; not touching it" >&2; exit 4
fi

# --- a cluster from an earlier run still up?  Stop it first (slurm_down.sh reads $S/started).
bash "$HERE/slurm_down.sh"
mkdir -p "$S"/{state,spool,log,run}
: >"$S/started"

# --- munge: reuse a working munged, else start one as user munge (it forks)
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  mkdir -p /run/munge && chown munge:munge /run/munge
  [ -s /etc/munge/munge.key ] || { mungekey --create 2>/dev/null || create-munge-key -f; }
  runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
  echo /run/munge/munged.pid >>"$S/started"
  munge -n | unmunge >/dev/null
fi

# --- slurm.conf: this host as controller and only node, all CPUs, memory a bit below the real one
H=$(hostname -s)
CPUS=$(nproc)
MEM=$(( $(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p') - 512 ))
mkdir -p /etc/slurm
cat >/etc/slurm/slurm.conf <<CONF
$MARK
ClusterName=ci
SlurmctldHost=$H(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/run/slurmctld.pid
SlurmdPidFile=$S/run/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
MailProg=/bin/true
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=300
NodeName=$H NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

# --- controller and node daemons (both fork; pid files as configured above)
slurmctld
echo "$S/run/slurmctld.pid" >>"$S/started"
slurmd
echo "$S/run/slurmd.pid" >>"$S/started"

# --- wait until the node accepts jobs
for _ in $(seq 120); do
  [ "$(timeout 5 sinfo -h -o %T 2>/dev/null)" = idle ] && break
  sleep 0.5
done
[ "$(timeout 5 sinfo -h -o %T 2>/dev/null)" = idle ] || { tail -n 30 "$S"/log/*.log >&2; exit 1; }
timeout 5 sinfo

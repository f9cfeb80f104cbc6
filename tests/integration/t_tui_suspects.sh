#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Suspects tab at 80x24 and the default interval: a process whose RSS
# grows at 128 MiB/s (32 MiB every 250 ms, every page written, up to 1.5 GiB:
# fast enough to outrank whatever else grows on a shared box) is the #1
# suspect, of kind rss, by the third sample (the sample counter on the tab
# line), while a steady distraction runs beside it: a big idle process
# (384 MiB touched once), a big static cache (20000 files made once: dentries
# and inodes) and churn of short-lived loopback connections (~100/s). Before
# three samples the tab says what a verdict needs; Enter opens the evidence
# (verdict, sparkline) and Enter again the process; the header line on
# another tab names the top suspect.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
. "${TOP_SRCDIR:-.}/tests/integration/machine_lock.sh"
needs_root "the suspects come from every process's fds and sockets"
command -v perl >/dev/null 2>&1 || skip "perl is not installed (the drivers are perl)"

cat >"$WORK/drv.pl" <<'PERL'
use strict;
use warnings;
use IO::Socket::INET;
use Time::HiRes qw(sleep time);
my ($kind, $dur) = @ARGV;
my $end = time + $dur;
$| = 1;
if ($kind eq 'grow') {
	$0 = 'lt-culprit';
	my @keep;
	print "ready\n";
	while (time < $end) {
		push @keep, 'x' x (32 << 20) if @keep < 48;
		sleep 0.25;
	}
} elsif ($kind eq 'idle') {
	$0 = 'lt-bigidle';
	my $big = 'y' x (384 << 20);
	print "ready\n";
	sleep 1 while time < $end;
} elsif ($kind eq 'static') {
	my $dir = $ARGV[2];
	for my $i (1 .. 20000) {
		open(my $f, '>', "$dir/f$i") or die "$dir/f$i: $!";
		close($f);
	}
	print "ready\n";
} elsif ($kind eq 'churn') {
	$0 = 'lt-churn';
	my $srv = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
					Listen => 128, ReuseAddr => 1) or die "listen: $!";
	my $port = $srv->sockport;
	my $pid = fork();
	die "fork: $!" unless defined $pid;
	if (!$pid) {
		# The test kills the parent only: blocked in accept, the
		# child would outlive it.
		alarm(int($dur) + 3);
		while (time < $end + 2) {
			my $c = $srv->accept or next;
			close($c);
		}
		exit 0;
	}
	print "ready\n";
	while (time < $end) {
		my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port);
		close($c) if $c;
		sleep 0.01;
	}
	kill 'TERM', $pid;
}
PERL

# drv NAME ARGS...: start a driver, wait for its ready line.
drv() {
	_n=$1
	shift
	perl "$WORK/drv.pl" "$@" >"$WORK/$_n.out" 2>"$WORK/$_n.err" </dev/null 9>&- &
	DRV_PIDS="$DRV_PIDS $!"
	eval "${_n}_pid=\$!"
	_d=$(deadline 30)
	until grep -qx ready "$WORK/$_n.out" 2>/dev/null; do
		past "$_d" && { cat "$WORK/$_n.err"; fail "driver $_n not ready"; }
		sleep 0.1
	done
}

# A test beside this one that holds tcp_mem at its pressure mark, or grows
# a cache or memory no class counts, makes a machine-wide suspect growing as
# fast as the culprit (make check -j): none runs meanwhile.
machine_lock machine-wide shared

mkdir -p "$WORK/static"
drv static static 1 "$WORK/static"
drv idle idle 120
drv churn churn 120
drv culprit grow 120
echo "culprit pid $culprit_pid, big idle $idle_pid, churn $churn_pid"

# The engine names a process only once it is 5 s old (doc/suspects.md): a
# leak that predates the tool, as it does when someone comes to look.
sleep 5
# The default interval: no -d.
start_leaktop -- --no-config
# The tab line ends with the interval and the sample counter: "2s #3".
sample_no() {
	screen | grep -F " 1 Suspects " | grep -oE '#[0-9]+ *$' | tr -dc 0-9
}
row1() {
	screen | awk 'found { print; exit } /^#(▲|\^|▼|v)? +KIND +SUBJECT/ { found = 1 }'
}

wait_for "a verdict needs 3 samples" 10
n=$(sample_no)
[ -n "$n" ] && [ "$n" -lt 3 ] || fail "the empty state shows at sample '$n', expected before #3"

_d=$(deadline 30)
while :; do
	scr=$(screen)
	n=$(printf '%s\n' "$scr" | grep -F " 1 Suspects " | grep -oE '#[0-9]+ *$' | tr -dc 0-9)
	r=$(printf '%s\n' "$scr" |
		awk 'found { print; exit } /^#(▲|\^|▼|v)? +KIND +SUBJECT/ { found = 1 }')
	if printf '%s\n' "$r" | grep -qE '^ *1 '; then
		printf '%s\n' "$r" | grep -qE "^ *1 rss +pid $culprit_pid " ||
			fail "row 1 is not the culprit (rss, pid $culprit_pid): '$r'"
		[ -n "$n" ] && [ "$n" -le 3 ] ||
			fail "the culprit came first only at sample #$n, not within 3"
		break
	fi
	[ -n "$n" ] && [ "$n" -gt 3 ] && fail "no suspect by sample #$n"
	died && fail "leaktop exited"
	past "$_d" && fail "no suspect within 30 s (sample #$n)"
	sleep 0.1
done
echo "culprit #1 at sample #$n: $r"

# The evidence: the verdict, the evidence lines and the series.
keys Enter
wait_re "^Suspect #1: rss, pid $culprit_pid " 10
wait_for "Evidence (+ agrees, - contradicts)" 5
wait_re "^  [▁▂▃▄▅▆▇█]{3,}" 5
screen | grep -qE "^  pid $culprit_pid .*(grows|RSS)" || fail "no verdict line on the evidence page"
# Enter again: the process drill-down it points at.
keys Enter
wait_re "^Process $culprit_pid " 10
keys Escape Escape

# Another tab: the header's last line names the top suspect.
keys 2
wait_for "Memory breakdown" 10
screen | grep -qE "^#1 rss: pid $culprit_pid .*/min . Enter on Suspects" ||
	fail "the header does not show the top suspect on the Memory tab"

keys q
wait_re "^LEAKTOP-EXITED=0$" 10

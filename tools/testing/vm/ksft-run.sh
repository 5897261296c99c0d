#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In a guest packed with vm-run.sh --ksft: run every selftest as installed
# by lib.mk's make install (/fwact/ksft/, listed in kselftest-list.txt by
# make emit_tests) under the kernel's own runner, run_kselftest.sh, as on
# any machine with fwact installed. Exits 0 only if every listed program
# reports ok (a skip is ok).
#
# The runner writes the tests' output to /dev/stdout, which the guest's
# devtmpfs lacks, and calls "timeout --foreground", which busybox's
# timeout does not take: both are provided here.
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
rm -f /usr/bin/timeout
cat > /usr/bin/timeout <<'EOT'
#!/bin/sh
[ "$1" = --foreground ] && shift
exec busybox timeout "$@"
EOT
chmod 755 /usr/bin/timeout

cd /fwact/ksft || exit 1
./run_kselftest.sh > /tmp/ksft.out 2>&1
cat /tmp/ksft.out
listed=$(wc -l < kselftest-list.txt)
ok=$(grep -c "^ok " /tmp/ksft.out)
bad=$(grep -c "^not ok " /tmp/ksft.out)
echo "run_kselftest.sh: $ok ok, $bad not ok of $listed"
[ "$bad" = 0 ] && [ "$ok" = "$listed" ]

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every static check fwact holds itself to, each a stage that
# passes only with zero findings.
#
#   w1-prod, w1-test         a fresh W=1 build of the production and the
#                            test flavour (test modules included), against
#                            Debian's 6.1 headers
#   sparse-prod, sparse-test sparse over every file (C=2) of both flavours
#   linux-V-prod, -test      both flavours built with W=1 and sparse against
#                            Linux V = 6.12 and 7.2, configured as the debug
#                            guest kernel and modules_prepare'd
#                            (scripts/kernel-prepare.sh): compile only, so
#                            modpost's unresolved imports are no finding
#   checkpatch               checkpatch.pl --strict --no-tree -f (7.2's) over our C
#                            files, headers and drivers' Kconfig/Kbuild/
#                            Makefiles
#   selftest-<dir>           "make check" of tools/fwact and of each selftest
#                            directory whose Makefile has a check target
#                            (fuzzers etc.)
#
# A warning or error line in a build log is a finding, as is any
# checkpatch ERROR/WARNING/CHECK. Prints one line per stage and a summary;
# if FWACT_CHECK_RESULT names a file, appends "stage pass|fail" lines to
# it. Exits non-zero when any stage failed.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
lsrc=${FWACT_LINUX_SRC:-/var/cache/fwact/linux-source-7.2}
# sparse new enough for 7.2 (scripts/setup.sh builds it), for every kernel
sparse=${FWACT_SPARSE:-/var/cache/fwact/sparse/sparse}
out=$repo/build/check
logs=$out/logs
finding_re='(^|[^A-Za-z_])([Ww]arning|[Ee]rror|WARNING|ERROR)s?:'
# What a tree without Module.symvers makes modpost say.
compile_only_re='undefined!$|Module\.symvers is missing|suppressed [0-9]+ unresolved symbol'
passed=0
failed=0
failed_stages=

rm -rf "$out"
mkdir -p "$logs"

check_stage_end()
{
	local stage=$1 rc=$2 why=$3

	if [ "$rc" = 0 ]; then
		passed=$((passed + 1))
		echo "check: $stage: PASS"
		[ -z "${FWACT_CHECK_RESULT:-}" ] || echo "check-$stage pass" >> "$FWACT_CHECK_RESULT"
	else
		failed=$((failed + 1))
		failed_stages="$failed_stages $stage"
		echo "check: $stage: FAIL ($why; log: $logs/$stage.log)"
		[ -z "${FWACT_CHECK_RESULT:-}" ] || echo "check-$stage fail" >> "$FWACT_CHECK_RESULT"
	fi
}

# checkpatch and the Makefiles run in a copy without .git: checkpatch
# leaves a cache file behind in a git tree.
check_tree_copy()
{
	mkdir -p "$out/tree"
	rsync -a --delete --exclude /.git --exclude /build "$repo/" "$out/tree/"
}

# Run a build command; the stage fails on a non-zero status or on any
# warning/error line in its output.
check_build_stage()
{
	local stage=$1 rc n ignore=${CHECK_IGNORE:-^\$^}
	shift

	local t0=$SECONDS

	echo "check: $stage: $*"
	"$@" > "$logs/$stage.log" 2>&1
	rc=$?
	echo "check: $stage: took $((SECONDS - t0))s"
	n=$(grep -E "$finding_re" "$logs/$stage.log" | grep -c -v -E "$ignore")
	if [ "$n" -gt 0 ]; then
		grep -E "$finding_re" "$logs/$stage.log" | grep -v -E "$ignore" | head -n 50
	elif [ "$rc" != 0 ]; then
		tail -n 30 "$logs/$stage.log"
	fi
	if [ "$rc" != 0 ]; then
		check_stage_end "$stage" 1 "build failed, $n findings"
	elif [[ "$stage" == sparse-* || "$stage" == linux-* ]] &&
	     ! grep -q '^  CHECK ' "$logs/$stage.log"; then
		check_stage_end "$stage" 1 "sparse did not run"
	else
		check_stage_end "$stage" "$n" "$n findings"
	fi
}

check_files_list()
{
	(
		cd "$out/tree" || exit 1
		find drivers include compat -type f \( -name '*.c' -o -name '*.h' \
			-o -name Kconfig -o -name 'Kconfig.*' -o -name Kbuild \
			-o -name Makefile \) 2>/dev/null
		# tools/testing/lfa/tf-a/ is EL3 firmware in TF-A's own style.
		find tools -path tools/testing/lfa/tf-a -prune -o \
			-type f \( -name '*.c' -o -name '*.h' \) -print 2>/dev/null
	) | sort
}

# checkpatch of one file of the tree copy; its findings on stdout.
check_checkpatch_file()
{
	local f=$1 ignore=

	# compat/ is the one place that tests kernel versions, declares the
	# old kernels' types and defines their export macros
	# (compat/fwact-compat.h).
	case "$f" in
	compat/*) ignore=LINUX_VERSION_CODE,CONSTANT_COMPARISON,NEW_TYPEDEFS,CONST_STRUCT,EXPORT_SYMBOL ;;
	esac
	cd "$out/tree" && perl "$lsrc/scripts/checkpatch.pl" --strict \
		--no-tree --quiet --no-summary --show-types \
		${ignore:+--ignore "$ignore"} -f "$f" 2>&1
}

# One checkpatch per file, as many at once as there are CPUs; the log
# keeps the files' order. A file with findings prints them.
check_checkpatch()
{
	local log=$logs/checkpatch.log n t0=$SECONDS

	echo "check: checkpatch: $lsrc/scripts/checkpatch.pl --strict --no-tree -f"
	if [ ! -f "$lsrc/scripts/checkpatch.pl" ]; then
		echo "no $lsrc/scripts/checkpatch.pl (run scripts/setup.sh)" > "$log"
		check_stage_end checkpatch 1 "checkpatch.pl missing"
		return
	fi
	export -f check_checkpatch_file
	export out lsrc
	check_files_list | xargs -d '\n' -n 1 -P "$(nproc)" bash -c '
		r=$(check_checkpatch_file "$1") && [ -z "$r" ] && exit 0
		printf "%s\n" "$r" > "$out/checkpatch.$(echo "$1" | tr / _)"
		echo "$1"' _ > "$log.files"
	n=$(wc -l < "$log.files")
	: > "$log"
	for f in $(sort "$log.files"); do
		cat "$out/checkpatch.$(echo "$f" | tr / _)" >> "$log"
	done
	rm -f "$out"/checkpatch.* "$log.files"
	echo "check: checkpatch: took $((SECONDS - t0))s"
	[ "$n" = 0 ] || head -n 60 "$log"
	check_stage_end checkpatch "$n" "$n files with findings"
}

# The Makefiles refer to the rest of the tree: they run in the full copy.
check_selftests()
{
	local mk d name rc t0 tree=$out/tree

	for mk in "$tree"/tools/fwact/Makefile "$tree"/tools/testing/selftests/*/Makefile; do
		[ -f "$mk" ] || continue
		grep -q -E '^check[[:space:]]*:' "$mk" || continue
		d=$(dirname "$mk")
		name=${d#"$tree"/tools/}
		name=${name#testing/selftests/}
		name=${name//\//-}
		echo "check: selftest-$name: make -C ${d#"$tree"/} check"
		t0=$SECONDS
		make -C "$d" check \
			KSFT="${FWACT_CACHE:-/var/cache/fwact}/linux-source-6.1/tools/testing/selftests" \
			> "$logs/selftest-$name.log" 2>&1
		rc=$?
		echo "check: selftest-$name: took $((SECONDS - t0))s"
		[ "$rc" = 0 ] || tail -n 30 "$logs/selftest-$name.log"
		check_stage_end "selftest-$name" $rc "make check exited with $rc"
	done
}

for flavour in prod test; do
	FWACT_BUILD=$out check_build_stage "w1-$flavour" \
		"$repo/scripts/build.sh" modules debian "$flavour" W=1
done
# Same flags as the W=1 build, so nothing is recompiled: C=2 runs sparse
# over every file.
for flavour in prod test; do
	FWACT_BUILD=$out check_build_stage "sparse-$flavour" \
		"$repo/scripts/build.sh" modules debian "$flavour" W=1 C=2 \
		CHECK="$sparse"
done
# 6.12 and 7.2: one build per flavour with W=1 and sparse at once.
for kver in 6.12 7.2; do
	for flavour in prod test; do
		CHECK_IGNORE=$compile_only_re FWACT_BUILD=$out check_build_stage \
			"linux-$kver-$flavour" "$repo/scripts/build.sh" modules \
			"$kver" "$flavour" W=1 C=2 CHECK="$sparse" \
			KBUILD_MODPOST_WARN=1
	done
done
check_tree_copy
check_checkpatch
check_selftests

echo "check: $passed stages passed, $failed failed${failed_stages:+ (failed:$failed_stages)}"
[ "$failed" = 0 ]

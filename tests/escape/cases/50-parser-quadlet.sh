# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# A file written for Quadlet (or with a typo in a key) must not start with less isolation than its author
# asked for. Here UserNS= would have mapped root away and SecurityLabelType= confined the workload; ctr has
# neither, so the file is rejected and the workload never runs. Mask=, which ctr has, hides the host file the
# volume exposes: the workload's write fails. Under CTR_ESCAPE_PRIVILEGED=1 the keys become X- keys
# (ignored), the workloads run and overwrite the canary: that shows the case detects it.

C=$(canary quadlet)
x=
[ "${CTR_ESCAPE_PRIVILEGED:-0}" = 0 ] || x="X-"

conf quadlet "RootDirectory=$ROOT" "Volume=$T/canary:/data" "${x}SecurityLabelType=container_t" \
        "${x}UserNS=keep-id" "Exec=/attack write /data/quadlet escaped-through-quadlet-keys"
launch quadlet
check "Quadlet's UserNS=/SecurityLabelType= reject the file: the workload never runs" \
        eval 'canary_intact "$C" && ! rc_is 0 && err_has "Quadlet'"'"'s '"'"'UserNS='"'"' is not supported by ctr"'
ctl validate quadlet
check "ctrctl validate refuses it too" eval '! rc_is 0 && err_has "SecurityLabelType="'

conf masked "RootDirectory=$ROOT" "Volume=$T/canary:/data" "${x}Mask=/data/quadlet" \
        "Exec=/attack write /data/quadlet escaped-past-a-mask"
launch masked
check "Mask= over a volume's file: the workload's write does not reach the host's file" \
        eval 'canary_intact "$C" && lacks "write: ok"'

conf typo "RootDirectory=$ROOT" "Volume=$T/canary:/data" "${x}ReadOlny=yes" \
        "Exec=/attack write /data/quadlet escaped-through-a-typo"
launch typo
check "a typo in a key rejects the file, with the key it meant" \
        eval 'canary_intact "$C" && ! rc_is 0 && err_has "did you mean '"'"'ReadOnly'"'"'?"'

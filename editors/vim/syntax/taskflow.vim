" Vim syntax for .taskflow files (tfc, the Taskflow compiler).
if exists("b:current_syntax")
  finish
endif
setlocal iskeyword+=-

syn keyword taskflowStatement accept access allow allow-escalation annotation annotations app-version args autoscale cap-add chart class command completions concurrency config container cpu database deadline description disruption env ephemeral exclude expose external fixed fs-group grace history host host-path host-type image include ingress init job keep-for labels liveness memory mode mount mount-token name namespace naming network network-mode node-selector object parallel patch pod-annotations port pre-stop pull pull-secret pv pv-labels readiness reclaim replicas restart retries root-image route run-as schedule sealed seccomp secret selector service service-account sidecar size spread startup store strategy target-ports timezone tls tolerate type version volume workdir writable-root
syn keyword taskflowOption at claim cpu delay down-rate down-window emptydir exact exec failures file-mode from http ingress keys memory name native no-scale-down node per period prefix protocol read-only recreate regex rolling sub-path successes surge target-name tcp timeout unavailable up-rate up-window world
syn keyword taskflowWord always block cluster-ip delete directory directory-or-create file file-or-create filesystem forbid headless if-not-present load-balancer never node-port none on-failure replace retain root rox runtime-default rwo rwop rwx unconfined
syn match taskflowComment "#.*$"
syn region taskflowRawString start=+"""+ end=+"""+
syn region taskflowString start=+"+ skip=+\\.+ end=+"+ oneline
syn match taskflowFunction "\<\(url\|host\|port\)\ze("
syn match taskflowNumber "\<[0-9]\+\(\.[0-9]\+\)\?\(m\|Ki\|Mi\|Gi\|Ti\|k\|M\|G\|T\|s\|h\|%\)\?\>"
syn match taskflowOperator "->\|=\|\.\."

hi def link taskflowStatement Keyword
hi def link taskflowOption Special
hi def link taskflowWord Constant
hi def link taskflowComment Comment
hi def link taskflowRawString String
hi def link taskflowString String
hi def link taskflowFunction Function
hi def link taskflowNumber Number
hi def link taskflowOperator Operator

let b:current_syntax = "taskflow"

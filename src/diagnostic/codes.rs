//! The stable diagnostic codes, their kebab-case names and long explanations
//! (printed by `tfc explain CODE`).

use super::Severity;
use super::explain;

macro_rules! codes {
    ($($variant:ident $code:literal $name:literal $sev:ident $summary:literal $explain:expr;)*) => {
        /// A diagnostic code: stable across releases, so CI can match on it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant,)* }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in diagnostics, e.g. `TF0201`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The kebab-case name, e.g. `unknown-service`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity the code has unless a flag changes it.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// A one-line summary.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }

            /// The long explanation, with an example and the fix.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => $explain,)* }
            }
        }
    };
}

codes! {
    SyntaxError "TF0001" "syntax-error" Error "the text does not parse"
"The file does not follow the .taskflow grammar at the marked place.

Every statement starts with a keyword (`image`, `port`, `replicas`, ...) and
blocks are delimited by `{` and `}`. The message says what the parser
expected instead. A statement that does not parse is skipped to the end of
its line, so one run reports every syntax error in the file.

    service web {
      replicas = 2        # error: `replicas` takes its value without `=`
    }

Fix: write the statement as docs/language.md shows it: `replicas 2`.";

    UnclosedDelimiter "TF0002" "unclosed-delimiter" Error "a `{`, `[` or string is never closed"
"A `{`, `[` or `\"` opened here has no matching close, or a close appears
with nothing open. Everything after it would be misread, so the file is
rejected at this point.

    service web {
      image nginx
    # <- missing `}`

Fix: add the missing `}` (or remove the stray one).";

    InputTooLarge "TF0003" "input-too-large" Error "the file exceeds the size limit"
"tfc reads .taskflow files of up to 8 MiB. A larger file is almost certainly
not a hand-written app description; it is refused before parsing so that
tfc stays fast and predictable in CI and in the editor.

Fix: split the app, or check that the right file was passed.";

    NestingTooDeep "TF0004" "nesting-too-deep" Error "braces are nested too deeply"
"Blocks may be nested at most 32 levels deep. Real apps use three or four
levels (app > service > env group); deeper nesting is refused before parsing
so that no input can exhaust the parser's stack.

Fix: remove the extra braces.";

    MissingApp "TF0005" "missing-app" Error "the file does not hold exactly one `app` block"
"A .taskflow file describes one app:

    app shop {
      service web { image nginx:1.27 port http 80 }
    }

Anything outside the `app NAME { ... }` block, a second app, or an empty
file is an error.

Fix: wrap the items in one `app` block.";

    UnknownStatement "TF0006" "unknown-statement" Error "a statement keyword that does not exist here"
"The word at the start of the statement is not a statement of this block.
The help line names the closest keyword, or the block where the statement
belongs if it is valid elsewhere.

    service web {
      replica 2           # error: did you mean `replicas`?
      host shop.local     # error: `host` belongs in an ingress
    }

Fix: use a keyword listed in docs/language.md for this kind of block.";

    InvalidEscape "TF0007" "invalid-escape" Error "a string has an unknown escape"
"Strings support the escapes \\\\ \\\" \\n \\t \\r and \\u{HEX}. Any other
backslash sequence is an error, so that a Windows path or a regular
expression is never silently changed.

    annotation x = \"C:\\temp\"      # error: `\\t` is a tab; write `\\\\t`

Fix: double the backslash, or use a triple-quoted raw string \"\"\"...\"\"\".";

    MisplacedStatement "TF0008" "misplaced-statement" Error "a valid statement in a block that does not take it"
"The statement is valid .taskflow, but not in this kind of block, for
instance `size` in a service or `route` in a config.

Fix: move the statement to the block it belongs to (the message names it).";

    InvalidEncoding "TF0009" "invalid-encoding" Error "the file is not UTF-8 text"
"A .taskflow file is UTF-8 text. The file holds a byte sequence that is not
UTF-8 (often a file saved as Latin-1 or UTF-16, or a binary file passed by
mistake). The error points at the first such byte; the rest of the file is
not checked.

Fix: save the file as UTF-8.";

    DuplicateName "TF0101" "duplicate-name" Error "two items have the same name"
"Items of one kind (services and databases, configs and secrets, volumes,
ingresses, environments) share a namespace: two of them with the same name
would make every reference to that name ambiguous.

    config app { ... }
    secret app { ... }    # error: `app` is already a config

Fix: rename one of them.";

    NameCollision "TF0102" "name-collision" Error "two items compile to the same Kubernetes object"
"Two items have different names in the .taskflow file, but their generated
Kubernetes objects have the same kind and name (through `name`, `naming`
patterns or defaults), so one would overwrite the other when applied.

    service api { name backend ... }
    service backend { ... }         # error: both make Deployment `backend`

Fix: give one of them a different `name`.";

    DuplicateEnv "TF0103" "duplicate-env" Error "an environment variable is set twice"
"A container gets each environment variable once. With two definitions,
Kubernetes silently keeps the last one, which is rarely what was meant.

    env LOG_LEVEL = \"info\"
    env LOG_LEVEL = app-config.LOG_LEVEL    # error

Fix: remove one definition. To change a value per environment, use an
`env dev { ... }` block instead of a second definition.";

    DuplicatePort "TF0104" "duplicate-port" Error "two ports share a name or number"
"Port names and numbers must be unique within a service: probes, ingress
routes and `url()` refer to ports by name, and two containers ports with
the same number cannot both listen.

    port http 8000
    port http 9000    # error: the name `http` is taken

Fix: give each port its own name and number.";

    DuplicateNodePort "TF0105" "duplicate-node-port" Error "two ports ask for the same nodePort"
"A nodePort is opened on every node of the cluster, so it can be used by one
Service port only. Two ports in the app asking for the same nodePort would
make the second Service fail to apply.

Fix: choose another nodePort in 30000-32767, or leave it out and let
Kubernetes assign one.";

    DuplicateSetting "TF0106" "duplicate-setting" Error "a setting is given twice in one block"
"A block sets each of its single-valued settings once (`image`, `replicas`,
`cpu`, a probe, ...). The second one would silently win.

    replicas 2
    replicas 3    # error

Fix: remove one. Per-environment values go in an `env NAME { }` block.";

    DuplicateKey "TF0107" "duplicate-key" Error "a key appears twice in a map, config or secret"
"Keys of a config, a secret, labels, annotations and selectors are unique.

    config app { LOG_LEVEL = \"info\"  LOG_LEVEL = \"debug\" }   # error

Fix: remove one of them.";

    DuplicateMount "TF0108" "duplicate-mount" Error "two volumes share a name or mount path"
"Within a service every volume has its own name and mount path; Kubernetes
rejects a pod with two volumes of one name or two mounts at one path.

Fix: rename the volume or change its path.";

    UnknownService "TF0201" "unknown-service" Error "a reference to a service that does not exist"
"`url(NAME)`, `host(NAME)`, ingress routes (`-> NAME`), `autoscale NAME`
and `allow A -> B` name a service or database of this app. This one is not
declared.

    route /api -> backnd      # error: did you mean `backend`?

Fix: use the name of a declared `service` or `database`.";

    UnknownConfig "TF0202" "unknown-config" Error "a reference to a config or secret that does not exist"
"`env from NAME`, `env VAR = NAME.KEY` and `volume x config NAME at /p`
name a config or secret of this app. This one is not declared.

Fix: declare it (`config NAME { ... }` or `secret NAME { ... }`) or fix the
spelling; the help line names the closest one.";

    UnknownConfigKey "TF0203" "unknown-config-key" Error "a reference to a key a config does not have"
"`NAME.KEY` reads one key of a config. The config exists but has no such key,
so the pod would fail to start with CreateContainerConfigError.

    config app { LOG_LEVEL = \"info\" }
    env LEVEL = app.LOG_LEVL       # error: did you mean `LOG_LEVEL`?

Fix: use a key the config declares, or add the key.";

    UnknownSecretKey "TF0204" "unknown-secret-key" Error "a reference to a key a secret does not declare"
"`NAME.KEY` reads one key of a secret. The secret exists but does not declare
that key, so the pod would fail to start with CreateContainerConfigError.

    secret creds { username password }
    env PGPASSWORD = creds.pasword    # error: did you mean `password`?

Fix: use a declared key, or add it to the secret's key list.";

    UnknownPort "TF0205" "unknown-port" Error "a reference to a port name a service does not have"
"Probes (`port NAME`), routes (`-> svc.NAME`) and `url(svc.NAME)` refer to
a port by its name. The service has no port of that name.

Fix: use one of the service's port names (the help line lists them).";

    UnknownVolume "TF0206" "unknown-volume" Error "a reference to a volume that does not exist"
"`volume x claim NAME at /path` mounts a top-level `volume NAME { ... }`.
No volume of that name is declared.

Fix: declare the volume, or fix the name.";

    UnknownEnvironment "TF0207" "unknown-environment" Error "`--env` names an environment the file does not define"
"`--env NAME` selects an `env NAME { ... }` block of the file. There is no
such block.

Fix: pass one of the environments the file defines (the help line lists
them), or add the block.";

    UnknownTarget "TF0208" "unknown-target" Error "an override names an item that does not exist"
"Inside `env NAME { }`, `TARGET.statement` and `TARGET { ... }` override a
statement of the item called TARGET. No item has that name.

    env dev { fronted.replicas 1 }   # error: did you mean `frontend`?

Fix: use the name of a declared item.";

    SelectorMismatch "TF0209" "selector-mismatch" Error "a selector key is not among the pod labels"
"`selector { KEY }` picks label keys of the service's pods: its own `labels`,
the app's `labels` and the recommended `app.kubernetes.io/*` labels. A key
that is not a pod label would make the selector match no pod, and Kubernetes
rejects a Deployment whose selector does not match its template.

Fix: add the label, or remove the key from the selector.";

    UnknownFunction "TF0210" "unknown-function" Error "a value calls a function that does not exist"
"Values may call `url(SERVICE[.PORT][, SCHEME])`, `host(SERVICE)` and
`port(SERVICE[.PORT])`. Any other name is an error.

Fix: use one of those functions.";

    WrongKind "TF0211" "wrong-kind" Error "a reference names an item of the wrong kind"
"The name exists, but it is the wrong kind of item for this place: for
example `url(app-config)` names a config where a service is needed, or
`volume x claim web` names a service where a volume is needed.

Fix: name an item of the kind the message asks for.";

    UnknownObject "TF0212" "unknown-object" Error "a patch names an object tfc does not emit"
explain::UNKNOWN_OBJECT;

    InvalidPatch "TF0213" "invalid-patch" Error "a patch or extra object that is not valid"
explain::INVALID_PATCH;

    SecretDataInFile "TF0214" "secret-data-in-file" Error "a patch or extra object carries Secret data"
explain::SECRET_DATA_IN_FILE;

    UnreadableSealedFile "TF0215" "unreadable-sealed-file" Error "a `sealed` secret's file cannot be read as a SealedSecret"
explain::UNREADABLE_SEALED_FILE;

    SealedMismatch "TF0216" "sealed-mismatch" Error "a SealedSecret does not make the Secret the app declares"
explain::SEALED_MISMATCH;

    PortOutOfRange "TF0301" "port-out-of-range" Error "a port number outside 1-65535"
"Container and Service ports, and the ports probes check, are TCP/UDP port
numbers, 1 to 65535.

Fix: use a port in range.";

    NodePortOutOfRange "TF0302" "node-port-out-of-range" Error "a nodePort outside 30000-32767"
"Kubernetes allocates nodePorts from the range 30000-32767 by default; the
API server rejects a Service asking for a port outside it.

Fix: choose a nodePort in 30000-32767, or omit it.";

    InvalidQuantity "TF0303" "invalid-quantity" Error "a malformed cpu, memory or storage quantity"
"Quantities are a number with an optional suffix: cpu as `250m` or `0.5` or
`2`; memory and storage as `128Mi`, `1Gi`, `500M`. A range is written
`REQUEST..LIMIT`.

    memory 128mb       # error: did you mean `128Mi`?

Fix: use a Kubernetes quantity.";

    RequestAboveLimit "TF0304" "request-above-limit" Error "a resource request is above its limit"
"In `cpu REQUEST..LIMIT` (and `memory`), the request must not exceed the
limit; Kubernetes rejects such a pod.

    cpu 500m..250m     # error

Fix: swap the values or raise the limit.";

    ReplicasBelowOne "TF0305" "replicas-below-one" Error "replicas below 1"
"A service with 0 replicas runs nothing. To switch a service off in one
environment, leave it out of that environment instead.

Fix: use `replicas 1` or more.";

    StorageTooSmall "TF0306" "storage-too-small" Error "a volume smaller than 1Gi"
"Persistent volumes and claim templates must request at least 1Gi; most
provisioners round smaller requests up anyway, and a tiny request is
usually a unit mistake (`10Mi` for `10Gi`).

Fix: request 1Gi or more.";

    AutoscaleMinAboveMax "TF0307" "autoscale-min-above-max" Error "an autoscaler's minimum is above its maximum"
"`autoscale SERVICE MIN..MAX` needs 1 <= MIN <= MAX.

Fix: swap the bounds.";

    InvalidName "TF0308" "invalid-name" Error "a name is not a valid Kubernetes name"
"Object names must be DNS-1123 labels: at most 63 characters, lowercase
letters, digits and `-`, starting and ending with a letter or digit.
Service names must also start with a letter. A database's StatefulSet name
is at most 52 characters (its pods carry `NAME-HASH` in a label), and a
storage class name is a DNS subdomain (dots allowed).

    service Web_App { ... }    # error: try `web-app`

Fix: use a lowercase name with `-` instead of `_` or capitals.";

    InvalidHost "TF0309" "invalid-host" Error "an ingress host is not a valid DNS name"
"An ingress host is a DNS name such as `shop.example.com`, optionally with a
leading `*.` wildcard. IP addresses, ports, schemes and paths are not
allowed there.

Fix: write only the host name; put paths in `route` statements.";

    AutoscaleWithoutRequest "TF0310" "autoscale-without-request" Error "an autoscaler targets cpu or memory the service does not request"
"A utilization target is a percentage of the container's request. Without a
`cpu` (or `memory`) request the HorizontalPodAutoscaler cannot compute it
and never scales.

    autoscale backend 2..10 cpu 70%   # error: backend has no cpu request

Fix: give the service `cpu REQUEST..LIMIT` (or `memory`).";

    InvalidDuration "TF0311" "invalid-duration" Error "a malformed duration"
"Durations are whole seconds with a unit: `5s`, `2m`, `1h`, `1m30s`, or a
bare number of seconds.

Fix: write e.g. `30s`.";

    InvalidLabel "TF0312" "invalid-label" Error "a label key or value is not valid"
"Label keys are `[prefix/]name`, where name is at most 63 characters of
letters, digits, `-`, `_` and `.`, starting and ending with a letter or
digit, and prefix is a DNS subdomain. Label values follow the same rule for
name and may be empty.

Fix: shorten the value or replace the characters Kubernetes rejects.";

    InvalidEnvName "TF0313" "invalid-env-name" Error "an environment variable name is not valid"
"Environment variable names are letters, digits, `_`, `-` and `.`, not
starting with a digit.

Fix: rename the variable, e.g. `API_URL`.";

    InvalidImage "TF0314" "invalid-image" Error "an image reference is malformed"
"An image is `[registry/]repository[:tag][@digest]`, in lowercase, e.g.
`ghcr.io/acme/web:1.4.2`.

Fix: correct the reference.";

    InvalidValue "TF0315" "invalid-value" Error "a value is not one of those allowed"
"The statement takes a number or one of a fixed set of words (the message
lists them), for example `pull always|if-not-present|never`.

Fix: use one of the listed values.";

    InvalidPortName "TF0316" "invalid-port-name" Error "a port name is not a valid IANA service name"
"Port names are at most 15 characters of lowercase letters, digits and `-`,
contain at least one letter, and neither start nor end with `-`.

Fix: e.g. `http`, `grpc`, `metrics`.";

    NodePortWithoutNodeService "TF0317" "node-port-type" Error "a nodePort on a Service that is not NodePort or LoadBalancer"
"`node N` opens a port on every node, which only Services of type NodePort
or LoadBalancer do. The service is exposed as something else.

Fix: remove `expose ...` (a nodePort implies `expose node-port`), or drop
the nodePort.";

    InvalidPath "TF0318" "invalid-path" Error "a path is not absolute"
"Mount paths, probe paths, ingress routes and host paths start with `/`.

Fix: write the absolute path, e.g. `/data`.";

    MissingField "TF0319" "missing-field" Error "a required statement is missing"
"Some statements are required: a service needs an `image`, a volume needs a
`size`, an ingress needs at least one `route`, and so on.

Fix: add the statement named in the message.";

    InvalidPercentage "TF0320" "invalid-percentage" Error "a malformed percentage"
"Targets and rolling-update bounds are written as a whole number with `%`
(`70%`), or as a count where a count is allowed (`surge 1`).

Fix: write e.g. `70%`.";

    UncarriableText "TF0321" "uncarriable-text" Error "a string holds a character Kubernetes tools cannot carry"
"kubectl apply -k (kustomize) cannot read YAML that holds DEL (U+007F), a C1
control character (U+0080 to U+009F; NEL, U+0085, comes back as a space)
or the non-characters U+FFFE and U+FFFF, escaped or not. tfc refuses such a
string rather than write output that fails to apply or changes the text.

    env SEP = \"a\\u{85}b\"      # error: NEL

Fix: remove the character, or use a printable one (U+2028, a tab, \\n).";

    InvalidSchedule "TF0322" "invalid-schedule" Error "a job's schedule or time zone the CronJob controller cannot read"
"A `schedule` is a cron line of five fields (minute 0-59, hour 0-23, day of
month 1-31, month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT; each `*`, a
number, a range `a-b`, a list `a,b` or a step `*/n`), or one of @yearly,
@annually, @monthly, @weekly, @daily, @midnight, @hourly. The time zone goes
in `timezone` (a tz database name such as `Europe/Berlin`), not in the
schedule: the API server refuses `TZ=` and `CRON_TZ=` there.

    job report { schedule \"0 25 * * *\" }   # error: hour 25

Fix: correct the field the message names.";

    InvalidIngressPath "TF0501" "invalid-ingress-path" Error "an ingress path the API server rejects"
explain::INVALID_INGRESS_PATH;

    RolloutCannotProgress "TF0502" "rollout-cannot-progress" Error "a rolling update that could never replace a pod"
explain::ROLLOUT_CANNOT_PROGRESS;

    EmptyCommand "TF0503" "empty-command" Error "an exec probe without a command"
explain::EMPTY_COMMAND;

    PathBackstep "TF0504" "path-backstep" Error "a host path, device path or sub-path with a `..` element"
explain::PATH_BACKSTEP;

    SecretTypeKeys "TF0505" "secret-type-keys" Error "a typed Secret without the keys its type requires"
explain::SECRET_TYPE_KEYS;

    InvalidDataKey "TF0506" "invalid-data-key" Error "a config or secret key the API server rejects"
explain::INVALID_DATA_KEY;

    InvalidEnvPrefix "TF0507" "invalid-env-prefix" Error "an `env from` prefix the API server rejects"
explain::INVALID_ENV_PREFIX;

    ObjectTooLarge "TF0508" "object-too-large" Error "a ConfigMap, Secret or set of annotations over the API server's limit"
explain::OBJECT_TOO_LARGE;

    ConflictingSettings "TF0509" "conflicting-settings" Error "two settings the API server refuses together"
explain::CONFLICTING_SETTINGS;

    UnusedConfigKey "TF1001" "unused-config-key" Warning "a config key no service reads"
"No service reads this key, either by `NAME.KEY` or through `env from NAME`
or a config volume. It may be left over from a rename.

Fix: remove the key, or use it.";

    UnusedSecretKey "TF1002" "unused-secret-key" Warning "a secret key no service reads"
"No service reads this secret key, either by `NAME.KEY` or through
`env from NAME` or a secret volume. Unused credentials are still shipped to
the cluster.

Fix: remove the key, or use it.";

    MissingProbes "TF1003" "missing-probes" Warning "a service has no readiness or liveness probe"
"Without a readiness probe, traffic reaches a pod before it can serve; without
a liveness probe, a hung process is never restarted.

Fix: add e.g. `readiness http /healthz` and `liveness http /healthz`.";

    MissingResources "TF1004" "missing-resources" Warning "a service has no cpu or memory requests"
"Without requests the scheduler cannot place pods sensibly, and without limits
one pod can starve its neighbours.

Fix: add e.g. `cpu 100m..500m` and `memory 128Mi..512Mi`.";

    MissingSecretValue "TF1005" "missing-secret-value" Warning "a secret key got no value at compile time"
"Secret values are never written in a .taskflow file; they are supplied with
`--secrets FILE`, one `SECRET.KEY=value` line per key. This key got no
value, so the Secret is emitted with an empty value for it.

Fix: add `SECRET.KEY=...` to the secrets file, or create the Secret in the
cluster by other means. `tfc check --deny-warnings` makes this an error.";

    ReplicasIgnored "TF1006" "replicas-ignored" Warning "`replicas` is ignored because an autoscaler manages the service"
"A HorizontalPodAutoscaler owns the replica count of its target, so the
Deployment is emitted without `replicas` (otherwise every apply would reset
the count the autoscaler chose).

Fix: remove `replicas`, or the autoscaler.";

    UnknownSecretInput "TF1007" "unknown-secret-input" Warning "the secrets file sets a key the app does not declare"
"A line of the `--secrets` file names a secret or key that the app does not
declare, so its value is not used. It is often a typo in the file.

Fix: correct the name in the secrets file, or declare the key.";

    SelectorOverlap "TF1008" "selector-overlap" Warning "a service's selector also matches another service's pods"
"Two workloads whose pods carry labels matched by the same selector confuse
Services (traffic goes to the wrong pods) and controllers (each tries to own
the other's pods).

Fix: add a distinguishing label to the selector, e.g. `component`.";
    NotValidated "TF1009" "not-validated" Warning "an object of a kind tfc has no API-server rules for"
explain::NOT_VALIDATED;

    PatchHasConstruct "TF1010" "patch-has-construct" Warning "a patch sets a field that a statement expresses"
explain::PATCH_HAS_CONSTRUCT;

    DrainBlocked "TF1011" "drain-blocked" Warning "a disruption budget that lets no pod go"
explain::DRAIN_BLOCKED;

    UnreachableService "TF1012" "unreachable-service" Warning "no rule lets any pod reach a service"
explain::UNREACHABLE_SERVICE;

    ImageNeeds "TF1013" "image-needs" Warning "a well-known image that tfc's secure defaults stop from starting"
explain::IMAGE_NEEDS;

    UndeclaredSealedKey "TF1014" "undeclared-sealed-key" Warning "a SealedSecret holds a key its secret does not declare"
explain::UNDECLARED_SEALED_KEY;

    ImageNotPinned "TF2001" "image-not-pinned" Warning "an image is chosen by tag, not by digest"
"A tag can be moved to another image at any time; only a digest
(`image ghcr.io/acme/web:1.4.2@sha256:...`) names exactly one image, so that
what runs is what was tested. (checkov CKV_K8S_43.)

Fix: add the digest to the image, or `accept image-not-pinned` in the
service (or at app level) to keep tags.";

    ImageLatest "TF2002" "image-latest" Warning "an image uses the `latest` tag or no tag"
"`latest` (which a missing tag means) changes under a running app: two pods of
one Deployment can run different code, and a rollback cannot go back.
(checkov CKV_K8S_14.)

Fix: use a version tag (`web:1.4.2`), or `accept image-latest`.";

    PullNotAlways "TF2003" "pull-not-always" Warning "an image is not pulled on every start"
"With `pull if-not-present` or `pull never` a node runs whatever image it has
cached under that name, and the registry's access control is not checked
again. tfc's default is `always`. (checkov CKV_K8S_15.)

Fix: remove `pull`, or `accept pull-not-always` (as Minikube setups with
locally loaded images need).";

    SecretInEnv "TF2004" "secret-in-env" Warning "a secret is passed as an environment variable"
"Environment variables leak: into crash dumps, child processes, `kubectl
describe` output and logs that print the environment. Mounted files do not.
(checkov CKV_K8S_35.)

Fix: mount the secret (`volume creds secret NAME at /run/secrets`) and read
the files, or `accept secret-in-env` when the application only reads its
environment.";

    LowUid "TF2005" "low-uid" Warning "a container runs with a user id below 10000"
"User ids below 10000 may coincide with users of the node, so a container
escape would act as a real host user. tfc's default is 10001. (checkov
CKV_K8S_40.)

Fix: remove `run-as`, use an id of 10000 or more, or `accept low-uid` for an
image that needs its own user (postgres runs as 70).";

    RunAsRoot "TF2006" "run-as-root" Warning "a container may run as root"
"`run-as root` removes `runAsNonRoot`: a process running as root inside the
container is one kernel bug away from root on the node. (checkov CKV_K8S_23.)

Fix: use an image that runs as a user, or `accept run-as-root`.";

    WritableRoot "TF2007" "writable-root" Warning "a container's root file system is writable"
"A read-only root file system stops an intruder from changing binaries and
configuration; tfc mounts a writable `/tmp`. (checkov CKV_K8S_22.)

Fix: mount an emptydir where the application writes, or `accept
writable-root`.";

    PrivilegeEscalation "TF2008" "privilege-escalation" Warning "a container may gain privileges"
"`allow-escalation` lets setuid binaries and file capabilities raise a
process's privileges. (checkov CKV_K8S_20.)

Fix: remove it, or `accept privilege-escalation`.";

    ServiceAccountToken "TF2009" "service-account-token" Warning "a pod gets a Kubernetes API token"
"`mount-token` mounts the service account token, which lets anyone inside the
container call the Kubernetes API with the pod's rights. (checkov
CKV_K8S_38.)

Fix: remove it unless the application talks to the API, or `accept
service-account-token`.";

    AddedCapabilities "TF2010" "added-capabilities" Warning "a container adds Linux capabilities"
"tfc drops every capability; `cap-add` gives some back (NET_RAW allows
spoofing, SYS_ADMIN is nearly root). (checkov CKV_K8S_25, CKV_K8S_28.)

Fix: remove them, or `accept added-capabilities`.";

    SeccompUnconfined "TF2011" "seccomp-unconfined" Warning "a container runs without a seccomp profile"
"The RuntimeDefault profile blocks system calls containers never need.
(checkov CKV_K8S_31.)

Fix: remove `seccomp unconfined`, or `accept seccomp-unconfined`.";

    DefaultNamespace "TF2012" "default-namespace" Warning "the app is deployed to the `default` namespace"
"Sharing `default` with everything else makes RBAC, quotas and network
policies coarse. Without `namespace`, tfc puts an app in a namespace named
after it. (checkov CKV_K8S_21.)

Fix: choose another namespace, or `accept default-namespace` at app level.";

    CredentialLiteral "TF2013" "credential-literal" Warning "a value in the file looks like a credential"
"A config value or environment literal looks like a secret: its name says
so (PASSWORD, TOKEN, API_KEY, ...), it starts like a known key (`sk-`,
`AKIA`, `ghp_`, ...), it is a URL with a password, or it is a long random
string. Values in a .taskflow file end up in version control and in
ConfigMaps anyone with read access can see.

Fix: declare a secret key (`secret creds { API_KEY }`), read it with
`env API_KEY = creds.API_KEY`, pass the value with `--secrets FILE`; or
`accept credential-literal` when the value is not a secret.";

    HostPathMount "TF2014" "host-path-mount" Warning "a container mounts a directory of the node"
"A hostPath volume shares the node's file system with the container: it can
read other pods' data or plant files the node uses. (Pod Security Standard
\"baseline\".)

Fix: use a persistent claim or an emptydir, or `accept host-path-mount`.";

    NetworkOpen "TF2015" "network-open" Warning "the app has no network policy"
explain::NETWORK_OPEN;

    CannotRead "TF4001" "cannot-read" Error "an input file cannot be read"
"tfc could not read a file named on the command line: the .taskflow file or
the secrets file. The message gives the operating system's reason. tfc
exits with status 2.

Fix: check the path and its permissions.";

    CannotWrite "TF4002" "cannot-write" Error "the output cannot be written"
"tfc could not write its output: the directory cannot be created, the disk
is full, the file system is read-only, or standard output failed. The
previous output, if any, is left exactly as it was. tfc exits with status 2.

Fix: free space or fix permissions, then compile again.";

    SecretsFileSyntax "TF4003" "secrets-file-syntax" Error "a line of the secrets file cannot be read"
"The secrets file holds one `SECRET.KEY=value` line per value (dotenv
form). A line that is not of that form is reported by its number only:
tfc never prints what a secrets file holds, not even a malformed line,
since it may be a password or part of a key.

    creds.password=\"unterminated     # error: the quote is not closed
    postgres://u:p@db/x               # error: no SECRET.KEY= before it

Fix: correct the line; `tfc explain TF4003` and docs/cli.md show the form.";

    RefusedOptions "TF4004" "refused-options" Error "command-line options that cannot be used together"
"Some options exclude each other: `-o -` with `--secrets` (secret values
are never written to standard output), or `--env` and `--secrets` with
`--format helm` (a chart carries every environment and no secret value).
tfc exits with status 2.

Fix: follow the help line of the message.";

    OutputConflict "TF4005" "output-conflict" Error "the output directory holds something tfc must not replace"
"tfc owns only the files it wrote into the output directory, recorded with
their SHA-256 in `.tfc-manifest`. Where it must write a file, it refuses
when something else is there: a file it did not write, a file changed
since it wrote it, a symbolic link or a directory. Nothing is changed.

Fix: move the listed entries out of the output directory, or pick another one.";

    OutputKept "TF4006" "output-kept" Warning "tfc left an entry of yours where it found it"
"While replacing an output directory, tfc found an entry it did not write
in the old tree that it could not carry into the new one (for example a
file created in the output directory during the compile, under a name the
new output takes). It was kept where it is; the message says where.

Fix: move the entry where you want it.";

    InternalError "TF4999" "internal-error" Error "a bug in tfc"
"tfc failed in a way that is always its own fault, not your file's.
Please report it with the input that caused it.";
}

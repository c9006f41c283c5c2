//! The long explanations of the codes of the later phases (the API
//! server's rules, patches, the warnings about the app as a whole), kept
//! apart from the code table (codes.rs) so that both stay short.

/// `TF0212` (UnknownObject).
pub const UNKNOWN_OBJECT: &str =
    "`patch KIND NAME` changes one object tfc emits, found by its kind and its
`metadata.name` (after `naming`). No emitted object has that kind and name.

    patch deployment wbe \"spec: {minReadySeconds: 5}\"   # error: `web`?

Fix: use the name `tfc compile -o -` shows, or add the object with `object`.";

/// `TF0213` (InvalidPatch).
pub const INVALID_PATCH: &str =
    "A `patch` body is a YAML mapping merged into the object; an `object` body is
one or more YAML documents, each with `apiVersion`, `kind` and
`metadata.name`. The result must be a valid object of its kind: tfc reads it
back with the Kubernetes types and refuses a field they do not know (a typo)
or a value of the wrong type. A patch may not change an object's kind, API
version or name.

    patch deployment web \"spec: {minReadySecond: 5}\"   # error: unknown field

Fix: correct the field (see `kubectl explain deployment.spec`).";

/// `TF0214` (SecretDataInFile).
pub const SECRET_DATA_IN_FILE: &str =
    "Secret values never live in a .taskflow file. A `patch` may not set the
`data` or `stringData` of a Secret, and an `object` may not be a Secret with
data.

Fix: declare a `secret` and pass its values with `--secrets FILE`.";

/// `TF0215` (UnreadableSealedFile).
pub const UNREADABLE_SEALED_FILE: &str =
    "`secret NAME { sealed FILE ... }` reads FILE, the SealedSecret that
`kubeseal` wrote, when the app is compiled or checked. FILE is relative to
the directory of the .taskflow file and must stay inside it: an absolute
path, a `..` and a symbolic link that leads out are refused, so that a
build reads nothing outside the app. It must be a regular file of at most
1 MiB, UTF-8 YAML or JSON, holding a `kind: SealedSecret` document (named
like the secret when the file holds several).

    secret creds { sealed sealed/creds.yaml  password }

Fix: write the file with
`kubeseal -o yaml < creds-secret.yaml > sealed/creds.yaml` next to the
.taskflow file.";

/// `TF0216` (SealedMismatch).
pub const SEALED_MISMATCH: &str =
    "The SealedSecret of a `sealed` secret must make the Secret the app
declares, where the app runs; otherwise pods fail at start, long after the
deploy:

- every declared key is in `spec.encryptedData` (or the template's `data`);
- the Secret type (`spec.template.type`, default Opaque) is the declared
  `type`;
- the controller can decrypt it: with the default strict scope it was
  sealed for the secret's name and the app's namespace; with
  `--scope namespace-wide` for the namespace; `--scope cluster-wide`
  anywhere (tfc then writes the app's namespace and the secret's name).

Fix: reseal the Secret (`kubeseal --namespace NS`), or correct the
declaration.";

/// `TF1014` (UndeclaredSealedKey).
pub const UNDECLARED_SEALED_KEY: &str =
    "The SealedSecret holds a key that the `sealed` secret does not declare.
The Secret will hold it, but tfc checks references against the declared
keys only, so `env NAME.KEY` for it is an error.

Fix: declare the key, or reseal the Secret without it.";

/// `TF0501` (InvalidIngressPath).
pub const INVALID_INGRESS_PATH: &str =
    "The API server refuses Prefix and Exact ingress paths that are not plain
absolute paths: a path may not contain `//`, `/./`, `/../` or an encoded
slash (`%2f`), nor end in `/.` or `/..`. A regex route must start with `/`
too. tfc checks the emitted Ingress, so the error points at the route.

    route /api//v1 -> api      # error: `//`
    route /api/v1 -> api       # ok

Fix: write the path the client requests, without dot segments or `//`.";

/// `TF0502` (RolloutCannotProgress).
pub const ROLLOUT_CANNOT_PROGRESS: &str =
    "A rolling update needs room to move: `surge` (extra pods) and
`unavailable` (pods that may be down) cannot both be 0, neither can be
negative, and `unavailable` cannot be over 100%. The API server rejects
such a Deployment.

    strategy rolling surge 0 unavailable 0     # error
    strategy rolling surge 1 unavailable 0     # ok: one extra pod at a time

Fix: allow one extra pod (`surge 1`) or one pod down (`unavailable 1`).";

/// `TF0503` (EmptyCommand).
pub const EMPTY_COMMAND: &str =
    "An `exec` probe runs a command in the container; the API server rejects
one whose command is empty.

    readiness exec \"\"                       # error
    readiness exec \"pg_isready -U app\"      # ok

Fix: give the command, or use an `http` or `tcp` probe.";

/// `TF0504` (PathBackstep).
pub const PATH_BACKSTEP: &str =
    "The API server rejects a hostPath volume whose path has a `..` element (it
could reach outside the directory it names), and a block volume (`mode
block`) whose device path has one.

    volume logs host-path /var/log/../lib at /logs     # error
    volume logs host-path /var/lib at /logs            # ok

Fix: write the path without `..`.";

/// `TF0505` (SecretTypeKeys).
pub const SECRET_TYPE_KEYS: &str = "A Secret's `type` tells the API server which keys it holds:
`kubernetes.io/tls` needs `tls.crt` and `tls.key`, `kubernetes.io/basic-auth`
`username` or `password`, `kubernetes.io/ssh-auth` `ssh-privatekey`,
`kubernetes.io/dockerconfigjson` `.dockerconfigjson` (JSON) and
`kubernetes.io/dockercfg` `.dockercfg` (a JSON object, when a value is
passed). A `kubernetes.io/service-account-token` Secret needs the annotation
`kubernetes.io/service-account.name`. A Secret without them is rejected.

    secret certs { type kubernetes.io/tls  \"tls.crt\" }    # error: no tls.key

Fix: declare the keys the type requires, or use the default type (Opaque).";

/// `TF0506` (InvalidDataKey).
pub const INVALID_DATA_KEY: &str =
    "Keys of ConfigMaps and Secrets are file names in a volume: letters,
digits, `-`, `_` and `.`, at most 253 characters, and neither `.`, `..` nor
a name starting with `..` (Kubernetes keeps its own files there).

Fix: rename the key.";

/// `TF0507` (InvalidEnvPrefix).
pub const INVALID_ENV_PREFIX: &str =
    "The prefix of `env from NAME prefix P` starts every variable's name, so it
may not contain `=` nor a control character or non-ASCII letter (the rule of
Kubernetes 1.33 and later; older clusters accept only letters, digits, `_`,
`-` and `.`).

    env from settings prefix \"APP=\"     # error
    env from settings prefix \"APP_\"     # ok

Fix: use letters, digits and `_`.";

/// `TF0508` (ObjectTooLarge).
pub const OBJECT_TOO_LARGE: &str =
    "The API server stores at most 1 MiB (1,048,576 bytes) of data in one
ConfigMap or Secret, and 256 KiB (262,144 bytes) of annotations (keys and
values) on one object.

Fix: split the config or secret, or keep large files out of the cluster
(an image, a volume).";

/// `TF0509` (ConflictingSettings).
pub const CONFLICTING_SETTINGS: &str = "Some settings are valid alone and refused together:

- `cap-add CAP_SYS_ADMIN` while privilege escalation stays off (tfc's
  default): CAP_SYS_ADMIN grants escalation, so add `allow-escalation`;
- the access mode `rwop` (ReadWriteOncePod) with any other access mode;
- an annotation `kubernetes.io/ingress.class` that differs from the
  ingress's `class`.

Fix: keep one of the two, or make them agree.";

/// `TF1009` (NotValidated).
pub const NOT_VALIDATED: &str =
    "tfc checks every object it emits against the rules of the Kubernetes API
server's validation code (docs/security.md). An object of a kind it has no
rules for is emitted as written, unchecked: the cluster may still refuse it.

Fix: check it with `kubectl apply --dry-run=server`, or `accept not-validated`
once you have.";

/// `TF1010` (PatchHasConstruct).
pub const PATCH_HAS_CONSTRUCT: &str =
    "The field a patch sets has a statement of its own (`replicas`, `node-selector`,
`pod-annotations`, ...). The statement is checked and shown in docs; a patch
is a last resort, and overrides what the statement would write.

Fix: use the statement the message names, or `accept patch-has-construct`.";

/// `TF1011` (DrainBlocked).
pub const DRAIN_BLOCKED: &str =
    "`disruption max-unavailable 0`, `min-available 100%`, or a `min-available`
count that is not below `replicas` allows no voluntary disruption: `kubectl
drain` (and so a node upgrade) waits for ever on these pods.

Fix: `disruption max-unavailable 1`, and 2 or more replicas.";

/// `TF1012` (UnreachableService).
pub const UNREACHABLE_SERVICE: &str =
    "Every app is closed by network policy (`network-mode closed`, the default):
a pod may only receive the connections the file implies (`url()`,
`host()`, `port()` in a client's values, ingress routes, NodePort and
LoadBalancer Services) or declares (`network { allow A -> B }`). Nothing
reaches this service, so its Service answers no one. A client that finds it
by a host name written in its code or image is blocked at run time.

Fix: read its address with `env API = url(api)` in the client, or declare
`network { allow web -> api }`; or open the app inside with
`network-mode internal`.";

/// `TF1013` (ImageNeeds).
pub const IMAGE_NEEDS: &str =
    "tfc runs every container as a user (10001), with a read-only root file
system and no Linux capabilities. Some official images are built for the
opposite: nginx and httpd start as root, bind port 80 and chown their
directories; postgres, mysql, mariadb, mongo, redis and rabbitmq write to
directories of their root file system. Such a pod crashes in the cluster.
tfc knows these images and names the statements each needs: a volume where
it writes, or the relaxations (each of which warns on its own).

    service web { image nginx:1.27 }          # warning: needs root
    service web { image nginxinc/nginx-unprivileged:1.27  port 8080 }

Fix: add the statements the help names, use the unprivileged variant, or
`accept image-needs` when the image is configured otherwise.";

/// `TF2015` (NetworkOpen).
pub const NETWORK_OPEN: &str =
    "`network-mode open` emits no NetworkPolicy: any pod of the cluster may
connect to any pod of the app, on any port.

Fix: `network-mode internal` lets the app's pods reach each other and keeps
the rest closed; or `accept network-open` at app level.";

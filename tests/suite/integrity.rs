//! Every reference in the examples' output resolves inside that output:
//! selectors, Service ports, env and envFrom, claims, volumes, ingress
//! backends, autoscaler targets, StatefulSet services and probe ports.

use crate::examples::compiled_examples;
use serde_yaml::Value;

pub fn docs(stream: &str) -> Vec<Value> {
    serde_yaml::Deserializer::from_str(stream)
        .map(|d| serde::Deserialize::deserialize(d).unwrap())
        .filter(|v: &Value| !v.is_null())
        .collect()
}

fn s<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

fn text(v: &Value, path: &[&str]) -> String {
    s(v, path).and_then(Value::as_str).unwrap_or("").to_string()
}

fn find<'a>(objs: &'a [Value], kind: &str, name: &str) -> Option<&'a Value> {
    objs.iter()
        .find(|o| text(o, &["kind"]) == kind && text(o, &["metadata", "name"]) == name)
}

fn labels_match(selector: &Value, labels: &Value) -> bool {
    selector
        .as_mapping()
        .is_some_and(|sel| !sel.is_empty() && sel.iter().all(|(k, v)| labels.get(k) == Some(v)))
}

/// (object, pod template) of every workload.
fn workloads(objs: &[Value]) -> Vec<(&Value, &Value)> {
    objs.iter()
        .filter(|o| matches!(text(o, &["kind"]).as_str(), "Deployment" | "StatefulSet"))
        .map(|o| (o, s(o, &["spec", "template"]).unwrap()))
        .collect()
}

/// Every pod template, jobs' too: what a NetworkPolicy may select.
fn pod_templates(objs: &[Value]) -> Vec<&Value> {
    objs.iter()
        .filter_map(|o| match text(o, &["kind"]).as_str() {
            "Deployment" | "StatefulSet" | "Job" => s(o, &["spec", "template"]),
            "CronJob" => s(o, &["spec", "jobTemplate", "spec", "template"]),
            _ => None,
        })
        .collect()
}

/// The containers of a pod template, init containers (native sidecars
/// among them) first.
fn containers(template: &Value) -> Vec<&Value> {
    ["initContainers", "containers"]
        .iter()
        .filter_map(|k| s(template, &["spec", k]).and_then(Value::as_sequence))
        .flatten()
        .collect()
}

/// Every container port of a pod template.
fn port_entries(template: &Value) -> Vec<Value> {
    containers(template)
        .iter()
        .flat_map(|c| {
            c.get("ports")
                .and_then(Value::as_sequence)
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

fn container_ports(template: &Value) -> Vec<i64> {
    port_entries(template)
        .iter()
        .filter_map(|p| p.get("containerPort").and_then(Value::as_i64))
        .collect()
}

/// The names of a pod template's container ports.
fn container_port_names(template: &Value) -> Vec<String> {
    port_entries(template)
        .iter()
        .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_string))
        .collect()
}

pub fn check(objs: &[Value]) -> Vec<String> {
    let mut errs = Vec::new();
    let pods = workloads(objs);
    for (o, t) in &pods {
        let name = text(o, &["metadata", "name"]);
        let sel = s(o, &["spec", "selector", "matchLabels"]).unwrap();
        if !labels_match(sel, s(t, &["metadata", "labels"]).unwrap()) {
            errs.push(format!("{name}: selector does not match its own template"));
        }
        for c in containers(t) {
            for e in c
                .get("env")
                .and_then(Value::as_sequence)
                .cloned()
                .unwrap_or_default()
            {
                for (kind, field) in [("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")]
                {
                    if let Some(r) = s(&e, &["valueFrom", field]) {
                        if r.get("optional").and_then(Value::as_bool) == Some(true) {
                            continue;
                        }
                        let (n, k) = (text(r, &["name"]), text(r, &["key"]));
                        let data = find(objs, kind, &n).and_then(|x| x.get("data"));
                        if data.and_then(|d| d.get(k.as_str())).is_none() {
                            errs.push(format!(
                                "{name}: env reads {kind} {n} key {k}, which does not exist"
                            ));
                        }
                    }
                }
            }
            for f in c
                .get("envFrom")
                .and_then(Value::as_sequence)
                .cloned()
                .unwrap_or_default()
            {
                for (kind, field) in [("ConfigMap", "configMapRef"), ("Secret", "secretRef")] {
                    if let Some(r) = f.get(field) {
                        let optional = r.get("optional").and_then(Value::as_bool) == Some(true);
                        if !optional && find(objs, kind, &text(r, &["name"])).is_none() {
                            errs.push(format!("{name}: envFrom names a missing {kind}"));
                        }
                    }
                }
            }
            let ports = container_ports(t);
            let own_names: Vec<String> = c
                .get("ports")
                .and_then(Value::as_sequence)
                .map(|ps| ps.iter().map(|p| text(p, &["name"])).collect())
                .unwrap_or_default();
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                for action in ["httpGet", "tcpSocket"] {
                    // A named probe port is a port of the same container.
                    if let Some(n) = s(c, &[probe, action, "port"]).and_then(Value::as_str) {
                        if !own_names.iter().any(|x| x == n) {
                            errs.push(format!(
                                "{name}: {probe} checks port `{n}`, which its container does not name"
                            ));
                        }
                    }
                    if let Some(p) = s(c, &[probe, action, "port"]).and_then(Value::as_i64) {
                        if !ports.contains(&p) {
                            errs.push(format!(
                                "{name}: {probe} checks port {p}, which the container does not open"
                            ));
                        }
                    }
                }
            }
            let volumes: Vec<String> = s(t, &["spec", "volumes"])
                .and_then(Value::as_sequence)
                .map(|v| v.iter().map(|x| text(x, &["name"])).collect())
                .unwrap_or_default();
            let templates: Vec<String> = s(o, &["spec", "volumeClaimTemplates"])
                .and_then(Value::as_sequence)
                .map(|v| v.iter().map(|x| text(x, &["metadata", "name"])).collect())
                .unwrap_or_default();
            for m in c
                .get("volumeMounts")
                .and_then(Value::as_sequence)
                .cloned()
                .unwrap_or_default()
            {
                let v = text(&m, &["name"]);
                if !volumes.contains(&v) && !templates.contains(&v) {
                    errs.push(format!("{name}: mounts volume {v}, which is not declared"));
                }
            }
        }
        for v in s(t, &["spec", "volumes"])
            .and_then(Value::as_sequence)
            .cloned()
            .unwrap_or_default()
        {
            if let Some(claim) =
                s(&v, &["persistentVolumeClaim", "claimName"]).and_then(Value::as_str)
            {
                if find(objs, "PersistentVolumeClaim", claim).is_none() {
                    errs.push(format!(
                        "{name}: uses claim {claim}, which is not in the output"
                    ));
                }
            }
            let optional =
                |src: &str| s(&v, &[src, "optional"]).and_then(Value::as_bool) == Some(true);
            if let Some(cm) = s(&v, &["configMap", "name"]).and_then(Value::as_str) {
                if !optional("configMap") && find(objs, "ConfigMap", cm).is_none() {
                    errs.push(format!(
                        "{name}: mounts ConfigMap {cm}, which is not in the output"
                    ));
                }
            }
        }
        if text(o, &["kind"]) == "StatefulSet" {
            let svc = text(o, &["spec", "serviceName"]);
            // Headless by default; `expose cluster-ip` may make it a normal
            // Service, which the API server accepts as well.
            if find(objs, "Service", &svc).is_none() {
                errs.push(format!(
                    "{name}: serviceName {svc} is not a Service in the output"
                ));
            }
        }
    }
    for svc in objs.iter().filter(|o| text(o, &["kind"]) == "Service") {
        let name = text(svc, &["metadata", "name"]);
        let sel = s(svc, &["spec", "selector"]).unwrap();
        let selected: Vec<_> = pods
            .iter()
            .filter(|(_, t)| labels_match(sel, s(t, &["metadata", "labels"]).unwrap()))
            .collect();
        // One Service may front several workloads (bookinfo's `reviews`, an
        // `object`); the ports below must then be on each of them.
        if selected.is_empty() {
            errs.push(format!("Service {name} selects no workload"));
        }
        for p in s(svc, &["spec", "ports"])
            .and_then(Value::as_sequence)
            .cloned()
            .unwrap_or_default()
        {
            // Without targetPort, Kubernetes forwards to `port`; a named
            // targetPort is a container port's name.
            let named = p.get("targetPort").and_then(Value::as_str);
            let target = p
                .get("targetPort")
                .or_else(|| p.get("port"))
                .and_then(Value::as_i64)
                .unwrap_or(-1);
            let found = |t: &Value| match named {
                Some(n) => container_port_names(t).iter().any(|x| x == n),
                None => container_ports(t).contains(&target),
            };
            if !selected.iter().all(|(_, t)| found(t)) {
                errs.push(format!(
                    "Service {name}: targetPort {target} is not a container port"
                ));
            }
        }
    }
    for ing in objs.iter().filter(|o| text(o, &["kind"]) == "Ingress") {
        for rule in s(ing, &["spec", "rules"])
            .and_then(Value::as_sequence)
            .cloned()
            .unwrap_or_default()
        {
            for path in s(&rule, &["http", "paths"])
                .and_then(Value::as_sequence)
                .cloned()
                .unwrap_or_default()
            {
                let svc = text(&path, &["backend", "service", "name"]);
                let port =
                    s(&path, &["backend", "service", "port", "number"]).and_then(Value::as_i64);
                let ports: Vec<i64> = find(objs, "Service", &svc)
                    .and_then(|x| s(x, &["spec", "ports"]))
                    .and_then(Value::as_sequence)
                    .map(|v| {
                        v.iter()
                            .filter_map(|p| p.get("port").and_then(Value::as_i64))
                            .collect()
                    })
                    .unwrap_or_default();
                if port.is_none_or(|p| !ports.contains(&p)) {
                    errs.push(format!(
                        "Ingress routes to {svc}:{port:?}, which is not a Service port"
                    ));
                }
            }
        }
    }
    for hpa in objs
        .iter()
        .filter(|o| text(o, &["kind"]) == "HorizontalPodAutoscaler")
    {
        let kind = text(hpa, &["spec", "scaleTargetRef", "kind"]);
        let target = text(hpa, &["spec", "scaleTargetRef", "name"]);
        if find(objs, &kind, &target).is_none() {
            errs.push(format!(
                "HorizontalPodAutoscaler targets {kind} {target}, which is not in the output"
            ));
        }
    }
    for pvc in objs
        .iter()
        .filter(|o| text(o, &["kind"]) == "PersistentVolumeClaim")
    {
        let pv = text(pvc, &["spec", "volumeName"]);
        if !pv.is_empty() && find(objs, "PersistentVolume", &pv).is_none() {
            errs.push(format!(
                "claim binds to PersistentVolume {pv}, which is not in the output"
            ));
        }
    }
    for np in objs
        .iter()
        .filter(|o| text(o, &["kind"]) == "NetworkPolicy")
    {
        let sel = s(np, &["spec", "podSelector", "matchLabels"]).unwrap();
        // An app without pods (only volumes) still gets its default-deny
        // policy, for the pods it will have.
        let templates = pod_templates(objs);
        if !templates.is_empty()
            && !templates
                .iter()
                .any(|t| labels_match(sel, s(t, &["metadata", "labels"]).unwrap()))
        {
            errs.push(format!(
                "NetworkPolicy {} selects no pods",
                text(np, &["metadata", "name"])
            ));
        }
    }
    errs
}

#[test]
fn every_reference_in_the_output_resolves() {
    for (stem, env, stream) in compiled_examples() {
        let objs = docs(&stream);
        assert!(!objs.is_empty());
        let errs = check(&objs);
        assert!(errs.is_empty(), "{stem} {env:?}:\n{}", errs.join("\n"));
    }
}

/// Every clean case, as written and in each environment: the constructs'
/// own cases resolve too. An `external` config or secret is in the cluster,
/// not the output: it stands in with the keys it declares.
#[test]
fn every_reference_of_every_clean_case_resolves_in_every_environment() {
    let mut checked = 0;
    for path in crate::helm::clean_cases() {
        let source = std::fs::read_to_string(&path).unwrap();
        // TF1008 warns that a Service selects another workload's pods too:
        // the broken reference is the point of that case.
        if source.lines().next().is_some_and(|l| l.contains("TF1008")) {
            continue;
        }
        for (env, c) in crate::support::compiled_variants(&source, path.parent().unwrap()) {
            let (Some(objects), Some(app)) = (c.objects, c.app) else {
                continue;
            };
            let mut objs = docs(&tfc::emit::yaml::stream(&objects).unwrap());
            let external = app
                .secrets
                .iter()
                .filter(|x| x.external.is_some())
                .map(|x| {
                    (
                        "Secret",
                        x.name.node.clone(),
                        x.keys.iter().map(|k| k.node.clone()).collect::<Vec<_>>(),
                    )
                })
                .chain(
                    app.configs
                        .iter()
                        .filter(|x| x.external.is_some())
                        .map(|x| {
                            (
                                "ConfigMap",
                                x.name.node.clone(),
                                x.entries.iter().map(|e| e.key.node.clone()).collect(),
                            )
                        }),
                );
            for (kind, name, keys) in external {
                let data: String = keys.iter().map(|k| format!("  {k}: x\n")).collect();
                let text = format!("kind: {kind}\nmetadata:\n  name: {name}\ndata:\n{data}");
                objs.push(serde_yaml::from_str(&text).unwrap());
            }
            // A probe may check a port by number that the container does
            // not declare (Kubernetes allows it; cases test the bounds).
            let errs: Vec<String> = check(&objs)
                .into_iter()
                .filter(|e| !e.ends_with("which the container does not open"))
                .collect();
            assert!(
                errs.is_empty(),
                "{} {env:?}:\n{}",
                path.display(),
                errs.join("\n")
            );
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} variants checked");
}

#[test]
fn the_integrity_check_catches_a_broken_reference() {
    let (_, _, stream) = compiled_examples()
        .into_iter()
        .find(|(s, _, _)| s == "taskora")
        .unwrap();
    let broken = stream.replace("key: APP_ENV", "key: APP_ENVV");
    assert!(!check(&docs(&broken)).is_empty());
}

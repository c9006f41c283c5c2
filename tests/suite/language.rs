//! Language behaviours, each compiled from a snippet and checked in the output.

use tfc::emit::yaml;

/// Compiles `body` inside `app shop { }`; panics on errors.
fn compile_env(body: &str, env: Option<&str>) -> (String, Vec<String>) {
    let src = format!("app shop {{\n{body}\n}}\n");
    let c = tfc::compile(
        &src,
        &tfc::CompileOptions {
            env: env.map(str::to_string),
            ..Default::default()
        },
    );
    let codes: Vec<String> = c
        .diagnostics
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect();
    let errors: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    (yaml::stream(&c.objects.unwrap()).unwrap(), codes)
}

fn compile(body: &str) -> (String, Vec<String>) {
    compile_env(body, None)
}

const WEB: &str = "service web { image web:1 port http 80 cpu 100m memory 64Mi readiness tcp }";

#[test]
fn allow_ingress_and_world_are_sources() {
    let (out, _) = compile(&format!(
        "{WEB}\n network n {{ allow ingress -> web  allow world -> web.http }}"
    ));
    assert!(out.contains("kubernetes.io/metadata.name: ingress-nginx"));
    assert!(out.contains("cidr: 0.0.0.0/0"));
}

#[test]
fn environments_take_app_labels_and_naming() {
    let body = format!(
        "{WEB}\n env dev {{ labels {{ team = x }} naming {{ default = \"{{app}}-{{name}}\" }} }}"
    );
    let (base, _) = compile(&body);
    let (dev, _) = compile_env(&body, Some("dev"));
    assert!(!base.contains("team: x") && base.contains("name: web\n"));
    assert!(dev.contains("team: x") && dev.contains("name: shop-web\n"));
}

#[test]
fn dotted_and_quoted_secret_keys() {
    let (out, _) = compile(&format!(
        "secret s {{ tls.crt tls.key \"version\" }}\n{}",
        WEB.replace("readiness tcp", "readiness tcp env from s")
    ));
    for key in ["tls.crt: ''", "tls.key: ''", "version: ''"] {
        assert!(out.contains(key), "{key}");
    }
}

#[test]
fn selectors_may_pick_app_and_recommended_labels() {
    let (out, _) = compile(&format!(
        "labels {{ team = x }}\n{}",
        WEB.replace(
            "image web:1",
            "image web:1 selector { team app.kubernetes.io/component }"
        )
    ));
    assert!(out.contains("matchLabels:\n      app.kubernetes.io/component: web\n      team: x"));
}

#[test]
fn a_database_without_ports_still_gets_its_headless_service() {
    let (out, _) = compile("database q { image q:1 cpu 100m memory 64Mi readiness exec \"true\" }");
    assert!(out.contains("serviceName: q"));
    assert!(out.contains("kind: Service\n") && out.contains("clusterIP: None"));
}

#[test]
fn block_volumes_are_devices() {
    let (out, _) = compile(&format!(
        "volume raw {{ size 1Gi mode block }}\n{}",
        WEB.replace(
            "readiness tcp",
            "readiness tcp volume disk claim raw at /dev/xvda"
        )
    ));
    assert!(out.contains("volumeDevices:\n        - devicePath: /dev/xvda\n          name: disk"));
    assert!(!out.contains("mountPath: /dev/xvda"));
}

#[test]
fn default_replicas_are_not_reported_under_an_autoscaler() {
    let (out, codes) = compile(&format!("replicas 2\n{WEB}\n autoscale web 2..4 cpu 50%"));
    assert!(!codes.contains(&"TF1006".to_string()), "{codes:?}");
    assert!(
        !out.contains("replicas: 2"),
        "the autoscaler owns the count"
    );
}

#[test]
fn a_default_rolling_strategy_yields_to_a_read_write_once_claim() {
    let (out, _) = compile(&format!(
        "strategy rolling surge 25%\nvolume shared {{ size 1Gi }}\n{}",
        WEB.replace(
            "readiness tcp",
            "readiness tcp volume data claim shared at /data"
        )
    ));
    assert!(out.contains("type: Recreate"));
    let (own, _) = compile(&format!(
        "volume shared {{ size 1Gi access rwx }}\n{}",
        WEB.replace(
            "readiness tcp",
            "readiness tcp strategy rolling surge 1 volume data claim shared at /data"
        )
    ));
    assert!(own.contains("type: RollingUpdate"));
}

#[test]
fn url_host_and_port_resolve_to_the_service() {
    let (out, _) = compile(&format!(
        "naming {{ service = \"{{name}}-svc\" }}\nconfig c {{ A = url(web)  B = \"http://\" + host(web) + \":\" + port(web.http)  C = url(web, \"grpc\") }}\n{}",
        WEB.replace("readiness tcp", "readiness tcp env from c")
    ));
    assert!(out.contains("A: http://web-svc:80"));
    assert!(out.contains("B: http://web-svc:80"));
    assert!(out.contains("C: grpc://web-svc:80"));
}

#[test]
fn env_overrides_replace_by_key_and_keep_the_rest() {
    let body = format!(
        "config c {{ LEVEL = \"info\"  MODE = \"x\" }}\n{}\n env dev {{ c.LEVEL = \"debug\"  web {{ replicas 3  port http 81 }} }}",
        WEB.replace("readiness tcp", "readiness tcp env from c")
    );
    let (dev, _) = compile_env(&body, Some("dev"));
    assert!(dev.contains("LEVEL: debug") && dev.contains("MODE: x"));
    assert!(dev.contains("replicas: 3") && dev.contains("port: 81"));
}

#[test]
fn two_service_ports_may_target_one_container_port() {
    let (out, _) = compile(
        "service web { image web:1 port http 80 -> 8080  port alt 8081 -> 8080  readiness http /healthz port alt }",
    );
    assert_eq!(out.matches("containerPort: 8080").count(), 1, "{out}");
    assert_eq!(out.matches("targetPort: 8080").count(), 2, "{out}");
    assert!(out.contains("port: 8081"));
}

#[test]
fn a_config_key_may_start_with_a_keyword() {
    let (out, _) = compile(&format!(
        "config c {{ image.tag = \"v1\"  port.http = \"80\" }}\n{WEB}\nservice api {{ image api:1 env from c }}"
    ));
    assert!(
        out.contains("image.tag: v1") && out.contains("port.http: '80'"),
        "{out}"
    );
}

/// The rules of one direction of a NetworkPolicy: (peer, ports).
fn rules(policy: &serde_yaml::Value, dir: &str, peer: &str) -> Vec<(String, String)> {
    policy["spec"][dir]
        .as_sequence()
        .map(|rules| {
            rules
                .iter()
                .map(|r| {
                    (
                        serde_yaml::to_string(&r[peer]).unwrap(),
                        serde_yaml::to_string(&r["ports"]).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn each_peer_gets_one_rule_per_direction() {
    let (out, _) = compile(
        "service db { image db:1 port pg 5432 port metrics 9187 cpu 1 memory 1Gi readiness tcp }
         service api { image api:1 port http 8000 port admin 9000 cpu 1 memory 1Gi readiness tcp
           env DB = host(db) + \":\" + port(db)
           env METRICS = url(db.metrics) }
         service web { image web:1 port 80 cpu 1 memory 1Gi readiness tcp
           env API = url(api)  env ADMIN = url(api.admin) }
         network { allow web -> api.http  allow api -> world.443  allow api -> world.53 }",
    );
    let policies: Vec<serde_yaml::Value> = serde_yaml::Deserializer::from_str(&out)
        .map(|d| serde::Deserialize::deserialize(d).unwrap())
        .filter(|v: &serde_yaml::Value| v["kind"] == "NetworkPolicy")
        .collect();
    let mut checked = 0;
    for p in &policies {
        for (dir, peer) in [("ingress", "from"), ("egress", "to")] {
            let r = rules(p, dir, peer);
            let mut peers: Vec<&String> = r.iter().map(|(peer, _)| peer).collect();
            peers.sort();
            peers.dedup();
            assert_eq!(peers.len(), r.len(), "{:?}: {r:#?}", p["metadata"]["name"]);
            checked += r.len();
        }
    }
    assert!(checked >= 6, "{out}");
    let api = policies
        .iter()
        .find(|p| p["metadata"]["name"] == "allow-api")
        .unwrap();
    // web reaches api on both ports, in one rule; api reaches db on all of
    // its ports (host() names the service) and the world on 443 and 53.
    let from_web = rules(api, "ingress", "from");
    assert_eq!(from_web.len(), 1);
    assert!(from_web[0].1.contains("8000") && from_web[0].1.contains("9000"));
    let egress = rules(api, "egress", "to");
    assert_eq!(egress.len(), 2, "{egress:#?}");
    assert!(
        egress
            .iter()
            .any(|(_, ports)| ports.contains("5432") && ports.contains("9187"))
    );
    assert!(
        egress
            .iter()
            .any(|(_, ports)| ports.contains("443") && ports.contains("53"))
    );
}

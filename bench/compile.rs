//! Benchmark: compile time per phase for generated apps of 10 to 1000
//! services (`cargo bench`). Prints the median of several runs.

use std::time::{Duration, Instant};

/// An app of `n` services that reference each other, a config and a secret.
fn app(n: usize) -> String {
    let mut s = String::from(
        "app big {\n  namespace big\n  config shared { LOG_LEVEL = \"info\" }\n  secret creds { TOKEN }\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "  # service {i} of {n}: one comment line per service, so that keeping comments is measured\n  service svc{i} {{\n    image registry.example.com/team/svc{i}:1.0.{i}\n    replicas 2\n    port http 80 -> 8080\n    cpu 100m..500m  memory 128Mi..256Mi\n    env PEER = url(svc{})\n    env from shared\n    env creds.TOKEN\n    readiness http /healthz\n    liveness http /healthz delay 10s\n  }}\n",
            (i + 1) % n
        ));
    }
    s.push_str("  ingress web { host big.example.com  route / -> svc0 }\n}\n");
    s
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f());
        times.push(t.elapsed());
    }
    median(times)
}

fn main() {
    // `cargo bench --bench compile -- parse-once`: parse and lower the
    // 1000-service app once, for instruction counts under callgrind.
    if std::env::args().any(|a| a == "parse-once") {
        let src = app(1000);
        let (file, _) = tfc::syntax::parse(&src);
        if let Some(file) = file {
            std::hint::black_box(tfc::ir::lower(&file, &src, &tfc::ir::Options::default()));
        }
        return;
    }
    // `cargo bench --bench compile -- helm`: the Helm chart build (all
    // phases, app as written plus one environment) at 250 to 2000 services.
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench --bench compile -- parse-loop`: parse the 1000-service
    // app 20 times, for `perf stat -e cycles` (cycles do not count the time
    // a shared machine gives to others).
    if args.iter().any(|a| a == "parse-loop") {
        let mut src = app(1000);
        if args.iter().any(|a| a == "no-comments") {
            let kept: Vec<&str> = src
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .collect();
            src = kept.join("\n") + "\n";
        }
        for _ in 0..20 {
            std::hint::black_box(tfc::syntax::parse(&src));
        }
        return;
    }
    // `cargo bench --bench compile -- phases-once`: every phase once on the
    // 1000-service app, for instruction counts per phase under callgrind.
    if args.iter().any(|a| a == "phases-once") {
        let src = app(1000);
        let (file, _) = tfc::syntax::parse(&src);
        let Some(file) = file else { return };
        let (ir, _) = tfc::ir::lower(&file, &src, &tfc::ir::Options::default());
        std::hint::black_box(tfc::check::check(&ir));
        let emitted = tfc::emit::emit(&ir, &Default::default());
        std::hint::black_box(tfc::validate::validate(&ir, &emitted));
        let (objects, _) = tfc::emit::split(emitted);
        let _ = std::hint::black_box(tfc::emit::yaml::stream(&objects).map(|s| s.len()));
        return;
    }
    if let Some(at) = args.iter().position(|a| a == "helm-once") {
        let n = args
            .get(at + 1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(1000);
        let mut src = app(n);
        src.truncate(src.len() - 2);
        src.push_str("  env prod { svc0.replicas 3 }\n}\n");
        std::hint::black_box(tfc::compile_chart(&src, &Default::default()));
        return;
    }
    if std::env::args().any(|a| a == "helm") {
        println!("{:>8} {:>10}", "services", "helm");
        for n in [250, 500, 1000, 2000] {
            let mut src = app(n);
            src.truncate(src.len() - 2);
            src.push_str("  env prod { svc0.replicas 3 }\n}\n");
            let runs = if n >= 1000 { 5 } else { 9 };
            let t = time(runs, || {
                tfc::compile_chart(&src, &Default::default())
                    .files
                    .map(|f| f.len())
            });
            println!(
                "{n:>8} {:>10}",
                format!("{:.1}ms", t.as_secs_f64() * 1000.0)
            );
        }
        return;
    }
    println!(
        "{:>8} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "services", "lines", "parse", "lower", "check", "emit", "validate", "yaml", "total"
    );
    for n in [10, 100, 1000] {
        let src = app(n);
        let runs = if n >= 1000 { 15 } else { 50 };
        let opts = tfc::CompileOptions::default();
        let parse = time(runs, || tfc::syntax::parse(&src));
        let (file, _) = tfc::syntax::parse(&src);
        let Some(file) = file else { return };
        let lower = time(runs, || {
            tfc::ir::lower(&file, &src, &tfc::ir::Options::default())
        });
        let (ir, _) = tfc::ir::lower(&file, &src, &tfc::ir::Options::default());
        let check = time(runs, || tfc::check::check(&ir));
        let emit = time(runs, || tfc::emit::emit(&ir, &opts.secrets));
        let emitted = tfc::emit::emit(&ir, &opts.secrets);
        let validate = time(runs, || tfc::validate::validate(&ir, &emitted));
        let (objects, _) = tfc::emit::split(emitted);
        let yaml = time(runs, || tfc::emit::yaml::stream(&objects));
        let total = time(runs, || {
            tfc::compile(&src, &opts)
                .objects
                .map(|o| tfc::emit::yaml::stream(&o))
        });
        let ms = |d: Duration| format!("{:.2}ms", d.as_secs_f64() * 1000.0);
        println!(
            "{n:>8} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
            src.lines().count(),
            ms(parse),
            ms(lower),
            ms(check),
            ms(emit),
            ms(validate),
            ms(yaml),
            ms(total)
        );
    }
}

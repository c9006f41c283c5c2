//! Benchmark: inputs built to make a compiler slow (`cargo bench --bench
//! hostile`). Each is measured at two sizes, so that the ratio shows how
//! the cost grows: about 2x for twice the input means linear.

use std::time::{Duration, Instant};
use tfc::diagnostic::{ColorChoice, render_human};

/// `n` unknown names against `n` declared ones (the "did you mean" search).
fn unknown_names(n: usize) -> String {
    let mut s = String::from("app a {\n  accept image-not-pinned\n");
    for i in 0..n {
        s.push_str(&format!("  config cfg-number-{i} {{ KEY{i} = \"v\" }}\n"));
    }
    s.push_str("  service web { image nginxinc/nginx-unprivileged:1.27 port http 80\n");
    for i in 0..n {
        s.push_str(&format!("    env E{i} = cfg-numbr-{i}.KEY{i}\n"));
    }
    s.push_str("  }\n}\n");
    s
}

/// `n` errors on one line.
fn long_line(n: usize) -> String {
    format!(
        "app a {{ service web {{ image nginxinc/nginx-unprivileged:1.27 {}}} }}\n",
        "replicas x ".repeat(n)
    )
}

/// `n` environments.
fn environments(n: usize) -> String {
    let mut s = String::from(
        "app a {\n  accept image-not-pinned\n  service web { image nginxinc/nginx-unprivileged:1.27 port http 80 cpu 100m memory 64Mi readiness http /h }\n",
    );
    for e in 0..n {
        s.push_str(&format!("  env e{e} {{ web.replicas {} }}\n", e % 5 + 1));
    }
    s.push_str("}\n");
    s
}

/// `n` services in `n` environments, each renaming every Service (a chart of n² objects).
fn chart(n: usize) -> String {
    let mut s = String::from("app a {\n  accept image-not-pinned\n");
    for i in 0..n {
        s.push_str(&format!(
            "  service s{i} {{ image nginxinc/nginx-unprivileged:1.27 port http 80 cpu 100m memory 64Mi readiness http /h env U = url(s{}) }}\n",
            (i + 1) % n
        ));
    }
    for e in 0..n {
        s.push_str(&format!(
            "  env e{e} {{ labels {{ team = t{e} }} naming {{ service = \"{{name}}-e{e}\" }} }}\n"
        ));
    }
    s.push_str("}\n");
    s
}

/// `n` extra objects in one `object` statement, each patched too.
fn objects(n: usize) -> String {
    let mut s = String::from("app a {\n  object \"\"\"\n");
    for i in 0..n {
        s.push_str(&format!(
            "    ---\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: c{i}\n    data:\n      k: v\n"
        ));
    }
    s.push_str("    \"\"\"\n");
    for i in 0..n {
        s.push_str(&format!("  patch configmap c{i} \"data: {{k: w}}\"\n"));
    }
    s.push_str("}\n");
    s
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut v: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn row(name: &str, small: usize, make: fn(usize) -> String, run: fn(&str)) {
    let (a, b) = (make(small), make(small * 2));
    let runs = 5;
    let ta = median(runs, || run(&a));
    let tb = median(runs, || run(&b));
    println!(
        "{name:<34} {:>9} B {:>9.1} ms {:>9} B {:>9.1} ms {:>6.2}x",
        a.len(),
        ta.as_secs_f64() * 1000.0,
        b.len(),
        tb.as_secs_f64() * 1000.0,
        tb.as_secs_f64() / ta.as_secs_f64().max(1e-9)
    );
}

fn main() {
    println!(
        "{:<34} {:>11} {:>12} {:>11} {:>12} {:>7}",
        "input", "size", "time", "2x size", "time", "ratio"
    );
    row("unknown names (check)", 2000, unknown_names, |s| {
        std::hint::black_box(tfc::check_all(s, &Default::default()));
    });
    row("errors on one line (check+render)", 5000, long_line, |s| {
        let c = tfc::check_all(s, &Default::default());
        let shown = c.diagnostics.get(..1000).unwrap_or(&c.diagnostics);
        std::hint::black_box(render_human("a.taskflow", s, shown, ColorChoice::Never));
    });
    row("environments (check)", 2000, environments, |s| {
        std::hint::black_box(tfc::check_all(s, &Default::default()));
    });
    row("objects and patches (compile)", 5000, objects, |s| {
        std::hint::black_box(tfc::compile(s, &Default::default()));
    });
    row("services x environments (chart)", 35, chart, |s| {
        std::hint::black_box(tfc::compile_chart(s, &Default::default()));
    });
}

//! Typing the loose values of the AST: numbers, quantities, durations,
//! percentages, keywords, names and value expressions.

use super::{Expr, Name, Part, Quantity, Target};
use crate::ast::{Scalar, Term, Value};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Spanned;
use crate::suggest;

/// Collects diagnostics while values are typed.
pub type Diags = Vec<Diagnostic>;

/// The largest number Kubernetes takes in the fields tfc writes (int32).
pub const MAX_NUMBER: i64 = i32::MAX as i64;

/// Whether a number fits the int32 fields it is written to; reports it when not.
fn fits(n: i64, span: crate::span::Span, diags: &mut Diags) -> bool {
    if n.abs() <= MAX_NUMBER {
        return true;
    }
    too_large(&n.to_string(), span, diags);
    false
}

fn too_large(text: &str, span: crate::span::Span, diags: &mut Diags) {
    diags.push(
        Diagnostic::new(
            Code::InvalidValue,
            span,
            format!("`{text}` is too large: Kubernetes takes numbers up to {MAX_NUMBER} here"),
        )
        .label("out of range"),
    );
}

/// A whole number, or a diagnostic saying what was expected.
pub fn int(s: &Scalar, what: &str, diags: &mut Diags) -> Option<Spanned<i64>> {
    match s.text.parse::<i64>() {
        Ok(n) if !s.quoted => fits(n, s.span, diags).then(|| Spanned::new(n, s.span)),
        Err(e)
            if !s.quoted
                && matches!(
                    e.kind(),
                    std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow
                ) =>
        {
            too_large(&s.text, s.span, diags);
            None
        }
        _ => {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    s.span,
                    format!("expected a whole number for {what}, found `{}`", s.text),
                )
                .label("not a whole number"),
            );
            None
        }
    }
}

/// One of a fixed set of words.
pub fn word<T: Copy>(
    s: &Scalar,
    what: &str,
    options: &[(&str, T)],
    diags: &mut Diags,
) -> Option<T> {
    if let Some((_, v)) = options.iter().find(|(w, _)| *w == s.text) {
        return Some(*v);
    }
    let names: Vec<&str> = options.iter().map(|(w, _)| *w).collect();
    diags.push(
        Diagnostic::new(
            Code::InvalidValue,
            s.span,
            format!("`{}` is not a valid {what}", s.text),
        )
        .label(format!(
            "expected {}",
            // Kubernetes spellings (`IfNotPresent`) are accepted, not advertised.
            names
                .iter()
                .filter(|n| !n.contains(char::is_uppercase))
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .maybe_help(
            suggest::nearest(&s.text, names.iter().copied())
                .map(|b| format!("did you mean `{b}`?")),
        ),
    );
    None
}

/// What a quantity measures, which decides the suggestions for bad units.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum QtyKind {
    Cpu,
    Bytes,
}

const SUFFIXES: &[(&str, f64)] = &[
    ("Ki", 1024.0),
    ("Mi", 1048576.0),
    ("Gi", 1073741824.0),
    ("Ti", 1099511627776.0),
    ("Pi", 1125899906842624.0),
    ("Ei", 1152921504606846976.0),
    ("n", 1e-9),
    ("u", 1e-6),
    ("m", 1e-3),
    ("k", 1e3),
    ("M", 1e6),
    ("G", 1e9),
    ("T", 1e12),
    ("P", 1e15),
    ("E", 1e18),
    ("", 1.0),
];

/// The value of a Kubernetes quantity, or None when it is malformed.
pub fn quantity_value(text: &str) -> Option<f64> {
    let split = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map_or(text.len(), |(i, _)| i);
    let (num, suffix) = text.split_at(split);
    if num.is_empty() || num == "." || num.matches('.').count() > 1 {
        return None;
    }
    let n: f64 = num.parse().ok()?;
    let mult = SUFFIXES.iter().find(|(s, _)| *s == suffix)?.1;
    Some(n * mult)
}

fn unit_hint(text: &str, kind: QtyKind) -> Option<String> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (num, suffix) = text.split_at(split);
    let fixed = match (kind, suffix.to_ascii_lowercase().as_str()) {
        (_, "mb" | "mib" | "mi") => "Mi",
        (_, "gb" | "gib" | "gi") => "Gi",
        (_, "kb" | "kib" | "ki") => "Ki",
        (_, "tb" | "tib" | "ti") => "Ti",
        (QtyKind::Cpu, "millicores" | "mc" | "milli") => "m",
        (QtyKind::Cpu, "cores" | "core" | "cpu" | "cpus") => "",
        _ => return None,
    };
    if num.is_empty() {
        return None;
    }
    Some(format!("did you mean `{num}{fixed}`?"))
}

/// A quantity such as `250m`, `128Mi` or `10Gi`.
pub fn quantity(s: &Scalar, kind: QtyKind, diags: &mut Diags) -> Option<Quantity> {
    quantity_at(&s.text, s.span, kind, diags)
}

fn quantity_at(
    text: &str,
    span: crate::span::Span,
    kind: QtyKind,
    diags: &mut Diags,
) -> Option<Quantity> {
    match quantity_value(text) {
        Some(value) => Some(Quantity {
            text: text.to_string(),
            value,
            span,
        }),
        None => {
            let example = if kind == QtyKind::Cpu {
                "`250m` or `0.5`"
            } else {
                "`128Mi` or `1Gi`"
            };
            diags.push(
                Diagnostic::new(
                    Code::InvalidQuantity,
                    span,
                    format!("`{text}` is not a valid quantity"),
                )
                .label(format!("expected a quantity such as {example}"))
                .maybe_help(unit_hint(text, kind)),
            );
            None
        }
    }
}

/// `REQUEST..LIMIT`, `REQUEST`, `..LIMIT` or `REQUEST..`.
pub fn range(s: &Scalar, kind: QtyKind, diags: &mut Diags) -> (Option<Quantity>, Option<Quantity>) {
    let (req, lim) = match s.text.split_once("..") {
        Some((a, b)) => (a, Some(b)),
        None => (s.text.as_str(), None),
    };
    let start = s.span.start;
    let request = (!req.is_empty())
        .then(|| {
            quantity_at(
                req,
                crate::span::Span::new(start, start + req.len()),
                kind,
                diags,
            )
        })
        .flatten();
    let limit = lim.filter(|l| !l.is_empty()).and_then(|l| {
        let ls = start + req.len() + 2;
        quantity_at(l, crate::span::Span::new(ls, ls + l.len()), kind, diags)
    });
    (request, limit)
}

/// A count range `MIN..MAX` of whole numbers.
pub fn int_range(s: &Scalar, diags: &mut Diags) -> Option<(Spanned<i64>, Spanned<i64>)> {
    let (a, b) = s.text.split_once("..").unwrap_or((&s.text, &s.text));
    let start = s.span.start;
    match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => {
            let xs = crate::span::Span::new(start, start + a.len());
            let ys = crate::span::Span::new(s.span.end - b.len(), s.span.end);
            (fits(x, xs, diags) && fits(y, ys, diags))
                .then(|| (Spanned::new(x, xs), Spanned::new(y, ys)))
        }
        _ => {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    s.span,
                    format!("expected a range like `2..10`, found `{}`", s.text),
                )
                .label("expected MIN..MAX"),
            );
            None
        }
    }
}

/// A duration in whole seconds: `30s`, `2m`, `1h`, `1m30s` or `30`.
pub fn duration(s: &Scalar, diags: &mut Diags) -> Option<i64> {
    let parsed = parse_duration(&s.text);
    if let Some(n) = parsed {
        return fits(n, s.span, diags).then_some(n);
    }
    if parsed.is_none() {
        diags.push(
            Diagnostic::new(
                Code::InvalidDuration,
                s.span,
                format!("`{}` is not a valid duration", s.text),
            )
            .label("expected a duration such as `30s` or `2m`")
            .maybe_help(
                s.text
                    .ends_with("ms")
                    .then(|| "probes count whole seconds; use `1s` or more".to_string()),
            ),
        );
    }
    parsed
}

fn parse_duration(text: &str) -> Option<i64> {
    if let Ok(n) = text.parse::<i64>() {
        return (n >= 0).then_some(n);
    }
    let mut total: i64 = 0;
    let mut num = String::new();
    let mut last_unit = 4;
    for c in text.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let (unit, mult) = match c {
            'h' => (1, 3600),
            'm' => (2, 60),
            's' => (3, 1),
            _ => return None,
        };
        if num.is_empty() || (last_unit != 4 && unit <= last_unit) {
            return None;
        }
        last_unit = unit;
        let n: i64 = num.parse().ok()?;
        total = total.checked_add(n.checked_mul(mult)?)?;
        num.clear();
    }
    (num.is_empty() && last_unit != 4).then_some(total)
}

/// A percentage `70%` as its number.
pub fn percent(s: &Scalar, diags: &mut Diags) -> Option<Spanned<i64>> {
    let n = s.text.strip_suffix('%').and_then(|n| n.parse::<i64>().ok());
    if n.is_none() {
        diags.push(
            Diagnostic::new(
                Code::InvalidPercentage,
                s.span,
                format!("`{}` is not a percentage", s.text),
            )
            .label("expected e.g. `70%`"),
        );
    }
    n.filter(|n| fits(*n, s.span, diags))
        .map(|n| Spanned::new(n, s.span))
}

/// Whether an unquoted atom reads as a reference `ITEM.KEY`.
pub fn as_reference(s: &Scalar) -> Option<(Name, Name)> {
    if s.quoted {
        return None;
    }
    let (item, key) = s.text.split_once('.')?;
    let ident_ok = item
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && item
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let key_ok = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if !(ident_ok && key_ok) {
        return None;
    }
    let start = s.span.start;
    let item_span = crate::span::Span::new(start, start + item.len());
    let key_span = crate::span::Span::new(item_span.end + 1, s.span.end);
    Some((
        Spanned::new(item.to_string(), item_span),
        Spanned::new(key.to_string(), key_span),
    ))
}

/// `SERVICE` or `SERVICE.PORT`.
pub fn target(s: &Scalar) -> Target {
    match s.text.split_once('.') {
        Some((svc, port)) => {
            let start = s.span.start;
            Target {
                service: Spanned::new(
                    svc.to_string(),
                    crate::span::Span::new(start, start + svc.len()),
                ),
                port: Some(Spanned::new(
                    port.to_string(),
                    crate::span::Span::new(start + svc.len() + 1, s.span.end),
                )),
                span: s.span,
            }
        }
        None => Target {
            service: s.spanned(),
            port: None,
            span: s.span,
        },
    }
}

/// Whether a bare word may stand for text without quotes.
fn is_bare_text(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        || text.parse::<f64>().is_ok()
}

/// A compile-time text value (config entries, env literals, annotations).
pub fn expr(v: &Value, diags: &mut Diags) -> Option<Expr> {
    let mut parts = Vec::new();
    let mut ok = true;
    for t in &v.terms {
        match t {
            Term::Scalar(s) if s.quoted || is_bare_text(&s.text) => {
                parts.push(Part::Text(s.text.clone()))
            }
            Term::Scalar(s) => {
                ok = false;
                let d = if as_reference(s).is_some() {
                    Diagnostic::new(Code::InvalidValue, s.span, format!("`{}` cannot be used here", s.text))
                        .label("a reference to a config or secret key")
                        .help(format!(
                            "only `env NAME = {}` may read a key; here write the text in quotes: \"{}\"",
                            s.text, s.text
                        ))
                } else {
                    Diagnostic::new(
                        Code::InvalidValue,
                        s.span,
                        format!("`{}` must be quoted", s.text),
                    )
                    .label("text with special characters")
                    .help(format!("write \"{}\"", s.text))
                };
                diags.push(d);
            }
            Term::Call { name, args, span } => match call(name, args, *span, diags) {
                Some(p) => parts.push(p),
                None => ok = false,
            },
            Term::List(_, span) => {
                ok = false;
                diags.push(
                    Diagnostic::new(Code::InvalidValue, *span, "a list cannot be used here")
                        .label("expected text")
                        .help("lists are for `command` and `args`"),
                );
            }
        }
    }
    ok.then_some(Expr {
        parts,
        span: v.span,
        text: None,
    })
}

/// The fields of the pod an `env` variable may read with `field()`
/// (`validEnvDownwardAPIFieldPathExpressions`), and the requests and limits
/// it may read with `resource()`.
pub const POD_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];
pub const RESOURCE_FIELDS: &[&str] = &[
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];

/// `field(PATH)` or `resource(NAME)` as the whole value of an `env`
/// variable: None when the value is something else, Err when it was one of
/// them and is wrong (reported).
pub fn downward(v: &Value, diags: &mut Diags) -> Option<Result<super::EnvValue, ()>> {
    let [Term::Call { name, args, span }] = v.terms.as_slice() else {
        return None;
    };
    let (allowed, usage): (&[&str], _) = match name.as_str() {
        "field" => (POD_FIELDS, "field(metadata.name)"),
        "resource" => (RESOURCE_FIELDS, "resource(limits.memory)"),
        _ => return None,
    };
    let arg = match args.as_slice() {
        [a] => a,
        _ => {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    *span,
                    format!("wrong arguments to `{}`", name.node),
                )
                .label(format!("expected {usage}")),
            );
            return Some(Err(()));
        }
    };
    let label_or_annotation = name.as_str() == "field"
        && ["metadata.labels['", "metadata.annotations['"]
            .iter()
            .any(|p| arg.text.starts_with(p) && arg.text.ends_with("']"));
    if !allowed.contains(&arg.text.as_str()) && !label_or_annotation {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                arg.span,
                format!("`{}` is not a field `{}()` can read", arg.text, name.node),
            )
            .label(format!("expected one of {}", allowed.join(", ")))
            .maybe_help(suggest::did_you_mean(
                &arg.text,
                allowed.iter().copied(),
                "fields",
            )),
        );
        return Some(Err(()));
    }
    let n = arg.spanned();
    Some(Ok(match name.as_str() {
        "field" => super::EnvValue::Field(n),
        _ => super::EnvValue::Resource(n),
    }))
}

fn call(name: &Name, args: &[Scalar], span: crate::span::Span, diags: &mut Diags) -> Option<Part> {
    if matches!(name.as_str(), "field" | "resource") {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                name.span,
                format!("`{}()` is a value of its own", name.node),
            )
            .label("it cannot be joined with text, nor stand in a config")
            .help(format!(
                "write it alone as the value of an `env` variable: `env X = {}(...)`",
                name.node
            )),
        );
        return None;
    }
    let functions = ["url", "host", "port", "field", "resource"];
    if !functions.contains(&name.as_str()) {
        diags.push(
            Diagnostic::new(
                Code::UnknownFunction,
                name.span,
                format!("unknown function `{}`", name.node),
            )
            .label("not a function")
            .maybe_help(suggest::did_you_mean(&name.node, functions, "functions")),
        );
        return None;
    }
    let max_args = if name.node == "url" { 2 } else { 1 };
    let Some(first) = args.first().filter(|_| args.len() <= max_args) else {
        let usage = match name.as_str() {
            "url" => "url(SERVICE[.PORT][, SCHEME])",
            "host" => "host(SERVICE)",
            _ => "port(SERVICE[.PORT])",
        };
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                span,
                format!("wrong arguments to `{}`", name.node),
            )
            .label(format!("expected {usage}")),
        );
        return None;
    };
    let t = target(first);
    Some(match name.as_str() {
        "url" => Part::Url {
            target: t,
            scheme: args.get(1).map(|s| s.text.clone()),
        },
        "host" => Part::Host(t),
        _ => Part::Port(t),
    })
}

/// A command line: a list of strings, or one string split at spaces (quotes group words).
pub fn command(v: &Value, diags: &mut Diags) -> Option<Vec<String>> {
    match v.terms.as_slice() {
        [Term::List(items, _)] => {
            let mut out = Vec::new();
            for item in items {
                match item.terms.as_slice() {
                    [Term::Scalar(s)] => out.push(s.text.clone()),
                    _ => {
                        diags.push(
                            Diagnostic::new(Code::InvalidValue, item.span, "expected a string")
                                .label("in this list"),
                        );
                        return None;
                    }
                }
            }
            Some(out)
        }
        [Term::Scalar(s)] => match split_words(&s.text) {
            Some(words) => Some(words),
            None => {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        s.span,
                        "unbalanced quotes in the command",
                    )
                    .label("a `'` or `\"` is not closed")
                    .help("write the command as a list: [\"cmd\", \"arg\"]"),
                );
                None
            }
        },
        _ => {
            diags.push(
                Diagnostic::new(Code::InvalidValue, v.span, "expected a command")
                    .label("expected \"cmd arg ...\" or [\"cmd\", \"arg\"]"),
            );
            None
        }
    }
}

/// Splits at whitespace; single or double quotes group words.
pub fn split_words(text: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            None => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return None;
    }
    if in_word {
        words.push(cur);
    }
    Some(words)
}

/// `run-as UID[:GID]` or `run-as root`.
pub fn run_as(s: &Scalar, diags: &mut Diags) -> Option<Spanned<super::RunAs>> {
    use super::RunAs;
    if s.text == "root" {
        return Some(Spanned::new(RunAs::Root, s.span));
    }
    let (uid, gid) = match s.text.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (s.text.as_str(), None),
    };
    let uid = uid.parse::<i64>().ok().filter(|u| *u >= 0);
    let gid = gid.map(|g| g.parse::<i64>().ok().filter(|g| *g >= 0));
    match (uid, gid) {
        (Some(0), _) => {
            diags.push(
                Diagnostic::new(Code::InvalidValue, s.span, "user id 0 is root")
                    .label("the pod also says runAsNonRoot, so the kubelet would not start it")
                    .help("write `run-as root` (and `accept run-as-root`) to run as root, or pick an id of 10000 or more"),
            );
            None
        }
        (Some(uid), None) => Some(Spanned::new(RunAs::User { uid, gid: None }, s.span)),
        (Some(uid), Some(Some(gid))) => Some(Spanned::new(
            RunAs::User {
                uid,
                gid: Some(gid),
            },
            s.span,
        )),
        _ => {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    s.span,
                    format!("`{}` is not a user", s.text),
                )
                .label("expected UID, UID:GID or `root`")
                .help("e.g. `run-as 1001` or `run-as 1001:1001`"),
            );
            None
        }
    }
}

/// `KEY` or `KEY:FILE` of `keys`: the key and the file it becomes.
pub fn key_file(s: &Scalar) -> (Name, Name) {
    match s.text.split_once(':') {
        Some((k, f)) => {
            let key_end = s.span.start + k.len();
            (
                Spanned::new(k.to_string(), crate::span::Span::new(s.span.start, key_end)),
                Spanned::new(
                    f.to_string(),
                    crate::span::Span::new(key_end + 1, s.span.end),
                ),
            )
        }
        None => (s.spanned(), s.spanned()),
    }
}

/// `file-mode MODE`: octal permission bits, 0 to 0777.
pub fn file_mode(s: &Scalar, diags: &mut Diags) -> Option<Spanned<i64>> {
    match i64::from_str_radix(s.text.trim_start_matches("0o"), 8) {
        Ok(n) if (0..=0o777).contains(&n) => Some(Spanned::new(n, s.span)),
        _ => {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    s.span,
                    format!("`{}` is not a file mode", s.text),
                )
                .label("expected octal permission bits, 0000 to 0777")
                .help("e.g. `file-mode 0400` (read by the owner only)"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(quantity_value("250m"), Some(0.25));
        assert_eq!(quantity_value("1Gi"), Some(1073741824.0));
        assert_eq!(quantity_value("1024Mi"), quantity_value("1Gi"));
        assert_eq!(quantity_value("0.5"), Some(0.5));
        assert_eq!(quantity_value("128mb"), None);
        assert_eq!(quantity_value("1.2.3"), None);
        assert_eq!(quantity_value("Mi"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Some(30));
        assert_eq!(parse_duration("1m30s"), Some(90));
        assert_eq!(parse_duration("2m"), Some(120));
        assert_eq!(parse_duration("0"), Some(0));
        assert_eq!(parse_duration("30x"), None);
        assert_eq!(parse_duration("30s1m"), None);
        assert_eq!(parse_duration("s"), None);
    }

    #[test]
    fn words() {
        assert_eq!(
            split_words("pg_isready -U postgres"),
            Some(vec!["pg_isready".into(), "-U".into(), "postgres".into()])
        );
        assert_eq!(
            split_words("sh -c 'echo hi'"),
            Some(vec!["sh".into(), "-c".into(), "echo hi".into()])
        );
        assert_eq!(split_words("a 'b"), None);
    }
}

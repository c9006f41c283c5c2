//! Jobs: a schedule the CronJob controller can read (its cron parser, and
//! `ValidateCronJobSpec`), a time zone, counts and durations the API server
//! accepts (`validateJobSpec`), and what only long-running workloads have.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{App, Workload, WorkloadKind};
use crate::span::Spanned;

pub fn check(app: &App, diags: &mut Vec<Diagnostic>) {
    for w in app.workloads.iter().filter(|w| w.kind == WorkloadKind::Job) {
        job(w, diags);
    }
    for a in &app.autoscalers {
        if let Some(w) = app
            .workload(&a.target.node)
            .filter(|w| w.kind == WorkloadKind::Job)
        {
            diags.push(
                Diagnostic::new(
                    Code::WrongKind,
                    a.target.span,
                    format!("`{}` is a job, which does not scale", a.target.node),
                )
                .label("an autoscaler targets a service or database")
                .also(w.id.span, "declared as a job here")
                .help("for more pods at once, give the job `parallel N`"),
            );
        }
    }
}

fn job(w: &Workload, diags: &mut Vec<Diagnostic>) {
    let j = &w.job;
    if let Some(s) = &j.schedule {
        if let Err(why) = schedule(&s.node) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidSchedule,
                    s.span,
                    format!("the schedule `{}` is not valid", s.node),
                )
                .label(why)
                .help("five fields (minute hour day-of-month month day-of-week), e.g. `\"0 3 * * *\"`, or `@daily`"),
            );
        }
    }
    if let Some(z) = &j.timezone {
        if !time_zone(&z.node) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidSchedule,
                    z.span,
                    format!("`{}` is not a time zone name", z.node),
                )
                .label("expected a tz database name")
                .help("e.g. `timezone Etc/UTC` or `timezone Europe/Berlin`"),
            );
        }
    }
    let schedule_only = [
        (j.timezone.as_ref().map(|z| z.span), "timezone"),
        // The defaults pass sets `concurrency` only beside a schedule.
        (j.concurrency.as_ref().map(|c| c.span), "concurrency"),
        (j.history.as_ref().map(|h| h.0.span), "history"),
    ];
    if j.schedule.is_none() {
        for (span, kw) in schedule_only {
            if let Some(span) = span {
                diags.push(
                    Diagnostic::new(
                        Code::MissingField,
                        span,
                        format!("`{kw}` needs a `schedule`"),
                    )
                    .label(format!(
                        "`{}` runs once: it is a Job, not a CronJob",
                        w.id.node
                    ))
                    .help("add `schedule \"CRON\"`, or remove this statement"),
                );
            }
        }
    }
    let counts = [
        (&j.retries, "`retries`", 0),
        (&j.completions, "`completions`", 0),
        (&j.parallel, "`parallel`", 0),
        (&j.keep_for, "`keep-for`", 0),
        (&j.deadline, "`deadline`", 1),
    ];
    let history = j
        .history
        .iter()
        .flat_map(|(s, f)| [Some(s), f.as_ref()])
        .flatten();
    for (n, what, min) in counts
        .into_iter()
        .filter_map(|(n, what, min)| Some((n.as_ref()?, what, min)))
        .chain(history.map(|n| (n, "`history`", 0)))
    {
        at_least(n, what, min, diags);
    }
}

fn at_least(n: &Spanned<i64>, what: &str, min: i64, diags: &mut Vec<Diagnostic>) {
    let max = i64::from(i32::MAX);
    if n.node < min || n.node > max {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                n.span,
                format!("{what} is {}, outside {min}..{max}", n.node),
            )
            .label("out of range"),
        );
    }
}

/// Whether the CronJob controller's parser reads `s`; else why not.
fn schedule(s: &str) -> Result<(), String> {
    if s.contains("TZ=") {
        return Err("a time zone goes in `timezone`, not in the schedule".to_string());
    }
    if let Some(name) = s.strip_prefix('@') {
        let known = [
            "yearly", "annually", "monthly", "weekly", "daily", "midnight", "hourly",
        ];
        return match known.contains(&name) {
            true => Ok(()),
            false => Err(format!(
                "`@{name}` is not one of @yearly, @monthly, @weekly, @daily, @hourly"
            )),
        };
    }
    let fields: Vec<&str> = s.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!("{} fields; a schedule has 5", fields.len()));
    }
    let specs: [(&str, i64, i64, &[&str]); 5] = [
        ("minute", 0, 59, &[]),
        ("hour", 0, 23, &[]),
        ("day of month", 1, 31, &[]),
        ("month", 1, 12, &MONTHS),
        ("day of week", 0, 6, &DAYS),
    ];
    for (field, (name, min, max, names)) in fields.iter().zip(specs) {
        if !field_ok(field, min, max, names) {
            return Err(format!("`{field}` is not a valid {name} ({min}-{max})"));
        }
    }
    Ok(())
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// One field: a list of `*`, `?`, `N`, `A-B`, each with an optional `/STEP`.
fn field_ok(field: &str, min: i64, max: i64, names: &[&str]) -> bool {
    let value = |v: &str| -> Option<i64> {
        if let Ok(n) = v.parse::<i64>() {
            return (min..=max).contains(&n).then_some(n);
        }
        let upper = v.to_ascii_uppercase();
        let i = names.iter().position(|n| *n == upper)?;
        i64::try_from(i).ok().map(|i| i + min)
    };
    field.split(',').all(|part| {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (part, None),
        };
        let step_ok = step.is_none_or(|s| s.parse::<i64>().is_ok_and(|n| n >= 1));
        let range_ok = match range {
            "*" | "?" => true,
            r => match r.split_once('-') {
                Some((a, b)) => matches!((value(a), value(b)), (Some(a), Some(b)) if a <= b),
                None => value(r).is_some(),
            },
        };
        step_ok && range_ok
    })
}

/// A tz database name: `Area/Location` (letters, digits, `_ + - /`), or
/// `UTC`; not `Local`, which the API server refuses.
fn time_zone(z: &str) -> bool {
    let chars = z
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+-/".contains(c));
    chars
        && !z.is_empty()
        && z != "Local"
        && !z.starts_with('/')
        && !z.ends_with('/')
        && !z.contains("..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        for ok in [
            "0 3 * * *",
            "*/15 * * * *",
            "0 0 1 JAN,JUL *",
            "30 2 * * MON-FRI",
            "@daily",
            "0 9-17/2 * * 1-5",
        ] {
            assert!(schedule(ok).is_ok(), "{ok}");
        }
        for bad in [
            "0 25 * * *",
            "* * * *",
            "60 * * * *",
            "0 0 0 * *",
            "@often",
            "TZ=UTC 0 3 * * *",
            "0 3 * * 7-1",
            "*/0 * * * *",
        ] {
            assert!(schedule(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn time_zones() {
        assert!(time_zone("Europe/Berlin") && time_zone("UTC") && time_zone("Etc/GMT+5"));
        assert!(!time_zone("Local") && !time_zone("Europe Berlin") && !time_zone(""));
    }
}

//! A job → a Job, or a CronJob when it has a schedule.

use super::slot::Role;
use super::{Emitted, Object, Out, clamp_i32, meta, tunables};
use crate::ir::{App, Concurrency, Workload};
use k8s_openapi::api::batch::v1::{CronJob, CronJobSpec, Job, JobSpec, JobTemplateSpec};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

pub fn emit(
    app: &App,
    w: &Workload,
    template: PodTemplateSpec,
    labels: &BTreeMap<String, String>,
    out: &mut Out,
) {
    let j = &w.job;
    let int = |n: &Option<crate::span::Spanned<i64>>| n.as_ref().map(|n| clamp_i32(n.node));
    let spec = JobSpec {
        backoff_limit: int(&j.retries),
        active_deadline_seconds: j.deadline.as_ref().map(|d| d.node),
        ttl_seconds_after_finished: int(&j.keep_for),
        completions: int(&j.completions),
        parallelism: int(&j.parallel),
        template,
        ..JobSpec::default()
    };
    let metadata = meta(app, w.object_name.clone(), labels.clone(), Some(&w.meta));
    let object = match &j.schedule {
        None => Object::Job(Job {
            metadata,
            spec: Some(spec),
            ..Job::default()
        }),
        Some(schedule) => {
            let (succeeded, failed) = match &j.history {
                Some((s, f)) => (
                    Some(clamp_i32(s.node)),
                    f.as_ref().map(|f| clamp_i32(f.node)),
                ),
                None => (None, None),
            };
            Object::CronJob(CronJob {
                metadata,
                spec: Some(CronJobSpec {
                    schedule: schedule.node.clone(),
                    time_zone: j.timezone.as_ref().map(|z| z.node.clone()),
                    concurrency_policy: j.concurrency.as_ref().map(|c| {
                        match c.node {
                            Concurrency::Allow => "Allow",
                            Concurrency::Forbid => "Forbid",
                            Concurrency::Replace => "Replace",
                        }
                        .to_string()
                    }),
                    successful_jobs_history_limit: succeeded,
                    failed_jobs_history_limit: failed,
                    job_template: JobTemplateSpec {
                        metadata: Some(ObjectMeta {
                            labels: Some(labels.clone()),
                            ..ObjectMeta::default()
                        }),
                        spec: Some(spec),
                    },
                    ..CronJobSpec::default()
                }),
                ..CronJob::default()
            })
        }
    };
    out.push_with(
        Emitted::new(object, w.item, Role::Workload, w.id.span),
        || tunables::workload(w),
    );
}

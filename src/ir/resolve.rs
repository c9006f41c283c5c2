//! Derived facts about an app that several phases need: labels, selectors,
//! and the text of compile-time values. Unresolvable references yield
//! `None`; `check` reports them.

use super::{App, Expr, Meta, Part, Port, Target, Workload};
use std::collections::BTreeMap;

/// Labels as Kubernetes stores them.
pub type Labels = BTreeMap<String, String>;

pub const NAME: &str = "app.kubernetes.io/name";
pub const INSTANCE: &str = "app.kubernetes.io/instance";
pub const COMPONENT: &str = "app.kubernetes.io/component";
pub const PART_OF: &str = "app.kubernetes.io/part-of";
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";

fn merge(into: &mut Labels, meta: &Meta) {
    for (k, v) in &meta.labels {
        into.insert(k.node.clone(), v.node.clone());
    }
}

impl App {
    /// The recommended labels every object carries, then the app's own.
    pub fn common_labels(&self) -> Labels {
        let app = self.name.node.clone();
        let mut l = Labels::new();
        l.insert(NAME.to_string(), app.clone());
        l.insert(INSTANCE.to_string(), app.clone());
        l.insert(PART_OF.to_string(), app);
        l.insert(MANAGED_BY.to_string(), "tfc".to_string());
        merge(&mut l, &self.meta);
        l
    }

    /// Labels of an app-wide item (config, secret, volume, ingress, ...).
    pub fn item_labels(&self, meta: &Meta) -> Labels {
        let mut l = self.common_labels();
        merge(&mut l, meta);
        l
    }

    /// Labels of a workload's objects and pods.
    pub fn pod_labels(&self, w: &Workload) -> Labels {
        let mut l = self.common_labels();
        l.insert(COMPONENT.to_string(), w.id.node.clone());
        merge(&mut l, &w.meta);
        for (k, v) in w.selector.iter().flatten() {
            if let Some(v) = v {
                l.insert(k.node.clone(), v.node.clone());
            }
        }
        l
    }

    /// The selector of a workload: the user's, or the stable recommended labels.
    pub fn selector(&self, w: &Workload) -> Labels {
        let labels = self.pod_labels(w);
        let keys: Vec<String> = match &w.selector {
            Some(sel) => sel.iter().map(|(k, _)| k.node.clone()).collect(),
            None => vec![
                NAME.to_string(),
                INSTANCE.to_string(),
                COMPONENT.to_string(),
            ],
        };
        keys.into_iter()
            .filter_map(|k| labels.get(&k).map(|v| (k, v.clone())))
            .collect()
    }

    /// The port a target names: the given port, else the workload's first.
    pub fn target_port<'a>(&'a self, t: &Target) -> Option<(&'a Workload, &'a Port)> {
        let w = self.workload(&t.service.node)?;
        let port = match &t.port {
            Some(name) => w.port_named(&name.node)?,
            None => w.ports.first()?,
        };
        Some((w, port))
    }

    /// The host name of a workload's Service as a value writes it.
    fn host_text(&self, w: &Workload) -> String {
        if self.release_token {
            format!("{}{}", super::RELEASE_TOKEN, w.host)
        } else {
            w.host.clone()
        }
    }

    /// The text of a compile-time value.
    pub fn render(&self, e: &Expr) -> Option<String> {
        let mut out = String::new();
        for part in &e.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Url { target, scheme } => {
                    let (w, port) = self.target_port(target)?;
                    let scheme = scheme.as_deref().unwrap_or("http");
                    out.push_str(&format!(
                        "{scheme}://{}:{}",
                        self.host_text(w),
                        port.port.node
                    ));
                }
                Part::Host(target) => {
                    out.push_str(&self.host_text(self.workload(&target.service.node)?))
                }
                Part::Port(target) => {
                    out.push_str(&self.target_port(target)?.1.port.node.to_string())
                }
            }
        }
        Some(out)
    }
}

/// A service a workload connects to, found in the values it reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference<'a> {
    pub target: &'a Target,
    /// `host(SERVICE)` names the service, not a port: every port is allowed.
    pub all_ports: bool,
}

impl App {
    /// The services a workload reaches through `url()`, `host()` and
    /// `port()`, in its own env values and in the configs it reads.
    pub fn references<'a>(&'a self, w: &'a Workload) -> Vec<Reference<'a>> {
        use super::{EnvValue, MountSource};
        let mut exprs: Vec<&Expr> = Vec::new();
        for e in w.containers().flat_map(|c| &c.env) {
            match &e.value {
                EnvValue::Expr(x) => exprs.push(x),
                EnvValue::Field(_) | EnvValue::Resource(_) => {}
                EnvValue::Ref { item, key, .. } => {
                    if let Some(c) = self.config(&item.node) {
                        exprs.extend(
                            c.entries
                                .iter()
                                .filter(|en| en.key.node == key.node)
                                .map(|en| &en.value),
                        );
                    }
                }
            }
        }
        let whole = w
            .containers()
            .flat_map(|c| &c.env_from)
            .map(|f| &f.name)
            .chain(w.mounts.iter().filter_map(|m| match &m.source {
                MountSource::Config(n) => Some(n),
                _ => None,
            }));
        for name in whole {
            if let Some(c) = self.config(&name.node) {
                exprs.extend(c.entries.iter().map(|en| &en.value));
            }
        }
        let mut out = Vec::new();
        for x in exprs {
            for p in &x.parts {
                match p {
                    Part::Url { target, .. } | Part::Port(target) => out.push(Reference {
                        target,
                        all_ports: false,
                    }),
                    Part::Host(target) => out.push(Reference {
                        target,
                        all_ports: true,
                    }),
                    Part::Text(_) => {}
                }
            }
        }
        out
    }
}

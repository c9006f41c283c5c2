//! Looking up the app's items by name.

use super::*;

/// What a top-level name refers to.
#[derive(Clone, Copy, Debug)]
pub enum Symbol<'a> {
    Workload(&'a Workload),
    Config(&'a Config),
    Secret(&'a Secret),
    Volume(&'a Volume),
    Ingress(&'a Ingress),
    Network(&'a Network),
}

impl App {
    /// Indexes the items by name; called once the app is built.
    pub fn index(&mut self) {
        fn positions<'a>(names: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
            let mut map = HashMap::new();
            for (i, n) in names.enumerate() {
                map.entry(n.to_string()).or_insert(i);
            }
            map
        }
        self.by_name = Index {
            workloads: positions(self.workloads.iter().map(|w| w.id.as_str())),
            configs: positions(self.configs.iter().map(|c| c.name.as_str())),
            secrets: positions(self.secrets.iter().map(|s| s.name.as_str())),
            volumes: positions(self.volumes.iter().map(|v| v.name.as_str())),
        };
    }

    /// The position of a workload in [`App::workloads`], by name.
    pub fn workload_position(&self, id: &str) -> Option<usize> {
        self.by_name.workloads.get(id).copied()
    }

    pub fn workload(&self, id: &str) -> Option<&Workload> {
        self.by_name
            .workloads
            .get(id)
            .and_then(|&i| self.workloads.get(i))
    }

    pub fn config(&self, name: &str) -> Option<&Config> {
        self.by_name
            .configs
            .get(name)
            .and_then(|&i| self.configs.get(i))
    }

    pub fn secret(&self, name: &str) -> Option<&Secret> {
        self.by_name
            .secrets
            .get(name)
            .and_then(|&i| self.secrets.get(i))
    }

    pub fn volume(&self, name: &str) -> Option<&Volume> {
        self.by_name
            .volumes
            .get(name)
            .and_then(|&i| self.volumes.get(i))
    }

    /// Looks up any top-level item by name.
    pub fn symbol(&self, name: &str) -> Option<Symbol<'_>> {
        self.workload(name)
            .map(Symbol::Workload)
            .or_else(|| self.config(name).map(Symbol::Config))
            .or_else(|| self.secret(name).map(Symbol::Secret))
            .or_else(|| self.volume(name).map(Symbol::Volume))
            .or_else(|| {
                self.ingresses
                    .iter()
                    .find(|i| i.name.node == name)
                    .map(Symbol::Ingress)
            })
            .or_else(|| {
                self.networks
                    .iter()
                    .find(|n| n.name.node == name)
                    .map(Symbol::Network)
            })
    }

    /// The names of every top-level item, for suggestions.
    pub fn symbol_names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        v.extend(self.workloads.iter().map(|w| w.id.as_str()));
        v.extend(self.configs.iter().map(|c| c.name.as_str()));
        v.extend(self.secrets.iter().map(|s| s.name.as_str()));
        v.extend(self.volumes.iter().map(|x| x.name.as_str()));
        v.extend(self.ingresses.iter().map(|x| x.name.as_str()));
        v.extend(self.networks.iter().map(|x| x.name.as_str()));
        v
    }
}

//! Writing an output directory as one transaction. The new tree is built
//! beside the directory, under a lock, and swapped in with one atomic
//! `renameat2(RENAME_EXCHANGE)`, so a reader sees the old output or the new
//! one, never a mix. tfc owns only the files its manifest lists with their
//! SHA-256: every other entry (yours, a file you edited, a symlink) is
//! carried into the new tree as a hard link, never overwritten, followed or
//! removed. A run killed at any point leaves the old or the new output whole,
//! and the next run cleans up what it left.

mod fsops;
mod manifest;
mod plan;
mod retire;

use manifest::Manifest;
use std::path::{Path, PathBuf};
use tfc::emit::{Object, yaml};

/// A file to write, relative to the output directory.
pub struct File {
    pub name: String,
    pub contents: String,
    pub private: bool,
}

/// A problem writing the output: what went wrong, and what to do.
#[derive(Debug)]
pub struct OutputError {
    pub message: String,
    pub help: Option<String>,
    /// Something not tfc's is where tfc must write (TF4005, not TF4002).
    pub conflict: bool,
}

impl OutputError {
    pub fn new(message: impl Into<String>) -> Self {
        OutputError {
            message: message.into(),
            help: None,
            conflict: false,
        }
    }

    pub fn conflict(mut self) -> Self {
        self.conflict = true;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// An I/O failure on a path.
    pub fn io(context: &str, path: &Path, e: &std::io::Error) -> Self {
        OutputError::new(format!("{context} `{}`: {e}", path.display()))
    }
}

/// Whether a relative name stays inside the output directory: a file name,
/// or one in `templates/`, never hidden.
fn safe_name(name: &str) -> bool {
    // A chart's own dot file; tfc's (`.tfc-manifest`, locks) are never
    // among the files it is given.
    if name == ".helmignore" {
        return true;
    }
    let file = name.strip_prefix("templates/").unwrap_or(name);
    !file.is_empty()
        && !file.contains(['/', '\\'])
        && !file.starts_with('.')
        && !name.starts_with('.')
}

/// The files of a YAML compile: one per object and kustomization.yaml.
pub fn object_files(objects: &[Object]) -> Result<Vec<File>, OutputError> {
    let mut files = Vec::new();
    let mut names = Vec::new();
    let internal = |e: yaml::YamlError| {
        OutputError::new(format!("internal error while writing YAML: {}", e.0))
    };
    for o in objects {
        let name = o.file_name();
        let contents = yaml::object(o).map_err(internal)?;
        names.push(name.clone());
        files.push(File {
            name,
            contents,
            private: matches!(o, Object::Secret(_)),
        });
    }
    let k = yaml::kustomization(&names).map_err(internal)?;
    files.push(File {
        name: "kustomization.yaml".to_string(),
        contents: k,
        private: false,
    });
    Ok(files)
}

/// What a successful write has to tell: entries it left alone, and why.
#[derive(Debug, Default)]
pub struct Written {
    pub notes: Vec<String>,
}

/// The output directory, by its parent and its own name.
pub struct Target {
    pub parent: PathBuf,
    pub name: String,
    pub path: PathBuf,
}

impl Target {
    fn resolve(dir: &Path) -> Result<Target, OutputError> {
        let name = match dir.file_name() {
            Some(n) => n.to_string_lossy().into_owned(),
            None => {
                return Err(OutputError::new(format!(
                    "`{}` cannot be an output directory",
                    dir.display()
                ))
                .help("name a directory of its own, e.g. `-o out/`"));
            }
        };
        if dir.file_name().and_then(|n| n.to_str()).is_none() {
            return Err(OutputError::new(format!(
                "the output directory name `{}` is not UTF-8",
                dir.display()
            )));
        }
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        std::fs::create_dir_all(&parent)
            .map_err(|e| OutputError::io("cannot create", &parent, &e))?;
        let parent = parent
            .canonicalize()
            .map_err(|e| OutputError::io("cannot resolve", &parent, &e))?;
        let path = parent.join(&name);
        if let Ok(cwd) = std::env::current_dir().and_then(|c| c.canonicalize()) {
            if cwd.starts_with(&path) {
                return Err(OutputError::new(format!(
                    "`{}` holds the current directory",
                    dir.display()
                ))
                .help("tfc replaces its output directory as a whole; write to a subdirectory, e.g. `-o out/`"));
            }
        }
        Ok(Target { parent, name, path })
    }
}

/// Writes the files into `dir` as one transaction (see the module docs).
pub fn write_dir(dir: &Path, files: &[File]) -> Result<Written, OutputError> {
    if let Some(bad) = files.iter().find(|f| !safe_name(&f.name)) {
        return Err(OutputError::new(format!(
            "refusing to write `{}`: it would leave the output directory",
            bad.name
        )));
    }
    let target = Target::resolve(dir)?;
    let manifest = Manifest::of(files);
    // A directory that appears or is swapped while we wait is looked at again.
    for _ in 0..64 {
        match fsops::kind(&target.path)? {
            fsops::Kind::Missing => {
                if let Some(w) = plan::write_fresh(&target, files, &manifest)? {
                    return Ok(w);
                }
            }
            fsops::Kind::Symlink => {
                return Err(OutputError::new(format!(
                    "`{}` is a symbolic link",
                    dir.display()
                ))
                .help("tfc never writes through a link it did not create; pass the directory it points to")
                .conflict());
            }
            fsops::Kind::Other => {
                return Err(OutputError::new(format!(
                    "`{}` exists and is not a directory",
                    dir.display()
                ))
                .conflict());
            }
            fsops::Kind::Dir => {
                let Some(lock) = fsops::Lock::acquire(&target)? else {
                    continue;
                };
                let w = plan::replace(&target, files, &manifest)?;
                drop(lock);
                return Ok(w);
            }
        }
    }
    Err(OutputError::new(format!(
        "`{}` keeps changing while tfc writes it",
        dir.display()
    )))
}

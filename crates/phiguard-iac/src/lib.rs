//! phiguard's code collectors: infrastructure code into the typed model.
//!
//! [`load`] walks files and directories, recognises CloudFormation templates
//! and Terraform plans and states (`terraform show -json`) by their content,
//! and builds one [`Inventory`] for all of them.

pub mod cfn;
pub mod joins;
pub mod tf;
pub mod yaml;

use phiguard_model::Inventory;
use std::path::{Path, PathBuf};

/// Bad input: a file, a 1-based position (0 when the whole file is meant), and
/// what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Files larger than this are refused (CloudFormation itself accepts 1 MB).
    pub max_file_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_bytes: 20 * 1024 * 1024,
        }
    }
}

/// What [`load`] found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub inventory: Inventory,
    pub errors: Vec<InputError>,
    /// Templates, plans and states read and judged.
    pub templates: Vec<String>,
    /// YAML/JSON files that are neither CloudFormation nor Terraform JSON: skipped.
    pub skipped: Vec<String>,
    /// When some resources' conditions cannot be decided before deploy: the
    /// estate without them (`inventory` has them), and which they are. A
    /// finding that differs between the two depends on the deploy.
    pub without_undecided: Option<(Inventory, Vec<String>)>,
    /// What was read but not judged, and why (`main.tf:12: module "vpc" is
    /// not followed ...`).
    pub notes: Vec<String>,
}

const EXTENSIONS: &[&str] = &["yaml", "yml", "json", "template", "cfn", "tf", "tfvars"];

/// Files under `paths`: files as given, directories walked recursively
/// (hidden entries skipped, links to directories not followed), sorted.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut files, &mut errors),
            Ok(_) => files.push(p.clone()),
            Err(e) => errors.push(InputError {
                file: p.display().to_string(),
                line: 0,
                column: 0,
                message: e.to_string(),
            }),
        }
    }
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<InputError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(InputError {
                file: dir.display().to_string(),
                line: 0,
                column: 0,
                message: e.to_string(),
            });
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(&path, files, errors),
            Ok(_) => {
                let ext = path
                    .extension()
                    .and_then(|x| x.to_str())
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if EXTENSIONS.contains(&ext.as_str()) {
                    files.push(path);
                }
            }
            Err(_) => {}
        }
    }
}

/// Reads one file's text, refusing what is too large or not text.
pub fn read_text(path: &Path, opts: &LoadOptions) -> Result<String, InputError> {
    let label = path.display().to_string();
    let fail = |line: u32, message: String| InputError {
        file: label.clone(),
        line,
        column: if line == 0 { 0 } else { 1 },
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(0, e.to_string()))?;
    if meta.len() > opts.max_file_bytes {
        return Err(fail(
            1,
            format!(
                "the file is {:.1} MB, more than the {:.1} MB phiguard reads (CloudFormation accepts templates of at most 1 MB); raise --max-file-mb to read it",
                meta.len() as f64 / 1e6,
                opts.max_file_bytes as f64 / 1e6
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(0, e.to_string()))?;
    if bytes.starts_with(b"PK\x03\x04") {
        // A saved plan (`terraform plan -out`) is a zip archive.
        return Err(fail(
            1,
            "this is a binary file (a zip archive, as a saved Terraform plan is), not a YAML or JSON template; for a plan, give phiguard the output of terraform show -json PLANFILE".into(),
        ));
    }
    if let Some(i) = bytes.iter().position(|b| *b == 0) {
        let line = bytes[..i].iter().filter(|b| **b == b'\n').count() as u32 + 1;
        return Err(fail(
            line,
            "this is a binary file, not a YAML or JSON template".into(),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(s)),
        Err(e) => {
            let i = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..i].iter().filter(|b| **b == b'\n').count() as u32 + 1;
            Err(fail(line, "the file is not UTF-8 text".into()))
        }
    }
}

/// Parses one file's text; `Ok(None)` when it is YAML/JSON but not CloudFormation.
pub fn parse_template(label: &str, text: &str) -> Result<Option<cfn::Template>, InputError> {
    let mut root = yaml::parse(text).map_err(|e| InputError {
        file: label.to_string(),
        line: e.pos.line,
        column: e.pos.col,
        message: format!(
            "{} is not valid YAML or JSON: {}",
            label.rsplit('/').next().unwrap_or(label),
            e.message
        ),
    })?;
    if !cfn::is_template(&root) {
        return Ok(None);
    }
    let notes = cfn::transform::apply(label, &mut root)?;
    Ok(Some(cfn::Template {
        file: label.to_string(),
        root,
        notes,
    }))
}

/// A document phiguard reads.
pub enum Document {
    Template(cfn::Template),
    Terraform(tf::Plan),
}

/// Parses one file's text: a Terraform plan or state, a CloudFormation
/// template, or `Ok(None)` for other YAML/JSON.
pub fn parse_document(label: &str, text: &str) -> Result<Option<Document>, InputError> {
    if tf::looks_like(text) {
        if let Some(p) = tf::parse(label, text)? {
            return Ok(Some(Document::Terraform(p)));
        }
    }
    Ok(parse_template(label, text)?.map(Document::Template))
}

/// Builds the estate of the documents read.
fn build(docs: Vec<Document>, skipped: Vec<String>, mut errors: Vec<InputError>) -> Loaded {
    let mut templates = Vec::new();
    let mut plans = Vec::new();
    let mut read = Vec::new();
    let mut notes = Vec::new();
    for d in docs {
        match d {
            Document::Template(t) => {
                read.push(t.file.clone());
                notes.extend(t.notes.iter().cloned());
                templates.push(t);
            }
            Document::Terraform(p) => {
                read.push(p.file.clone());
                plans.push(p);
            }
        }
    }
    let mut inventory = Inventory::default();
    let (e, undecided) = cfn::build_world(&templates, &mut inventory, cfn::World::Created);
    errors.extend(e);
    errors.extend(tf::build(&plans, &mut inventory));
    // Resources whose CloudFormation condition cannot be decided before
    // deploy: the estate is also built without them. The input errors are
    // the same in both: they are reported once.
    let without_undecided = (!undecided.is_empty()).then(|| {
        let mut other = Inventory::default();
        let _ = cfn::build_world(&templates, &mut other, cfn::World::NotCreated);
        let _ = tf::build(&plans, &mut other);
        (other, undecided)
    });
    free_in_background((templates, plans));
    Loaded {
        inventory,
        errors,
        templates: read,
        skipped,
        without_undecided,
        notes,
    }
}

/// Frees the parsed documents on a thread of their own: a thousand syntax
/// trees take a noticeable share of a run to free, and nothing waits for it.
pub(crate) fn free_in_background<T: Send + 'static>(parsed: T) {
    // If no thread can start, the closure (and what it holds) is freed here.
    let _ = std::thread::Builder::new()
        .name("phiguard-free".into())
        .spawn(move || drop(parsed));
}

/// Terraform source: `.tf` and `.tf.json` files and variable files (`.tfvars`).
fn is_tf(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    l.ends_with(".tf") || l.ends_with(".tf.json") || l.ends_with(".tfvars")
}

/// The directory part of a file's label (`.` when there is none).
fn dir_of(label: &str) -> String {
    match label.rfind('/') {
        Some(i) => label[..i].to_string(),
        None => ".".to_string(),
    }
}

/// Terraform source files grouped by directory, each directory read as one
/// module (in the order first seen).
fn read_tf_modules(
    tf: Vec<(String, String)>,
    docs: &mut Vec<Document>,
    errors: &mut Vec<InputError>,
) -> Vec<String> {
    let mut notes = Vec::new();
    let mut dirs: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for (label, text) in tf {
        let dir = dir_of(&label);
        match dirs.iter_mut().find(|(d, _)| *d == dir) {
            Some((_, files)) => files.push((label, text)),
            None => dirs.push((dir, vec![(label, text)])),
        }
    }
    // A directory another one calls as a local module is read through the
    // call, with its inputs, not as a configuration of its own.
    let called: Vec<String> = dirs
        .iter()
        .flat_map(|(d, files)| tf::source::local_calls(d, files))
        .collect();
    for (dir, files) in dirs {
        if called.contains(&tf::source::normalize(&dir)) {
            continue;
        }
        match tf::source::read_module(&dir, &files) {
            Ok((p, n)) => {
                // A plan or state given from the same directory was made
                // from this module: its resources are judged once, from the
                // plan, and point at their blocks in the source.
                let mut planned = false;
                for d in docs.iter_mut() {
                    if let Document::Terraform(plan) = d {
                        if !plan.is_source() && dir_of(&plan.file) == dir {
                            plan.adopt_source(&p);
                            planned = true;
                        }
                    }
                }
                if !planned {
                    docs.push(Document::Terraform(p));
                }
                notes.extend(n);
            }
            Err(e) => errors.extend(e),
        }
    }
    notes
}

/// One file, read and parsed.
enum Parsed {
    /// Terraform source: grouped by directory afterwards.
    TfSource(String, String),
    Document(Document),
    Skipped(String),
    Error(InputError),
}

fn read_and_parse(f: &Path, opts: &LoadOptions) -> Parsed {
    let label = f.display().to_string();
    let text = match read_text(f, opts) {
        Ok(t) => t,
        Err(e) => return Parsed::Error(e),
    };
    if is_tf(&label) {
        return Parsed::TfSource(label, text);
    }
    match parse_document(&label, &text) {
        Ok(Some(d)) => Parsed::Document(d),
        Ok(None) => Parsed::Skipped(label),
        Err(e) => Parsed::Error(e),
    }
}

pub(crate) use phiguard_model::par::in_parallel;
pub use phiguard_model::par::threads;

/// Reads and parses `files` on every core; the results come back in the
/// order of `files`, whatever order the threads finish in.
fn read_all(files: &[PathBuf], opts: &LoadOptions) -> Vec<Parsed> {
    in_parallel(files, |f| read_and_parse(f, opts))
}

/// Loads every template, plan and state under `paths` into one estate.
/// Files are read and parsed in parallel ([`threads`]); the estate is built
/// from them in the order they were found, so the result does not depend on
/// the number of threads.
pub fn load(paths: &[PathBuf], opts: &LoadOptions) -> Loaded {
    let (files, mut errors) = discover(paths);
    let mut docs = Vec::new();
    let mut skipped = Vec::new();
    let mut tf_src = Vec::new();
    for p in read_all(&files, opts) {
        match p {
            Parsed::TfSource(label, text) => tf_src.push((label, text)),
            Parsed::Document(d) => docs.push(d),
            Parsed::Skipped(label) => skipped.push(label),
            Parsed::Error(e) => errors.push(e),
        }
    }
    let notes = read_tf_modules(tf_src, &mut docs, &mut errors);
    let mut loaded = build(docs, skipped, errors);
    loaded.notes.extend(notes);
    loaded
}

/// Loads documents given as (label, text) pairs: for tests and embedding.
pub fn load_texts(files: &[(&str, &str)]) -> Loaded {
    let mut errors = Vec::new();
    let mut docs = Vec::new();
    let mut skipped = Vec::new();
    let mut tf_src = Vec::new();
    for (label, text) in files {
        if is_tf(label) {
            tf_src.push((label.to_string(), text.to_string()));
            continue;
        }
        match parse_document(label, text) {
            Ok(Some(d)) => docs.push(d),
            Ok(None) => skipped.push(label.to_string()),
            Err(e) => errors.push(e),
        }
    }
    let notes = read_tf_modules(tf_src, &mut docs, &mut errors);
    let mut loaded = build(docs, skipped, errors);
    loaded.notes.extend(notes);
    loaded
}
